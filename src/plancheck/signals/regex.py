"""Regex building blocks: character tries, clitic variants, shared fragments, the Item type."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

# --- regex building -----------------------------------------------------------------------


def _char_rx(ch: str) -> str:
    return r"[\s\-]+" if ch == " " else re.escape(ch)


def _trie(keys: Iterable[str]) -> str:
    """A regex matching any of ``keys`` (longest first), compiled as a character trie.

    Python's ``re`` tries alternatives one by one; a trie shares prefixes, so a word list
    of thousands costs little more per position than one word.
    """
    root: dict[str, dict[str, Any]] = {}
    for k in keys:
        if not k:
            continue
        node = root
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict[str, Any]]) -> str:
        chars = sorted(c for c in node if c)
        leaves = [c for c in chars if c != " " and node[c].keys() == {""}]
        alts = [_char_rx(c) + emit(node[c]) for c in chars if c not in leaves]
        atom = ""
        if len(leaves) == 1:
            atom = re.escape(leaves[0])
        elif leaves:
            atom = "[" + "".join(re.escape(c) for c in leaves) + "]"
        if atom:
            alts.append(atom)
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" not in node:
            return body
        return body + "?" if alts == [atom] else f"(?:{body})?"

    if not root:
        return "(?!)"
    return "(?:" + emit(root) + ")"


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff"


_CLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")
_AL_CLITICS = ("و", "ف", "ب", "ك", "وب", "فب", "وك", "ع")


def _variants(phrase: str, clitics: bool, blocked: frozenset[str]) -> set[str]:
    """``phrase`` plus its forms with attached Arabic clitics (و ف ب ل ك, ال → لل)."""
    out = {phrase}
    if clitics and phrase and _is_arabic(phrase[0]):
        if phrase.startswith("ال") and len(phrase) > 3:
            out.update(p + phrase for p in _AL_CLITICS)
            out.update(p + "لل" + phrase[2:] for p in ("", "و", "ف"))
        else:
            out.update(p + phrase for p in _CLITICS)
    return {v for v in out if v == phrase or v not in blocked}


def _prefixed(word: str, prefixes: Iterable[str], blocked: frozenset[str]) -> set[str]:
    out = {word}
    if word and _is_arabic(word[0]):
        for p in prefixes:
            v = p + word
            if p in ("ال", "بال", "وال", "فال") and word.startswith("ال"):
                continue
            out.add(v)
    return {v for v in out if v == word or v not in blocked}


# --- compiled rules -------------------------------------------------------------------------

_PRIORITY = {"date_range": 5, "review": 4, "_cad": 4, "duration": 3}
_GROUP = {"date_range": "time", "duration": "time", "review": "time", "_cad": "time"}
_E = r"(?!\w)"
_DIG = r"\d{1,3}(?:\.\d{1,2})?(?!\d)"
_DAY = r"(?:[0-2]?\d|3[01])(?!\d)(?:st|nd|rd|th)?(?!\w)"
_YEAR = r"(?:(?:19|20)\d{2}|14\d{2})(?!\d)"
_PCT = r"\d{1,2}(?:\.\d)?(?!\d)"
# A pattern is tried only when its partner is close by: a scanned word with a tag (a month
# for a date range, a unit for "3 years") or a substring ("%" for "30% off").
_T_MONTH, _T_UNIT, _T_DIGIT = 1, 2, 4
_GATES: dict[str, tuple[int | tuple[str, ...], int]] = {
    "range": (_T_MONTH, 60),
    "cad2": (_T_MONTH, 30),
    "yr": (_T_DIGIT, 14),
    "d1": (_T_UNIT, 40),
    "bisir": (("بسعر",), 25),
    "pct1": (("%",), 14),
    "pricefor": ((" for ",), 14),
    "wasnow": (("بدل", "instead", "عوضا"), 30),
}
_GATE_RX = {
    name: re.compile("|".join(map(re.escape, partner)))
    for name, (partner, _) in _GATES.items()
    if not isinstance(partner, int)
}
_DIGITS = "<digit>"  # starter key: a number written in digits
_PERCENT = "<percent>"  # starter key: a leading percent sign (٪٥٠)
_LEX_KINDS = {
    "season": "season",
    "event": "event",
    "offer": "offer",
    "ongoing": "ongoing",
    "review_cue": "_rcue",
    "negation": "_neg",
    "timebox": "_tbox",
    "cadence_adjective": "_cadadj",
    "channel": "channel",
}

Item: TypeAlias = list[Any]  # [start, end, kind, value] on the folded text
#: What a time pattern's handler reads from (match, folded text, end of the previous time item).
Handler: TypeAlias = Callable[[re.Match[str], str, int], Item | None]
#: A lexicon entry: (kind, canonical phrase, value, words of the scanned key it covers or 0).
LexEntry: TypeAlias = tuple[str, str, Any, int]
