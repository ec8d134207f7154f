"""THE fold table: one canonical spelling for matching and features.

Real client text mixes hamza and alef forms, ى/ي, ة/ه, Persian letters (گ ڤ چ), diacritics,
tatweel, invisible marks, curly quotes and Arabic-Indic digits. Features (``normalize``) and
the signal matcher both fold through this one table, so a word matches the same way
everywhere; its hash goes into every model card, and a model trained with another table is
refused. Folding keeps offsets back to the original text, so users always see what they wrote.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from bisect import bisect_right
from typing import cast

_DROP = (
    [chr(c) for c in range(0x064B, 0x0660)]  # harakat, shadda, sukun, small marks
    + ["\u0670", "\u0640"]  # dagger alef, tatweel
    + [chr(c) for c in range(0x0610, 0x061B)]  # Quranic annotation signs
    + [chr(c) for c in range(0x06D6, 0x06DD)]
    + [chr(c) for c in range(0x06DF, 0x06E9)]
    + [chr(c) for c in range(0x06EA, 0x06EE)]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff", "\u00ad"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)
#: Marks that belong to the letter before them: a reported span is extended over them.
_TRAILING_MARKS = frozenset([chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u0640"])
_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ئ": "ي",
    "ؤ": "و",
    "ة": "ه",
    "ک": "ك",
    "گ": "ك",
    "ڤ": "ف",
    "پ": "ب",
    "چ": "ج",
    "ژ": "ز",
}
_PUNCT = {
    "،": ",",
    "؛": ";",
    "؟": "?",
    "٪": "%",
    "٫": ".",
    "٬": ",",
    "۔": ".",
    "«": '"',
    "»": '"',
    "‘": "'",
    "’": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2212": "-",
    "\u2015": "—",
    "_": " ",
    "İ": "i",
}


def _build_fold_map() -> dict[str, str]:
    m: dict[str, str] = {}
    m.update(_LETTERS)
    m.update(_PUNCT)
    m.update({chr(0x0660 + i): str(i) for i in range(10)})
    m.update({chr(0x06F0 + i): str(i) for i in range(10)})
    m.update({c: "" for c in _DROP})

    def simple(s: str) -> str:
        return "".join(m.get(ch, ch) for ch in s)

    # Compatibility forms (Arabic presentation forms, full-width Latin) → NFKC, folded.
    for lo, hi in ((0xFB50, 0xFE00), (0xFE70, 0xFF00), (0xFF01, 0xFF5F)):
        for c in range(lo, hi):
            ch = chr(c)
            n = unicodedata.normalize("NFKC", ch)
            if n != ch:
                m[ch] = simple(n).lower()
    return m


_FOLD_MAP = _build_fold_map()
# One-to-one replacements: find which occur, then str.replace each (C-fast; str.translate
# is slow on non-Latin text).
_GROUPS = [
    dict(_LETTERS),
    {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)},
    dict(_PUNCT),
]
_ONE_TO_ONE = {c: r for g in _GROUPS for c, r in g.items()}
_ONE_TO_ONE_RX = re.compile("[" + re.escape("".join(_ONE_TO_ONE)) + "]")
_DROP_RX = re.compile("[" + re.escape("".join(_DROP)) + "]")
# Everything else that folding changes (ligatures, presentation forms): the general path.
_OTHER = "".join(
    sorted(c for c in _FOLD_MAP if c not in _DROP and all(c not in g for g in _GROUPS))
)
_OTHER_RX = re.compile("[" + re.escape(_OTHER) + "]")
_IRREGULAR_RX = re.compile("[" + re.escape("".join(_DROP) + _OTHER) + "]")
# Regular expressions from the JSON are folded letter by letter only (no case, no "_").
_PATTERN_TABLE = str.maketrans(
    {c: v for c, v in _FOLD_MAP.items() if "\u0600" <= c <= "\u06ff" or c in _DROP}
)


class _Offsets:
    """Maps positions in the folded text back to the original text."""

    __slots__ = ("keys", "table")

    def __init__(self, keys: list[int] | None, table: list[int] | None) -> None:
        self.keys = keys  # drops only: folded position of each dropped character
        self.table = table  # general case: original index of each folded character

    def __getitem__(self, i: int) -> int:
        if self.table is not None:
            return self.table[i]
        return i + bisect_right(cast("list[int]", self.keys), i)  # keys is set when table is not


def _fold_regular(s: str) -> str:
    for ch in set(_ONE_TO_ONE_RX.findall(s)):
        s = s.replace(ch, _ONE_TO_ONE[ch])
    return s.lower()


def fold_with_offsets(text: str) -> tuple[str, _Offsets | None]:
    """Fold ``text`` for matching and say where each folded character came from.

    Returns ``(folded, offsets)``: ``offsets[i]`` is the index in ``text`` of the character
    that produced ``folded[i]``; ``offsets`` is ``None`` when folding kept every position
    (no diacritics, tatweel, invisible marks or ligatures in the text).
    """
    if not _IRREGULAR_RX.search(text):
        return _fold_regular(text), None
    if not _OTHER_RX.search(text):  # only characters to drop: the common case
        drops = [m.start() for m in _DROP_RX.finditer(text)]
        keys = [d - j for j, d in enumerate(drops)]
        return _fold_regular(_DROP_RX.sub("", text)), _Offsets(keys, None)
    parts: list[str] = []
    table: list[int] = []
    pos = 0
    for m in _IRREGULAR_RX.finditer(text):
        i = m.start()
        if i > pos:
            parts.append(text[pos:i])
            table.extend(range(pos, i))
        rep = _FOLD_MAP[text[i]]
        if rep:
            parts.append(rep)
            table.extend([i] * len(rep))
        pos = i + 1
    if pos < len(text):
        parts.append(text[pos:])
        table.extend(range(pos, len(text)))
    return _fold_regular("".join(parts)), _Offsets(None, table)


_SEP = re.compile(r"[\s\-_]+")


def _key(s: str) -> str:
    """Folded, separator-normalised form of a word or phrase (lexicon keys)."""
    return _SEP.sub(" ", fold_with_offsets(s)[0]).strip()


def _fold_pattern(rx: str) -> str:
    return rx.translate(_PATTERN_TABLE)


def fold(text: str) -> str:
    """``text`` folded (letters, digits, punctuation, marks dropped, lowercase)."""
    return fold_with_offsets(text)[0]


#: One word folded: the same function as :func:`fold` (kept as a name callers know).
fold_token = fold


def fold_table_sha256() -> str:
    """Hash of the fold table: a model card records it; a different table refuses the model."""
    data = json.dumps(sorted(_FOLD_MAP.items()), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


FOLD_SHA256 = fold_table_sha256()
