"""Feature normalisation: the fold table plus placeholders for URLs, e-mails and handles."""

from __future__ import annotations

import re
import unicodedata

from .fold import _DROP_RX, fold

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# "_" is no word character after folding (it becomes a space), so it cannot hide a handle.
# A handle is not followed by "@" unless it ends in "_" (which may start a handle): in "@0@0"
# the second "@0" follows a word character (no handle), and replacing the first would leave
# it after a space, a handle on the next pass (normalize must be idempotent).
_HANDLE = re.compile(r"(?<![^\W_])(?<!@)@\w+(?:(?<=_)|\b(?!@))")
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
    return _fold_spaces(_placeholders(s))


def _placeholders(s: str) -> str:
    """URLs, e-mails and handles as placeholder words, hashtags as words (in this order).

    Each pattern needs a character or word that most sentences lack (``@``, ``#``, ``http``
    or ``www.``); a scan for it is much cheaper than trying the pattern at every position.
    """
    if _maybe_url(s):
        s = _URL.sub(URL_TOKEN, s)
    if "@" in s:
        s = _EMAIL.sub(EMAIL_TOKEN, s)
    if "#" in s:
        s = _HASHTAG.sub(_hashtag_words, s)  # before handles: "#a@b" must end "a handletoken"
    if "@" in s:
        s = _HANDLE.sub(HANDLE_TOKEN, s)
    return s


def _maybe_url(s: str) -> bool:
    """False when ``_URL`` cannot match: it needs ``://`` or ``www.`` in any case."""
    return "://" in s or "www." in s.lower()


def _fold_spaces(s: str) -> str:
    # ``" ".join(x.split())`` is ``_SPACE.sub(" ", x).strip()``: both split on str.isspace.
    return " ".join(fold(s).split())


def normalize_many(texts: list[str], sep: str) -> list[str]:
    """``[normalize(t) for t in texts]`` for texts without ``sep``, in a few passes over
    the batch: texts joined by `` sep `` (a character folding keeps and no pattern crosses),
    placeholders sought only in texts that have a character they need."""
    if not texts:
        return []
    s = _DROP_RX.sub("", _nfkc_pieces(f" {sep} ".join(texts), sep))
    parts = s.split(sep)
    if "@" in s or "#" in s or _maybe_url(s):  # else no sentence has any: skip the loop
        for i, part in enumerate(parts):
            if "@" in part or "#" in part or _maybe_url(part):
                parts[i] = _placeholders(part)
    return [p.strip() for p in _fold_spaces(sep.join(parts)).split(sep)]


def _nfkc_pieces(s: str, sep: str) -> str:
    """``unicodedata.normalize("NFKC", s)``, one ``sep``-separated piece at a time.

    ``normalize`` returns at once when its quick check passes, but one "…" or "ﷲ" anywhere
    sends the whole string through full normalisation: on a batch joined into one string,
    a single such character made NFKC 8× slower (115 against 15 µs per 300-word text).
    ``sep`` (a private-use character) has no decomposition and composes with nothing, so
    NFKC never crosses it and the pieces normalise exactly as the whole does.
    """
    return sep.join([unicodedata.normalize("NFKC", p) for p in s.split(sep)])
