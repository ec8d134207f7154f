"""Pattern handlers: turn a regex match into a signal item, with the date arithmetic."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from ..text.fold import _SEP
from .regex import Item

#: One end of a date range: (calendar, month, day, year); ("?", None, day, None) for a bare
#: day, ("eid", kind, (modifier, n), None) for an Eid, ("rel", None, None, None) for "end of".
_Endpoint: TypeAlias = tuple[str, Any, Any, int | None]


def _leading_int(s: str) -> int:
    """The number ``s`` starts with (its pattern guarantees a digit there)."""
    return int(cast("re.Match[str]", re.match(r"\d+", s)).group())


class _Handlers:
    """What each time pattern reads from its match: an item, or ``None`` to reject it."""

    # Built by ``_TimePatterns._build_time`` (and ``_Rules``) from ``signals.json``.
    numbers: dict[str, float]
    unit_days: dict[str, float]
    unit_min: dict[str, float]
    unit_max: dict[str, float]
    forms: dict[str, str]
    duals: dict[str, str]
    sing: dict[str, str]
    defpl: dict[str, str]
    defsg: dict[str, str]
    fixed: dict[str, float]
    dur_lead: re.Pattern[str]
    dur_block_before: re.Pattern[str]
    dur_block_after: re.Pattern[str]
    hour_block_before: re.Pattern[str]
    year_label: re.Pattern[str]
    months: dict[str, tuple[str, int]]
    month_days: dict[str, list[int]]
    cum_days: dict[str, list[int]]
    year_days: dict[str, int]
    ordinals: dict[str, int]
    modifiers: dict[str, str]
    eid: dict[str, Any]
    eid_names: dict[str, str]
    eid_mods: dict[str, str]
    eid_not_after: re.Pattern[str]
    weak: set[str]
    range_lead: re.Pattern[str]
    max_range_days: float
    year_and: set[str]
    max_years: int
    every: dict[str, float]
    definite_every: set[str]
    cadunits: dict[str, tuple[float, int]]

    if TYPE_CHECKING:

        def num(self, s: str | None) -> float | None: ...

    def _lead(self, rx: re.Pattern[str], f: str, s: int, lo: int) -> int:
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

    def _h_cad(self, m: re.Match[str], f: str, lo: int) -> Item | None:
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

    def _endpoint(self, m: re.Match[str], f: str, x: str, start: bool) -> _Endpoint | None:
        """(calendar, month, day, year) of one end of a date range; Eid ends are resolved later."""
        g = m.group
        if x == "a" and g("bd_a") is not None:
            return ("?", None, _leading_int(g("bd_a")), None)
        if g(f"e_{x}") is not None:
            kind = self.eid_names[_SEP.sub(" ", g(f"e_{x}"))]
            if self.eid_not_after.match(f, m.end(f"e_{x}")):
                return None
            if g(f"eo_{x}") is not None:
                o = g(f"eo_{x}")
                spec = ("nth", self.ordinals.get(o) or _leading_int(o))
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
            day = self.ordinals.get(d) or _leading_int(d)
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

    def _eid_date(
        self, kind: str, spec: tuple[str, int], other_month: int | None
    ) -> _Endpoint | None:
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

    def _h_range(self, m: re.Match[str], f: str, lo: int) -> Item | None:
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

    def _h_yr(self, m: re.Match[str], f: str, lo: int) -> Item | None:
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

    def _h_fixed_pattern(
        self, m: re.Match[str], f: str, lo: int, spec: dict[str, Any]
    ) -> Item | None:
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

    def _h_fixed(self, m: re.Match[str], f: str, lo: int) -> Item | None:
        days = int(self.fixed[_SEP.sub(" ", m.group())])
        return [self._lead(self.dur_lead, f, m.start(), lo), m.end(), "duration", days]

    def _h_offer(self, m: re.Match[str], f: str, lo: int) -> Item | None:
        return [m.start(), m.end(), "offer", None]

    def _h_wasnow(self, m: re.Match[str], f: str, lo: int) -> Item | None:
        try:
            p1 = float(m.group("p1").replace(",", "").rstrip("."))
            p2 = float(m.group("p2").replace(",", "").rstrip("."))
        except ValueError:
            return None
        return [m.start(), m.end(), "offer", None] if 0 < p1 < p2 else None

    def _h_d1(self, m: re.Match[str], f: str, lo: int) -> Item | None:
        if m.group("dplus"):
            return None  # "4+ years" (experience, requirements)
        n = self.num(m.group("dn"))
        n1 = self.num(m.group("dn1"))
        if n is None or (m.group("dn1") and n1 is None):
            return None
        unit = self.forms[_SEP.sub(" ", m.group("du"))]
        # "6 months to 4 years": one span, as long as its longer end (du1 implies dn1, so n1)
        if m.group("du1") and n1 is not None:
            unit1 = self.forms[_SEP.sub(" ", m.group("du1"))]
            if n1 * self.unit_days[unit1] > n * self.unit_days[unit]:
                n, unit = n1, unit1
            n1 = None
        return self._duration(f, m.start(), m.end(), max(n, n1 or 0), unit, lo)

    def _h_d2(self, m: re.Match[str], f: str, lo: int) -> Item | None:
        unit = self.duals[_SEP.sub(" ", m.group("dd"))]
        return self._duration(f, m.start(), m.end(), 2, unit, lo)

    def _h_d3(self, m: re.Match[str], f: str, lo: int) -> Item | None:
        n = self.num(m.group("ufn"))
        unit = self.defpl[_SEP.sub(" ", m.group("uf"))]
        return None if n is None else self._duration(f, m.start(), m.end(), n, unit, lo)

    def _h_d4a(self, m: re.Match[str], f: str, lo: int) -> Item | None:
        unit = self.sing[_SEP.sub(" ", m.group("su"))]
        if m.group("sc") == "one" and unit == "day":
            return None  # "one day" is rarely a plan length
        return self._duration(f, m.start(), m.end(), 1, unit, lo)

    def _h_d4b(self, m: re.Match[str], f: str, lo: int) -> Item | None:
        unit = self.sing[_SEP.sub(" ", m.group("su3"))]
        return self._duration(f, m.start(), m.end(), 1, unit, lo)

    def _h_d4c(self, m: re.Match[str], f: str, lo: int) -> Item | None:
        unit = self.defsg[_SEP.sub(" ", m.group("su2"))]
        return self._duration(f, m.start(), m.end(), 1, unit, lo)
