"""Everything compiled from ``signals.json``: lexicon, time patterns, the one-pass scan tables."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from ..text.fold import _SEP, _fold_pattern, _key
from .handlers import _Handlers
from .kinds import RULES_PATH
from .patterns import _TimePatterns
from .regex import (
    _DIGITS,
    _E,
    _LEX_KINDS,
    _PERCENT,
    _T_MONTH,
    _T_UNIT,
    Handler,
    LexEntry,
    _trie,
    _variants,
)


class _Rules(_TimePatterns, _Handlers):
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
        self.digit_lex: dict[str, LexEntry] = {}
        self.alts: dict[str, tuple[re.Pattern[str], Handler]] = {}
        self._build_lexicon(data)
        self._build_time(data)
        self._build_scan()
        neg = data["negation"]
        self.neg_gap = int(neg["gap_chars"])
        self.neg_max_short = float(neg["max_short_days"])
        self.neg_max_words = int(neg["max_words_between"])
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
        self.exclusions: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]] = {}
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
        handler: Handler,
        starts: Iterable[str],
    ) -> None:
        self.alts[name] = (re.compile(rx), handler)
        for w in starts:
            names = self.starters.setdefault(w, [])
            if name not in names:
                names.append(name)

    # time: durations, date ranges, cadences, offers with numbers
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
        scan: dict[str, tuple[LexEntry | None, tuple[str, ...], int]] = {}
        for k in sorted(set(self.lex) | set(starters) | set(tags)):  # hash-seed independent
            if k[:1].isdigit():
                if k in self.lex:  # "11.11": found by the digit scan
                    self.digit_lex[k] = (*self.lex[k], 0)
                continue
            # A key may be longer than the lexicon phrase or pattern starter it begins with
            # ("عيد الفطر المبارك" starts an Eid date and holds the season "عيد الفطر").
            words = k.split(" ")
            entry: LexEntry | None = None
            names: list[str] = []
            tag = 0
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


@cache
def _load(path: str) -> _Rules:
    with open(path, encoding="utf-8") as fh:
        return _Rules(json.load(fh))


def _rules() -> _Rules:
    return _load(str(RULES_PATH))


def compile_rules() -> None:
    """Compile the rules of ``signals.json`` now (once per process; 0.4–0.8 s).

    Not done at import, so commands and imports that classify nothing do not pay it;
    :class:`plancheck.classifier.Classifier` calls it when a model is loaded, so a broken
    ``signals.json`` fails there, not on a request (and a preforking server compiles the
    rules once, before it forks)."""
    _rules()
