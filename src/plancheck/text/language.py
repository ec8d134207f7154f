"""Which language a text is written in: Arabic, English, or a mix."""

from __future__ import annotations

import re

import numpy as np

from .charclass import char_classes
from .normalize import _EMAIL, _HANDLE, _URL

_ARABIC_LETTER = re.compile(
    r"[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]"
)
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
# Counted by table lookup (:mod:`.charclass`): bit 1 Arabic, bit 2 Latin (never both).
_SCRIPTS = (_ARABIC_LETTER.pattern, _LATIN_LETTER.pattern)

#: A text whose letters are at most this share Latin (after URLs, e-mails and handles are
#: removed) is Arabic: brand and platform names alone ("Instagram") do not make it mixed.
AR_MAX_LATIN_SHARE = 0.08
#: A text whose letters are at most this share Arabic is English.
EN_MAX_ARABIC_SHARE = 0.02


def script_shares(text: str) -> tuple[float, float]:
    """(Arabic share, Latin share) of the letters, ignoring URLs, e-mails and handles."""
    s = text
    if "@" in s or "http" in s or "www." in s:
        s = _HANDLE.sub(" ", _EMAIL.sub(" ", _URL.sub(" ", s)))
    ar, lat = np.bincount(char_classes(s, _SCRIPTS), minlength=4)[1:3].tolist()
    total = ar + lat
    if total == 0:
        return 0.0, 0.0
    return ar / total, lat / total


def detect_language(text: str) -> str:
    """``"ar"``, ``"en"`` or ``"mixed"`` by share of Arabic vs Latin letters.

    Thresholds: Latin share ≤ ``AR_MAX_LATIN_SHARE`` → ``ar``; Arabic share ≤
    ``EN_MAX_ARABIC_SHARE`` → ``en``; anything between → ``mixed``. A text with no letters
    at all is ``en`` (nothing Arabic to serve).
    """
    ar, lat = script_shares(text)
    if ar == 0.0 and lat == 0.0:
        return "en"
    if lat <= AR_MAX_LATIN_SHARE:
        return "ar"
    if ar <= EN_MAX_ARABIC_SHARE:
        return "en"
    return "mixed"
