"""Feature normalisation: the fold table plus placeholders for URLs, e-mails and handles."""

from __future__ import annotations

import re
import unicodedata

from .fold import _DROP_RX, fold

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# "_" is no word character after folding (it becomes a space), so it cannot hide a handle.
_HANDLE = re.compile(r"(?<![^\W_])(?<!@)@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPACE = re.compile(r"\s+")

URL_TOKEN, EMAIL_TOKEN, HANDLE_TOKEN = " urltoken ", " emailtoken ", " handletoken "


def _hashtag_words(match: re.Match[str]) -> str:
    words = match.group(1).replace("_", " ")
    return " " + _CAMEL.sub(" ", words) + " "


def normalize(text: str) -> str:
    """Canonical spelling for features (never shown to users).

    URLs, e-mails and @handles become placeholder words and hashtags are split into words
    (before folding: camelCase and ``_`` still mark the word breaks); then the one fold table
    (:mod:`.fold`) folds letters, digits and punctuation, drops marks, and lowercases.
    Idempotent: ``normalize(normalize(s)) == normalize(s)``.
    """
    # Marks go first: a diacritic between "#" and a word must not decide whether it is one.
    s = _DROP_RX.sub("", unicodedata.normalize("NFKC", text))
    s = _URL.sub(URL_TOKEN, s)
    s = _EMAIL.sub(EMAIL_TOKEN, s)
    s = _HASHTAG.sub(_hashtag_words, s)  # before handles: "#a@b" must end as "a handletoken"
    s = _HANDLE.sub(HANDLE_TOKEN, s)
    return _SPACE.sub(" ", fold(s)).strip()
