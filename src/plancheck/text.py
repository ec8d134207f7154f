"""Arabic/English text handling: feature normalisation, language, sentence spans.

Real client text mixes hamza forms, ى/ي, ة/ه, diacritics, tatweel, Arabic-Indic digits and
English terms. Features see one canonical spelling; users always see the original text,
so sentence splitting returns spans on the original string.
"""

from __future__ import annotations

import re
import unicodedata

# --- normalisation -------------------------------------------------------------------

_FOLD = {
    # alef forms → bare alef
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    # alef maqsura → ya; ta marbuta → ha; Persian ya/kaf seen in copy-pasted text
    "ى": "ي",
    "ی": "ي",
    "ة": "ه",
    "ک": "ك",
    # Arabic punctuation → ASCII so both languages tokenise alike
    "،": ",",
    "؛": ";",
    "؟": "?",
    "٪": "%",
    "٫": ".",
    "٬": ",",
    "۔": ".",
    "«": '"',
    "»": '"',
}
_FOLD.update({chr(0x0660 + i): str(i) for i in range(10)})  # Arabic-Indic digits
_FOLD.update({chr(0x06F0 + i): str(i) for i in range(10)})  # Eastern Arabic-Indic digits
_DROP = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u0640"]  # harakat, tatweel
_TABLE = str.maketrans({**_FOLD, **{c: None for c in _DROP}})

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_HANDLE = re.compile(r"(?<![\w@])@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPACE = re.compile(r"\s+")

URL_TOKEN, EMAIL_TOKEN, HANDLE_TOKEN = " urltoken ", " emailtoken ", " handletoken "


def _fold(s: str) -> str:
    return unicodedata.normalize("NFKC", s).translate(_TABLE)


def fold_token(token: str) -> str:
    """Normalisation of a single word: character folds and case only (cheap)."""
    return token.translate(_TABLE).lower()


def _hashtag_words(match: re.Match) -> str:
    words = match.group(1).replace("_", " ")
    return " " + _CAMEL.sub(" ", words) + " "


def normalize(text: str) -> str:
    """Canonical spelling for features (never shown to users).

    Folds alef forms, ى→ي, ة→ه; drops diacritics (U+064B–U+065F, U+0670) and tatweel;
    maps Arabic-Indic digits and punctuation to ASCII; lowercases Latin; splits hashtags into
    words; replaces URLs, e-mails and @handles by placeholder words; collapses whitespace.
    Idempotent: ``normalize(normalize(s)) == normalize(s)``.
    """
    s = _fold(_fold(text))
    s = _URL.sub(URL_TOKEN, s)
    s = _EMAIL.sub(EMAIL_TOKEN, s)
    s = _HASHTAG.sub(_hashtag_words, s)  # before handles: "#a@b" must end as "a handletoken"
    s = _HANDLE.sub(HANDLE_TOKEN, s)
    # Lowercasing can leave a string that NFKC would change again; folding once more makes
    # the function idempotent (checked by property tests).
    s2 = _fold(s.lower()).lower()
    return _SPACE.sub(" ", s2).strip()


# --- language ------------------------------------------------------------------------

_ARABIC_LETTER = re.compile(
    r"[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]"
)
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")

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
    ar = len(_ARABIC_LETTER.findall(s))
    lat = len(_LATIN_LETTER.findall(s))
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


# --- sentences -----------------------------------------------------------------------

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
# A list marker at the start of a line: bullets, "1.", "1)", "١-", the article's "1##-",
# "a)" / "أ-". It belongs to the sentence it introduces and is never a sentence end itself.
_MARKER = re.compile(
    rf"^[ \t]*(?:[•\-\*–—▪●◦·▫■□➢➤✓✔>]+|\(?[{_DIGIT}]{{1,3}}(?:##)?[\.\)\-–:](?![{_DIGIT}])"
    r"|\(?[a-zA-Z\u0621-\u064A][\)\-])[ \t]*"
)
# Sentence ends: . ! ? ؟ … ۔ (runs of them), followed by space or end of line.
_END = re.compile(r"[.!?؟…۔]+(?=\s|$)|[!?؟]+")
_ABBREV = {
    "e.g",
    "i.e",
    "etc",
    "vs",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "approx",
    "incl",
    "inc",
    "ltd",
    "co",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "est",
    "dept",
    "min",
    "max",
    "avg",
    "fig",
    "p",
    "pp",
    "q",
    "a.m",
    "p.m",
    "u.s",
}
_INLINE_BULLET = re.compile(r"\s[•▪●◦➢➤]\s")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_LINE = re.compile(r"[^\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+")


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    line = text[start:end]
    m = _MARKER.match(line)
    protect = m.end() if m else 0
    cuts: list[int] = []
    for b in _INLINE_BULLET.finditer(line, protect):
        cuts.append(b.start() + 1)  # the bullet starts the next sentence
    for e in _END.finditer(line, protect):
        if e.group()[0] == ".":
            w = _WORD_BEFORE.search(line, 0, e.start())
            if w and w.group(1).lower().strip(".") in _ABBREV:
                continue
        cuts.append(e.end())
    spans = []
    prev = 0
    for cut in sorted(set(cuts)) + [len(line)]:
        piece = line[prev:cut]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            s = start + prev + lead
            spans.append((s, s + len(stripped)))
        prev = cut
    return spans


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` on the original text, in order.

    Splits on line breaks, sentence punctuation (Latin and Arabic) and inline bullets; a
    list marker opens the sentence it introduces; decimals (``2.5``) and abbreviations
    (``e.g.``) do not split. Spans never overlap and together cover every non-space
    character, so evidence can always be shown verbatim.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        spans.extend(_line_spans(text, line.start(), line.end()))
    return spans


_LEADING_MARKER = re.compile(_MARKER.pattern)


def sentence_text(text: str, span: tuple[int, int]) -> str:
    """The sentence as a user should read it: the original words, list marker removed."""
    s = text[span[0] : span[1]]
    m = _LEADING_MARKER.match(s)
    return s[m.end() :].strip() if m and m.end() < len(s) else s


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (original spelling), as shown to users."""
    return [sentence_text(text, sp) for sp in split_sentences(text)]
