"""Substance signals: the cues a marketer would cite to explain a strategy/campaign verdict.

A strategy states a long horizon (two years, 2026–2028), says it is ongoing and is reviewed
on a cadence (every six months); a campaign states a short window (six weeks, 1–30 Nov),
an offer (20% off), a season (Ramadan, White Friday) or a one-off event (a launch, an
opening). :func:`extract_signals` finds those cues in Arabic (MSA and dialects), English and
code-switched text and reports them on the ORIGINAL string; :func:`signal_features` turns
them into a few numbers in [0, 1] for a linear label model.

All vocabulary and most patterns live in ``signals.json`` beside this file (number words,
month names, unit lengths, lexicons, context rules), so a linguist can edit them without
touching Python. Matching runs on a folded copy of the text (hamza/alef forms, ى/ي, ة/ه,
diacritics and tatweel, Arabic-Indic digits, case) with offsets back to the original.

Speed: one regex pass finds every lexicon phrase and every word that can start a time
pattern (word lists are compiled to character tries), one cheap pass finds numbers; the
small anchored patterns (date range, "3 years", "30% off"…) are then tried only at those
words, and only when their partner (a month, a unit, "%") occurs nearby. A 300-word
document takes a few hundred microseconds.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

__all__ = [
    "FEATURE_NAMES",
    "KINDS",
    "RULES_PATH",
    "extract_signals",
    "fold_with_offsets",
    "signal_features",
]

RULES_PATH = Path(__file__).with_name("signals.json")

#: Signal kinds, in the order the contract lists them.
KINDS: tuple[str, ...] = (
    "duration",
    "date_range",
    "offer",
    "season",
    "event",
    "ongoing",
    "review",
    "channel",
)

#: Kinds a user reads as the verdict's signals; ``channel`` (Instagram, سوشيال, متابعين…)
#: only feeds the features: it says whether the text is about social media at all.
SHOWN_KINDS: tuple[str, ...] = KINDS[:-1]

#: Names of :func:`signal_features` values, in order. Spans are the ``days`` of
#: ``duration`` and ``date_range`` signals; thresholds live in ``signals.json``
#: (``features``).
FEATURE_NAMES: tuple[str, ...] = (
    "span_log",  # log(1 + longest span) / log(1 + 1095): 0 none, ~0.5 a month, 1 three years
    "has_long",  # some span >= 300 days (a year or more)
    "has_mid",  # some span between 120 and 300 days
    "has_short",  # some span <= 120 days (days to a few months)
    "short_only",  # a short span, no long span and no ongoing cue: a clean time box
    "date_range",  # explicit start and end dates, count / 2 (capped)
    "offer",  # discounts, deals, codes, free delivery, count / 3 (capped)
    "season",  # Ramadan, Eid, White Friday, National Day, summer, count / 3 (capped)
    "event",  # launch, opening, exhibition, open day, count / 3 (capped)
    "ongoing",  # always-on, long-term, مستمر, 'not a one-off', count / 2 (capped)
    "review",  # periodic review of the plan, count / 2 (capped)
    "review_long",  # a review every >= 60 days (quarterly, every six months, yearly)
    "review_short",  # a review every <= 31 days (daily, weekly, monthly optimisation)
    "channel",  # social-media channels and vocabulary mentioned, count / 4 (capped)
    "no_channel",  # no social-media channel or vocabulary at all: likely not a social plan
)

# --- folding with offsets ---------------------------------------------------------------

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
        return i + bisect_right(self.keys, i)


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


# --- regex building -----------------------------------------------------------------------


def _char_rx(ch: str) -> str:
    return r"[\s\-]+" if ch == " " else re.escape(ch)


def _trie(keys: Iterable[str]) -> str:
    """A regex matching any of ``keys`` (longest first), compiled as a character trie.

    Python's ``re`` tries alternatives one by one; a trie shares prefixes, so a word list
    of thousands costs little more per position than one word.
    """
    root: dict[str, dict] = {}
    for k in keys:
        if not k:
            continue
        node = root
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
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

Item = list  # [start, end, kind, value] on the folded text


class _Rules:
    """Everything compiled from ``signals.json``.

    ``word_rx`` finds, in one pass, every lexicon phrase and every word that can start a
    time pattern (a "starter": a month, كل/every, a number word, a dual unit…) and ``scan``
    maps what it found to ``(lexicon entry, names of time patterns, partner tags)``;
    ``digit_rx`` finds numbers, which start the numeric patterns. Each time pattern is a
    small regex in ``alts``, tried with ``.match`` at a starter only.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.blocked = frozenset(_key(w) for w in data.get("no_clitic_variants", []))
        self.starters: dict[str, list[str]] = {}
        self.digit_lex: dict[str, tuple[str, str, Any]] = {}
        self.alts: dict[str, tuple[re.Pattern, Callable[[re.Match, str, int], Item | None]]] = {}
        self._build_lexicon(data)
        self._build_time(data)
        self._build_scan()
        neg = data["negation"]
        self.neg_gap = int(neg["gap_chars"])
        self.neg_max_short = float(neg["max_short_days"])
        cad = data["cadence"]
        self.review_gap = int(cad["review_gap_chars"])
        self.adj_gap = int(cad["adjective_gap_chars"])
        self.gap_blocker = re.compile(cad["gap_blocker_regex"])
        self.features = data["features"]

    # lexicon: season, event, offer, ongoing + helper cues (negation, review, cadence words)
    def _build_lexicon(self, data: dict[str, Any]) -> None:
        canon: dict[str, str] = {}
        entries: list[tuple[str, str, Any, bool]] = []
        for section, kind in _LEX_KINDS.items():
            spec = data["lexicons"][section]
            phrases = spec["phrases"]
            pairs = phrases.items() if isinstance(phrases, dict) else ((p, None) for p in phrases)
            for phrase, value in pairs:
                if phrase.startswith("_"):
                    continue
                k = _key(phrase)
                if canon.get(k, kind) != kind:
                    raise ValueError(f"signals.json: {phrase!r} is both {canon[k]} and {kind}")
                canon[k] = kind
                entries.append((k, kind, value, bool(spec.get("clitics", False))))
        lex: dict[str, tuple[str, str, Any]] = {k: (kind, k, v) for k, kind, v, _ in entries}
        for k, kind, value, clitics in entries:
            forms = _variants(k, clitics, self.blocked)
            if kind in ("season", "event", "offer", "ongoing") and " " in k and k.isascii():
                forms.add(k.replace(" ", ""))  # #WhiteFriday → whitefriday
            for v in forms:
                lex.setdefault(v, (kind, k, value))
        self.lex = lex
        self.exclusions: dict[str, tuple[re.Pattern | None, re.Pattern | None]] = {}
        for ex in data.get("exclusions", []):
            after, before = ex.get("not_after_regex"), ex.get("not_before_regex")
            pair = (
                re.compile(_fold_pattern(after)) if after else None,
                re.compile(_fold_pattern(before)) if before else None,
            )
            for p in ex["phrases"]:
                self.exclusions[_key(p)] = pair

    def _alt(
        self,
        name: str,
        rx: str,
        handler: Callable[[re.Match, str, int], Item | None],
        starts: Iterable[str],
    ) -> None:
        self.alts[name] = (re.compile(rx), handler)
        for w in starts:
            names = self.starters.setdefault(w, [])
            if name not in names:
                names.append(name)

    # time: durations, date ranges, cadences, offers with numbers
    def _build_time(self, data: dict[str, Any]) -> None:
        blocked = self.blocked
        nums = data["numbers"]
        self.numbers: dict[str, float] = {}
        prefixes = [_key(p) for p in nums["prefixes"]]
        for w, v in nums["words"].items():
            for form in _prefixed(_key(w), prefixes, blocked):
                self.numbers.setdefault(form, v)
        NUMW = _trie(self.numbers)
        NUM = rf"(?:{_DIG}|{NUMW}{_E})"
        numstart = [_DIGITS, *self.numbers]

        self.unit_days: dict[str, float] = {}
        self.unit_min: dict[str, float] = {}
        self.unit_max: dict[str, float] = {}
        forms: dict[str, str] = {}
        duals: dict[str, str] = {}
        sing: dict[str, str] = {}
        defpl: dict[str, str] = {}
        defsg: dict[str, str] = {}
        al = ["ال", "لل", "بال", "وال", "فال", "ل", "ب", "و"]
        for unit, spec in data["units"].items():
            if unit.startswith("_"):
                continue
            self.unit_days[unit] = float(spec["days"])
            self.unit_min[unit] = float(spec.get("min", 0))
            self.unit_max[unit] = float(spec.get("max", 1e9))
            for w in spec["forms"]:
                forms[_key(w)] = unit
            for w in spec["dual"]:
                for v in _prefixed(_key(w), al, blocked):
                    duals.setdefault(v, unit)
            for w in spec["singular"]:
                sing[_key(w)] = unit
            for w in spec["definite_plural"]:
                for v in _variants(_key(w), True, blocked):
                    defpl.setdefault(v, unit)
            for w in spec["definite_singular"]:
                for v in _variants(_key(w), True, blocked):
                    defsg.setdefault(v, unit)
        self.forms, self.duals, self.sing = forms, duals, sing
        self.defpl, self.defsg = defpl, defsg
        UNIT, DUAL, SING = _trie(forms), _trie(duals), _trie(sing)
        UNITDEF, SINGDEF = _trie(defpl), _trie(defsg)

        dur = data["duration"]
        UADJ = _trie(_key(w) for w in dur["unit_adjectives"])
        SUF = _trie(_key(w) for w in dur["suffixes"])
        scues = [_key(w) for w in dur["singular_cues"]]
        SCUE = _trie(scues)
        WHOLE = _trie(_key(w) for w in dur["whole_words"])
        self.fixed = {_key(k): float(v) for k, v in dur["fixed"].items() if not k.startswith("_")}
        self.dur_lead = re.compile(_fold_pattern(dur["lead_regex"]))
        self.dur_block_before = re.compile(_fold_pattern(dur["blocked_before_regex"]))
        self.dur_block_after = re.compile(_fold_pattern(dur["blocked_after_regex"]))
        self.hour_block_before = re.compile(_fold_pattern(dur["hour_blocked_before_regex"]))
        self.year_label = re.compile(_fold_pattern(dur["year_label_before_regex"]))

        dates = data["dates"]
        self.months: dict[str, tuple[str, int]] = {}
        for cal in ("gregorian", "hijri"):
            for i, names in enumerate(dates[cal], start=1):
                for n in names:
                    self.months[_key(n)] = (cal, i)
        self.month_days = dates["month_days"]
        self.cum_days = {
            cal: [sum(lens[:i]) for i in range(13)] for cal, lens in self.month_days.items()
        }
        self.year_days = dates["year_days"]
        MONTH = _trie(self.months)
        self.weekdays = {_key(w) for w in dates["weekdays"]}
        WD = _trie(self.weekdays)
        self.ordinals = {_key(k): v for k, v in dates["day_ordinals"].items()}
        ORD = _trie(self.ordinals)
        self.modifiers = {
            _key(k): v for k, v in dates["modifiers"].items() if not k.startswith("_")
        }
        MOD = _trie(self.modifiers)
        eid = dates["eid"]
        self.eid = eid
        self.eid_names = {_key(k): v for k, v in eid["names"].items() if not k.startswith("_")}
        self.eid_mods = {_key(k): v for k, v in eid["modifiers"].items() if not k.startswith("_")}
        self.eid_not_after = re.compile(_fold_pattern(eid["not_after_regex"]))
        EIDN, EIDMOD = _trie(self.eid_names), _trie(self.eid_mods)
        REL = _fold_pattern(dates["relative_end_regex"])
        CONN = _trie(_key(c) for c in dates["connectors"])
        self.weak = {_key(c) for c in dates["weak_connectors"]}
        self.range_lead = re.compile(_fold_pattern(dates["range_lead_regex"]))
        self.max_range_days = float(dates["max_range_days"])
        yr = dates["year_range"]
        YCONN = _trie(_key(c) or c for c in yr["connectors"])
        self.year_and = {_key(c) for c in yr["and_connectors"]}
        self.max_years = int(yr["max_years"])
        LASTN = _fold_pattern(dates["last_days_regex"])

        cad = data["cadence"]
        self.every = {_key(k): float(v) for k, v in cad["every"].items() if not k.startswith("_")}
        self.definite_every = {_key(k) for k in cad["definite_every"]}
        EVERY = _trie(self.every)
        cadunits: dict[str, tuple[float, int]] = {}  # word → (days, implied count)
        for w, u in forms.items():
            cadunits[w] = (self.unit_days[u], 1)
        for w, u in duals.items():
            cadunits.setdefault(w, (self.unit_days[u], 2))
        for w, u in defsg.items():
            cadunits.setdefault(w, (self.unit_days[u], 1))
        for w, v in cad["units"].items():
            cadunits[_key(w)] = (float(v), 1)
        for w in self.weekdays:
            cadunits.setdefault(w, (7.0, 1))
        for w in self.months:
            cadunits.setdefault(w, (365.0, 1))
        self.cadunits = cadunits
        CADUNIT = _trie(cadunits)
        two_months = _fold_pattern(cad["two_months_template"]).replace("{month}", f"{MONTH}{_E}")

        off = data["offers"]
        PAFTER = _trie(_key(w) for w in off["percent_words_after"])
        pbefore = [_key(w) for w in off["percent_words_before"]]
        PBEFORE = _trie(pbefore)
        PFILL = _trie(_key(w) for w in off["percent_fillers"])
        bisir = (
            _fold_pattern(off["bisir_template"])
            .replace("{num}", NUM)
            .replace("{unit}", f"{UNIT}{_E}")
            .replace("{dual}", f"{DUAL}{_E}")
        )

        def point(x: str, lastn: bool) -> str:
            ln = ""
            if lastn:
                ln = f"(?:(?P<ln_{x}>{LASTN.replace('(?P<n>', f'(?P<lnn_{x}>')}))?"
            return (
                rf"(?:{WD}{_E}[\s,]*)?{ln}"
                rf"(?:(?P<mod_{x}>{MOD}){_E}[\s\-]*)?"
                rf"(?:(?P<d_{x}>{_DAY}|{ORD}{_E})\s*(?:of\s+|من\s+)?)?"
                rf"(?:(?:شهر|month\s+of)\s+)?"
                rf"(?P<m_{x}>{MONTH}){_E}"
                rf"(?:\s*(?P<d2_{x}>{_DAY}))?"
                rf"(?:\s*,?\s*(?P<y_{x}>{_YEAR})(?:\s*ه{_E})?)?"
            )

        def eid_point(x: str) -> str:
            return (
                rf"(?:(?P<eo_{x}>{ORD}{_E}|{_DAY})\s+(?:يوم|ايام|day|days)\s+(?:في\s+|من\s+|of\s+)?"
                rf"|(?P<em_{x}>{EIDMOD}){_E}\s*(?:of\s+|في\s+|من\s+)?)?"
                rf"(?P<e_{x}>{EIDN}){_E}"
            )

        bare = rf"(?:{WD}{_E}[\s,]*)?(?P<bd_a>{_DAY})"
        RANGE = (
            rf"(?:{point('a', True)}|{eid_point('a')}|{bare})"
            rf"(?P<conn>\s*(?:{CONN})\s*(?:the\s+)?|\s*[-–—→~]+\s*)"
            rf"(?:{point('b', False)}|{eid_point('b')}|(?P<rel_b>{REL}))"
        )
        range_starts = [
            _DIGITS,
            *self.weekdays,
            *self.modifiers,
            *self.ordinals,
            *self.months,
            *self.eid_names,
            *self.eid_mods,
            "last",
            "اخر",
            "شهر",
            "month",
        ]

        A = self._alt  # in priority order: at one position the first that fits wins
        A(
            "cad",
            rf"(?P<ce>{EVERY}){_E}\s*(?:(?P<cn>{NUM})\s*)?(?P<cu>{CADUNIT}){_E}",
            self._h_cad,
            self.every,
        )
        A("cad2", two_months, lambda m, f, lo: [m.start(), m.end(), "_cad", 182], self.months)
        A("range", RANGE, self._h_range, range_starts)
        A(
            "yr",
            rf"(?:fy\s?)?(?P<ya>{_YEAR})(?:/\d\d(?:\d\d)?(?!\d))?(?:\s*ه{_E})?\s*(?P<yc>{YCONN})\s*"
            rf"(?:fy\s?)?(?P<yb>{_YEAR})(?:/\d\d(?:\d\d)?(?!\d))?(?:\s*ه{_E})?",
            self._h_yr,
            [_DIGITS, "fy"],
        )
        for i, fp in enumerate(dur["fixed_patterns"]):
            A(
                f"fp{i}",
                _fold_pattern(fp["regex"]),
                lambda m, f, lo, fp=fp: self._h_fixed_pattern(m, f, lo, fp),
                [_key(w) for w in fp["starts"]],
            )
        A("fixed", rf"{_trie(self.fixed)}{_E}", self._h_fixed, self.fixed)
        A("bisir", bisir, self._h_offer, numstart)
        A(
            "pct1",
            rf"(?:(?:up\s+to|save|بنسبه)\s+)?{_PCT}\s*%\s*{PAFTER}{_E}",
            self._h_offer,
            [_DIGITS, "up", "save", "بنسبه"],
        )
        A(
            "pct2",
            rf"{PBEFORE}{_E}(?:\s*{PFILL}{_E})*\s*{_PCT}\s*%(?:\s*{PAFTER}{_E})?",
            self._h_offer,
            pbefore,
        )
        A("pct3", rf"%\s?{_PCT}(?![%.])", self._h_offer, [_PERCENT])
        A(
            "buyget",
            _fold_pattern(off["buy_get_regex"]),
            self._h_offer,
            [_key(w) for w in off["buy_get_starts"]],
        )
        A(
            "pricefor",
            _fold_pattern(off["price_for_regex"]),
            self._h_offer,
            [_DIGITS, *(_key(w) for w in off["price_for_starts"])],
        )
        A(
            "d4b",
            rf"(?:full|whole|entire)\s+(?P<su3>{SING}){_E}",
            self._h_d4b,
            ["full", "whole", "entire"],
        )
        A(
            "d4a",
            rf"(?P<sc>{SCUE}){_E}\s+(?:(?:full|whole|entire)\s+)?(?P<su>{SING}){_E}"
            rf"(?:\s+{WHOLE}{_E})?",
            self._h_d4a,
            scues,
        )
        A("d4c", rf"(?P<su2>{SINGDEF}){_E}\s+{WHOLE}{_E}", self._h_d4c, defsg)
        A(
            "d3",
            rf"(?P<uf>{UNITDEF}){_E}\s+(?P<ufn>{NUMW}){_E}(?:\s+{SUF}{_E})?",
            self._h_d3,
            defpl,
        )
        A(
            "d1",
            rf"(?:(?P<dn1>{NUM})\s*(?:(?P<du1>{UNIT}){_E}\s*)?(?:[-–—]|to|or|and|until|الي|ل|لين|حتي|او|و)\s*)?"
            rf"(?P<dn>{NUM})\s*"
            rf"(?P<dplus>\+)?\s*-?\s*(?:{UADJ}\s+)?(?P<du>{UNIT}){_E}(?:\s+{SUF}{_E})?",
            self._h_d1,
            numstart,
        )
        A("d2", rf"(?P<dd>{DUAL}){_E}(?:\s+{SUF}{_E})?", self._h_d2, duals)
        A("wasnow", _fold_pattern(off["was_now_regex"]), self._h_wasnow, [_DIGITS])

    def _build_scan(self) -> None:
        order = {name: i for i, name in enumerate(self.alts)}
        starters = {k: tuple(sorted(v, key=order.__getitem__)) for k, v in self.starters.items()}
        self.digit_alts = starters.pop(_DIGITS, ())
        self.percent_alts = starters.pop(_PERCENT, ())
        tags: dict[str, int] = {}
        for w in [*self.months, *self.eid_names, "اخر", "اخره", "نهايته", "نهايه", "end"]:
            for v in _variants(w, True, self.blocked):  # "لحزيران" is a partner too
                tags[v] = tags.get(v, 0) | _T_MONTH
        for w in self.forms:
            tags[w] = tags.get(w, 0) | _T_UNIT
        scan: dict[str, tuple] = {}
        for k in set(self.lex) | set(starters) | set(tags):
            if k[:1].isdigit():
                if k in self.lex:  # "11.11": found by the digit scan
                    self.digit_lex[k] = (*self.lex[k], 0)
                continue
            # A key may be longer than the lexicon phrase or pattern starter it begins with
            # ("عيد الفطر المبارك" starts an Eid date and holds the season "عيد الفطر").
            words = k.split(" ")
            entry, names, tag = None, [], 0
            for n in range(len(words), 0, -1):
                pre = " ".join(words[:n])
                if entry is None and pre in self.lex:
                    entry = (*self.lex[pre], 0 if n == len(words) else n)
                names.extend(a for a in starters.get(pre, ()) if a not in names)
                tag |= tags.get(pre, 0)
            scan[k] = (entry, tuple(sorted(names, key=order.__getitem__)), tag)
        self.scan = scan
        self.word_rx = re.compile(r"(?<!\w)" + _trie(scan) + _E)
        # digits (and a leading percent sign, "fy2026"); boundaries are checked in Python
        self.digit_rx = re.compile(r"[0-9%][0-9]*(?:[.,][0-9]+)*")

    # -- helpers ------------------------------------------------------------------------

    def num(self, s: str | None) -> float | None:
        if s is None:
            return None
        s = _SEP.sub(" ", s)
        if s[0].isdigit():
            try:
                return float(s)
            except ValueError:
                return None
        return self.numbers.get(s)

    def _lead(self, rx: re.Pattern, f: str, s: int, lo: int) -> int:
        m = rx.search(f, max(lo, s - 40), s)
        return m.start() if m else s

    def _blocked_duration(self, f: str, s: int, e: int) -> bool:
        return bool(
            self.dur_block_before.search(f, max(0, s - 40), s) or self.dur_block_after.match(f, e)
        )

    def _duration(self, f: str, s: int, e: int, n: float, unit: str, lo: int) -> Item | None:
        if n <= 0 or n > self.unit_max[unit] or n < self.unit_min[unit]:
            return None
        if self._blocked_duration(f, s, e):
            return None
        if unit == "hour" and self.hour_block_before.search(f, max(0, s - 40), s):
            return None
        days = max(1, round(n * self.unit_days[unit]))
        return [self._lead(self.dur_lead, f, s, lo), e, "duration", days]

    # -- handlers: (match, folded text, end of the previous time signal) → item or None ---

    def _h_cad(self, m: re.Match, f: str, lo: int) -> Item | None:
        ev = _SEP.sub(" ", m.group("ce"))
        unit = _SEP.sub(" ", m.group("cu"))
        days, implied = self.cadunits[unit]
        if unit.startswith("ال") and ev not in self.definite_every:
            return None  # كل الشهر = the whole month, not monthly
        n = self.num(m.group("cn"))
        every = max(1, round(self.every[ev] * (n if n is not None else implied) * days))
        start = m.start()
        if ev[0] in "وف" and ev[1:] in self.every:
            start += 1  # "وكل ربع سنة": the cadence starts at كل
        return [start, m.end(), "_cad", every]

    def _endpoint(self, m: re.Match, f: str, x: str, start: bool) -> tuple | None:
        """(calendar, month, day, year) of one end of a date range; Eid ends are resolved later."""
        g = m.group
        if x == "a" and g("bd_a") is not None:
            return ("?", None, int(re.match(r"\d+", g("bd_a")).group()), None)
        if g(f"e_{x}") is not None:
            kind = self.eid_names[_SEP.sub(" ", g(f"e_{x}"))]
            if self.eid_not_after.match(f, m.end(f"e_{x}")):
                return None
            if g(f"eo_{x}") is not None:
                o = g(f"eo_{x}")
                spec = ("nth", self.ordinals.get(o) or int(re.match(r"\d+", o).group()))
            elif g(f"em_{x}") is not None:
                spec = (self.eid_mods[_SEP.sub(" ", g(f"em_{x}"))], 0)
            else:
                spec = ("first", 0)
            return ("eid", kind, spec, None)
        if x == "b" and g("rel_b") is not None:
            return ("rel", None, None, None)
        cal, month = self.months[_SEP.sub(" ", g(f"m_{x}"))]
        mlen = self.month_days[cal][month - 1]
        d = g(f"d_{x}") or g(f"d2_{x}")
        if d is not None:
            day = self.ordinals.get(d) or int(re.match(r"\d+", d).group())
        elif x == "a" and g("ln_a") is not None:
            day = max(1, mlen - int(self.num(g("lnn_a")) or 10) + 1)
        elif g(f"mod_{x}") is not None:
            mod = self.modifiers[_SEP.sub(" ", g(f"mod_{x}"))]
            day = {
                "start": 1,
                "mid": 15,
                "end": mlen,
                "early": 1 if start else 10,
                "late": mlen - 9 if start else mlen,
            }[mod]
        else:
            day = 1 if start else mlen
        if not 1 <= day <= 31:
            return None
        y = g(f"y_{x}")
        return (cal, month, min(day, mlen), int(y) if y else None)

    def _eid_date(self, kind: str, spec: tuple, other_month: int | None) -> tuple | None:
        if kind == "any":
            if other_month in self.eid["adha_months"]:
                kind = "adha"
            elif other_month is None or other_month in self.eid["fitr_months"]:
                kind = "fitr"
            else:
                return None
        e = self.eid[kind]
        what, n = spec
        if what == "eve":
            month, day = (e["month"] - 1, 30) if e["day"] == 1 else (e["month"], e["day"] - 1)
        elif what == "last":
            month, day = e["month"], e["day"] + e["length"] - 1
        elif what == "nth":
            if not 1 <= n <= e["length"]:
                return None
            month, day = e["month"], e["day"] + n - 1
        else:
            month, day = e["month"], e["day"]
        return ("hijri", month, day, None)

    def _h_range(self, m: re.Match, f: str, lo: int) -> Item | None:
        a = self._endpoint(m, f, "a", True)
        b = self._endpoint(m, f, "b", False)
        if a is None or b is None:
            return None
        conn = _SEP.sub(" ", m.group("conn").strip()).removesuffix(" the")
        has_days = (m.group("d_a") or m.group("d2_a")) and (m.group("d_b") or m.group("d2_b"))
        if a[0] == "?":  # "1–15 March": the start borrows the end's month and year
            if b[0] not in ("gregorian", "hijri") or not (m.group("d_b") or m.group("d2_b")):
                return None
            a = (b[0], b[1], a[2], b[3])
        elif conn in self.weak and not has_days:
            return None  # "Ramadan and Eid" names two seasons, not a range
        if a[0] == "eid":
            a = self._eid_date(a[1], a[2], b[1] if b[0] == "hijri" else None)
            if a is None:
                return None
        if b[0] == "eid":
            b = self._eid_date(b[1], b[2], a[1] if a[0] == "hijri" else None)
        elif b[0] == "rel":
            b = (a[0], a[1], self.month_days[a[0]][a[1] - 1], a[3])
        if b is None or a[0] != b[0]:
            return None
        cal, cum = a[0], self.cum_days[a[0]]
        da = cum[a[1] - 1] + a[2]
        db = cum[b[1] - 1] + b[2]
        if a[3] is not None and b[3] is not None:
            years = b[3] - a[3]
        else:
            years = 0 if db >= da else 1
        days = db - da + 1 + years * self.year_days[cal]
        if days < 1 or days > self.max_range_days:
            return None
        return [self._lead(self.range_lead, f, m.start(), lo), m.end(), "date_range", days]

    def _h_yr(self, m: re.Match, f: str, lo: int) -> Item | None:
        ya, yb = int(m.group("ya")), int(m.group("yb"))
        if (ya < 1900) != (yb < 1900):
            return None
        conn = _SEP.sub(" ", m.group("yc").strip()).strip()
        span = yb - ya
        if (conn in self.year_and and span != 1) or not 1 <= span <= self.max_years:
            return None
        if span == 1 and self.year_label.search(f, max(0, m.start() - 30), m.start()):
            return None  # "العام الدراسي ٢٠٢٦–٢٠٢٧", "season 2026-27": one year's name
        if self._blocked_duration(f, m.start(), m.end()):
            return None
        days = (span + 1) * self.year_days["hijri" if ya < 1900 else "gregorian"]
        return [self._lead(self.dur_lead, f, m.start(), lo), m.end(), "duration", days]

    def _h_fixed_pattern(self, m: re.Match, f: str, lo: int, spec: dict) -> Item | None:
        if "days_per_quarter" in spec:
            q1 = int(m.group("q1"))
            q2 = int(m.group("q2") or q1)
            if q2 < q1:
                return None
            days = (q2 - q1 + 1) * int(spec["days_per_quarter"])
        else:
            days = int(spec["days"])
        if self._blocked_duration(f, m.start(), m.end()):
            return None
        return [self._lead(self.dur_lead, f, m.start(), lo), m.end(), "duration", days]

    def _h_fixed(self, m: re.Match, f: str, lo: int) -> Item | None:
        days = int(self.fixed[_SEP.sub(" ", m.group())])
        return [self._lead(self.dur_lead, f, m.start(), lo), m.end(), "duration", days]

    def _h_offer(self, m: re.Match, f: str, lo: int) -> Item | None:
        return [m.start(), m.end(), "offer", None]

    def _h_wasnow(self, m: re.Match, f: str, lo: int) -> Item | None:
        try:
            p1 = float(m.group("p1").replace(",", "").rstrip("."))
            p2 = float(m.group("p2").replace(",", "").rstrip("."))
        except ValueError:
            return None
        return [m.start(), m.end(), "offer", None] if 0 < p1 < p2 else None

    def _h_d1(self, m: re.Match, f: str, lo: int) -> Item | None:
        if m.group("dplus"):
            return None  # "4+ years" (experience, requirements)
        n = self.num(m.group("dn"))
        n1 = self.num(m.group("dn1"))
        if n is None or (m.group("dn1") and n1 is None):
            return None
        unit = self.forms[_SEP.sub(" ", m.group("du"))]
        if m.group("du1"):  # "6 months to 4 years": one span, as long as its longer end
            unit1 = self.forms[_SEP.sub(" ", m.group("du1"))]
            if n1 * self.unit_days[unit1] > n * self.unit_days[unit]:
                n, unit = n1, unit1
            n1 = None
        return self._duration(f, m.start(), m.end(), max(n, n1 or 0), unit, lo)

    def _h_d2(self, m: re.Match, f: str, lo: int) -> Item | None:
        unit = self.duals[_SEP.sub(" ", m.group("dd"))]
        return self._duration(f, m.start(), m.end(), 2, unit, lo)

    def _h_d3(self, m: re.Match, f: str, lo: int) -> Item | None:
        n = self.num(m.group("ufn"))
        unit = self.defpl[_SEP.sub(" ", m.group("uf"))]
        return None if n is None else self._duration(f, m.start(), m.end(), n, unit, lo)

    def _h_d4a(self, m: re.Match, f: str, lo: int) -> Item | None:
        unit = self.sing[_SEP.sub(" ", m.group("su"))]
        if m.group("sc") == "one" and unit == "day":
            return None  # "one day" is rarely a plan length
        return self._duration(f, m.start(), m.end(), 1, unit, lo)

    def _h_d4b(self, m: re.Match, f: str, lo: int) -> Item | None:
        unit = self.sing[_SEP.sub(" ", m.group("su3"))]
        return self._duration(f, m.start(), m.end(), 1, unit, lo)

    def _h_d4c(self, m: re.Match, f: str, lo: int) -> Item | None:
        unit = self.defsg[_SEP.sub(" ", m.group("su2"))]
        return self._duration(f, m.start(), m.end(), 1, unit, lo)


@cache
def _load(path: str) -> _Rules:
    with open(path, encoding="utf-8") as fh:
        return _Rules(json.load(fh))


def _rules() -> _Rules:
    return _load(str(RULES_PATH))


# --- extraction -------------------------------------------------------------------------


def _prefix_end(f: str, s: int, e: int, nwords: int) -> int:
    """End of the first ``nwords`` words of ``f[s:e]``."""
    seps = list(_SEP.finditer(f, s, e))
    return seps[nwords - 1].start() if len(seps) >= nwords else e


def _digit_hits(R: _Rules, f: str) -> list[tuple]:
    """Numbers that start a token (a clitic و/ب/ل/ف may be attached, or "FY") and ٪ signs."""
    hits = []
    for m in R.digit_rx.finditer(f):
        s = m.start()
        g = m.group()
        prev = f[s - 1] if s else " "
        if g[0] == "%":
            if not prev.isalnum() and prev != "%":
                hits.append((s, s + 1, None, R.percent_alts, 0))
            continue
        if prev.isalnum() or prev == "_":
            if prev == "y" and f[s - 2 : s] == "fy" and (s < 3 or not f[s - 3].isalnum()):
                hits.append((s - 2, m.end(), None, ("yr",), _T_DIGIT))
            elif prev in "وبلف" and (s < 2 or not f[s - 2].isalnum()):
                hits.append((s, m.end(), R.digit_lex.get(g), R.digit_alts, _T_DIGIT))
        elif not (prev in ".,/:" and s > 1 and f[s - 2].isdigit()):
            hits.append((s, m.end(), R.digit_lex.get(g), R.digit_alts, _T_DIGIT))
    return hits


def _scan(R: _Rules, f: str) -> tuple[list[Item], list, list, list[Item], list[Item]]:
    """Lexicon cues, and time patterns tried at their starter words."""
    get = R.scan.get
    hits = [
        (m.start(), m.end(), *h)
        for m in R.word_rx.finditer(f)
        if (h := get(m.group()) or get(_SEP.sub(" ", m.group()))) is not None
    ]
    tags = 0
    for h in hits:
        tags |= h[4]
    digits = _digit_hits(R, f)
    if digits:
        hits.extend(digits)
        hits.sort(key=itemgetter(0))
        tags |= _T_DIGIT
    # Patterns whose partner never occurs in this document are not tried at all.
    gates: dict[str, tuple | None] = {}
    for name, (partner, window) in _GATES.items():
        if isinstance(partner, int):
            gates[name] = (partner, window) if tags & partner else None
        else:
            ok = any(p in f for p in partner)
            gates[name] = (_GATE_RX[name], window) if ok else None
    items: list[Item] = []
    negs: list[tuple[int, int]] = []
    cues: list[tuple[int, int]] = []
    tbox: list[Item] = []
    adjs: list[Item] = []
    alts, exclusions = R.alts, R.exclusions
    time_end = 0
    nh = len(hits)
    for i, (s, e, entry, names, _) in enumerate(hits):
        if names and s >= time_end:
            rejected_end = 0
            for name in names:
                if name in gates:
                    gate = gates[name]
                    if gate is None:
                        continue
                    partner, window = gate
                    if isinstance(partner, int):
                        j = i + 1
                        while j < nh and hits[j][0] - s <= window and not hits[j][4] & partner:
                            j += 1
                        if j >= nh or hits[j][0] - s > window:
                            continue
                    elif partner.search(f, s, s + window) is None:
                        continue
                rx, handler = alts[name]
                mm = rx.match(f, s)
                if mm is not None:
                    it = handler(mm, f, time_end)
                    if it is not None:
                        items.append(it)
                        time_end = it[1]
                        break
                    rejected_end = max(rejected_end, mm.end())
            else:
                # A pattern that matched but was rejected (an age range, a warranty) also
                # covers the numbers inside it: "٤ سنين" in "من ٦ شهور لين ٤ سنين".
                time_end = max(time_end, rejected_end)
        if entry is None:
            continue
        kind, canon, value, nwords = entry
        if nwords:  # the lexicon phrase is the first words of what the scan matched
            e = _prefix_end(f, s, e, nwords)
        ex = exclusions.get(canon)
        if ex is not None:
            after, before = ex
            if after is not None and after.match(f, e):
                continue
            if before is not None and before.search(f, max(0, s - 30), s):
                continue
        if e - s > len(canon) and f.endswith(canon, s, e):
            s = e - len(canon)  # report "رمضان", not the attached و/ب/ل of "ورمضان"
        if kind == "_neg":
            negs.append((s, e))
        elif kind == "_rcue":
            cues.append((s, e))
        elif kind == "_tbox":
            tbox.append([s, e, "_tbox", None])
        elif kind == "_cadadj":
            adjs.append([s, e, "_cadadj", value])
        else:
            items.append([s, e, kind, None])
    return items, negs, cues, tbox, adjs


def _apply_negation(R: _Rules, f: str, items: list[Item], negs: list, tbox: list[Item]) -> None:
    """'not a launch plan', 'مش عرض وخلاص': a negated time-box cue becomes an ongoing cue."""
    if not negs:
        return
    targets = [
        it
        for it in items
        if it[2] in ("season", "event", "offer")
        or (it[2] == "duration" and it[3] <= R.neg_max_short)
    ]
    for it in targets + tbox:
        best = None
        for ns, ne in negs:
            if ne > it[0]:
                break
            if it[0] - ne <= R.neg_gap and not R.gap_blocker.search(f, ne, it[0]):
                best = ns
        if best is not None:
            if it[2] == "_tbox":
                items.append(it)
            it[0], it[2], it[3] = best, "ongoing", None


def _pair_reviews(R: _Rules, f: str, items: list[Item], cues: list, adjs: list[Item]) -> None:
    """A cadence next to a review word (same clause) is a review: 'نراجع كل ٣ أشهر'."""
    if not cues:
        return
    cads = [it for it in items if it[2] == "_cad"] + adjs
    # nothing else time-like may sit between a cadence and its review word
    spans = [(it[0], it[1]) for it in items if it[2] in ("duration", "date_range")]
    spans += [(c[0], c[1]) for c in cads]
    for cad in cads:
        maxgap = R.adj_gap if cad[2] == "_cadadj" else R.review_gap
        best = None
        for qs, qe in cues:
            if qe <= cad[0]:
                lo, hi, before = qe, cad[0], True
            elif qs >= cad[1]:
                lo, hi, before = cad[1], qs, False
            else:
                continue
            gap = hi - lo
            if gap > maxgap or R.gap_blocker.search(f, lo, hi):
                continue
            if any(lo <= s and e <= hi for s, e in spans):
                continue
            rank = (gap, not before)
            if best is None or rank < best[0]:
                best = (rank, qs, qe)
        if best is not None:
            _, qs, qe = best
            review = [min(qs, cad[0]), max(qe, cad[1]), "review", cad[3]]
            if cad[2] == "_cad":
                cad[:] = review
            else:
                items.append(review)


def _resolve(items: list[Item]) -> list[Item]:
    """Drop overlaps within a kind (and among time kinds), stronger and longer first."""
    order = sorted(items, key=lambda it: (-_PRIORITY.get(it[2], 1), it[0] - it[1], it[0]))
    kept: dict[str, list[tuple[int, int]]] = {}
    out: list[Item] = []
    for it in order:
        taken = kept.setdefault(_GROUP.get(it[2], it[2]), [])
        if any(it[0] < e and s < it[1] for s, e in taken):
            continue
        taken.append((it[0], it[1]))
        if not it[2].startswith("_"):
            out.append(it)
    out.sort(key=lambda it: (it[0], it[1], it[2]))
    return out


def extract_signals(text: str) -> list[dict]:
    """Signals found in the ORIGINAL text, in order of position.

    Each signal is ``{"kind", "text", "start", "end"}`` where ``text == original[start:end]``,
    plus ``"days"`` (int) for kinds ``duration`` and ``date_range`` and ``"every_days"``
    (int) for ``review`` when a cadence is stated. Kinds: ``duration``, ``date_range``,
    ``offer``, ``season``, ``event``, ``ongoing``, ``review`` (see :data:`KINDS`).
    Signals of one kind never overlap; a date range never also yields a duration for the
    same words, nor a review cadence ("every six months") a duration.

    Args:
        text: a plan, brief, chat message or any other document, as the user wrote it.

    Returns:
        The signals, sorted by ``start``.
    """
    if not text:
        return []
    R = _rules()
    f, offsets = fold_with_offsets(text)
    items, negs, cues, tbox, adjs = _scan(R, f)
    _apply_negation(R, f, items, negs, tbox)
    _pair_reviews(R, f, items, cues, adjs)
    out: list[dict] = []
    n = len(text)
    for s, e, kind, value in _resolve(items):
        if offsets is not None:
            s, e = offsets[s], offsets[e - 1] + 1
            while e < n and text[e] in _TRAILING_MARKS:
                e += 1
        sig: dict[str, Any] = {"kind": kind, "text": text[s:e], "start": s, "end": e}
        if kind in ("duration", "date_range"):
            sig["days"] = int(value)
        elif kind == "review" and value is not None:
            sig["every_days"] = int(value)
        out.append(sig)
    return out


# --- features ---------------------------------------------------------------------------


def signal_features(signals: list[dict]) -> list[float]:
    """Numbers in [0, 1] for a linear label model, one per :data:`FEATURE_NAMES`.

    Args:
        signals: the output of :func:`extract_signals` (extra keys are ignored).
    """
    cfg = _rules().features
    caps = cfg["caps"]
    spans = [
        float(s["days"])
        for s in signals
        if s.get("kind") in ("duration", "date_range") and s.get("days")
    ]
    counts = {k: 0 for k in KINDS}
    for s in signals:
        if s.get("kind") in counts:
            counts[s["kind"]] += 1
    cadences = [
        s["every_days"] for s in signals if s.get("kind") == "review" and s.get("every_days")
    ]
    long_d, short_d = float(cfg["long_days"]), float(cfg["short_days"])
    longest = max(spans, default=0.0)
    has_long = any(d >= long_d for d in spans)
    has_short = any(d <= short_d for d in spans)
    values = [
        min(1.0, math.log1p(longest) / math.log1p(float(cfg["span_norm_days"]))),
        float(has_long),
        float(any(short_d < d < long_d for d in spans)),
        float(has_short),
        float(has_short and not has_long and counts["ongoing"] == 0),
        min(counts["date_range"], caps["date_range"]) / caps["date_range"],
        min(counts["offer"], caps["offer"]) / caps["offer"],
        min(counts["season"], caps["season"]) / caps["season"],
        min(counts["event"], caps["event"]) / caps["event"],
        min(counts["ongoing"], caps["ongoing"]) / caps["ongoing"],
        min(counts["review"], caps["review"]) / caps["review"],
        float(any(d >= cfg["review_long_days"] for d in cadences)),
        float(any(d <= cfg["review_short_days"] for d in cadences)),
        min(counts["channel"], caps["channel"]) / caps["channel"],
        float(counts["channel"] == 0),
    ]
    return values


_rules()  # compile once at import: a broken signals.json fails here, not on a request
