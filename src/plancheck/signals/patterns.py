"""The time patterns (durations, date ranges, cadences, offers), built from ``signals.json``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from ..text.fold import _fold_pattern, _key
from .handlers import _Handlers
from .regex import (
    _DAY,
    _DIG,
    _DIGITS,
    _E,
    _PCT,
    _PERCENT,
    _YEAR,
    Handler,
    _prefixed,
    _trie,
    _variants,
)


class _TimePatterns(_Handlers):
    """Builders of the time patterns (durations, date ranges, cadences, offers)."""

    blocked: frozenset[str]  # set by ``_Rules``

    if TYPE_CHECKING:

        def _alt(self, name: str, rx: str, handler: Handler, starts: Iterable[str]) -> None: ...

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
                partial(self._h_fixed_pattern, spec=fp),
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
