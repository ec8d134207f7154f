"""The result's ``summary``: what the text is and why, in a marketer's words and its language.

Built only from what the same result reports (label, confidence, signals, elements), so it can
never contradict them: a horizon is named only when the ``horizon`` element is present, a
campaign's length only when a time-box signal was found. Sentences live in ``summary.json``
beside ``advice.json`` so they can be edited without touching code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from .config import PACKAGE_DIR, display_names
from .text import fold_token

#: Confidence bands of the opening words: "A campaign" / "Likely a campaign" / "Uncertain…".
SURE, LIKELY = 0.9, 0.7
#: A span up to this many days is a campaign's time box; from ``LONG_DAYS`` on, a horizon.
CAMPAIGN_MAX_DAYS, LONG_DAYS = 180, 300

_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@cache
def summary_texts() -> dict[str, Any]:
    """The sentence pieces per language, checked to have the same keys in both."""
    data: dict[str, Any] = json.loads((PACKAGE_DIR / "summary.json").read_text(encoding="utf-8"))
    en, ar = template_keys(data["en"]), template_keys(data["ar"])
    if en != ar:
        raise ValueError(f"summary.json: keys differ between en and ar: {sorted(en ^ ar)}")
    return data


def template_keys(d: Mapping[str, Any], prefix: str = "") -> set[str]:
    """Dotted paths of the sentence pieces under ``d`` ("campaign.runs", "units.day")."""
    out: set[str] = set()
    for k, v in d.items():
        out |= template_keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k}
    return out


def _number(n: int, lang: str) -> str:
    return str(n).translate(_ARABIC_DIGITS) if lang == "ar" else str(n)


def counted(n: int, unit: str, lang: str, bare_one: bool = False) -> str:
    """``n`` units with the noun in the right form ("27 days", «٢٧ يوماً», «٣ أشهر»).

    Arabic counts take the dual for 2, the plural for 3–10 and the accusative singular from
    11 on. Every Arabic template puts the count after a preposition or «كل» (على مدى، كل), so
    the dual is the oblique «شهرين», never «شهران». ``bare_one`` gives the noun alone for 1 ("every week", «كل أسبوع»).
    """
    forms = summary_texts()[lang]["units"][unit]
    if lang == "en":
        if n == 1:
            return forms[0] if bare_one else f"1 {forms[0]}"
        return f"{n} {forms[1]}"
    if n == 1:
        return str(forms[0].split()[0] if bare_one else forms[0])
    if n == 2:
        return str(forms[1])
    return f"{_number(n, lang)} {forms[2] if n <= 10 else forms[3]}"


def span_words(days: float, lang: str) -> str:
    """A length of time in the unit a person would use: days, then months, then years."""
    if days < 60:
        return counted(max(1, round(days)), "day", lang)
    if days < 330:
        return counted(round(days / 30), "month", lang)
    return counted(max(1, round(days / 365)), "year", lang)


def every_words(days: float, lang: str) -> str:
    """A review period ("six months" → «٦ أشهر»; a week → "week")."""
    if days < 7:
        n, unit = max(1, round(days)), "day"
    elif days < 28:
        n, unit = round(days / 7), "week"
    elif days < 330:
        n, unit = round(days / 30), "month"
    else:
        n, unit = max(1, round(days / 365)), "year"
    return counted(n, unit, lang, bare_one=True)


def join_names(names: Sequence[str], lang: str) -> str:
    spec = summary_texts()[lang]["list"]
    if len(names) <= 1:
        return "".join(names)
    last = spec["last"]
    if lang == "en" and len(names) > 2:
        last = "," + last  # the names themselves contain "and": keep the list readable
    return str(spec["sep"].join(names[:-1]) + last + names[-1])


def _quote(s: str, lang: str) -> str:
    q = summary_texts()[lang]["quote"]
    return f"{q[0]}{' '.join(s.split())}{q[1]}"


def _element_names(ids: Sequence[str], lang: str) -> list[str]:
    names = display_names()["elements"]
    shown = [names[e][lang] for e in ids]
    return [n[:1].lower() + n[1:] for n in shown] if lang == "en" else shown


def _band(confidence: float) -> str:
    return "sure" if confidence >= SURE else "likely" if confidence >= LIKELY else "unsure"


def offer_text(signals: Sequence[Mapping[str, Any]]) -> tuple[str, bool] | None:
    """The offer a campaign rests on, as the text words it, and whether it is worth quoting.

    The most specific offer signal wins («اشتر ٢ واحصل على الثالث مجاناً» over the bare word
    «العرض»); a one-word offer names no offer, so it is not quoted.
    """
    offers = [
        str(s["text"])
        for s in signals
        if s.get("kind") == "offer" and str(s.get("text", "")).strip()
    ]
    if not offers:
        return None
    best = max(offers, key=lambda o: len(o.split()))
    return best, len(best.split()) >= 2


def _first(signals: Sequence[Mapping[str, Any]], *kinds: str) -> Mapping[str, Any] | None:
    for kind in kinds:
        for s in signals:
            if s.get("kind") == kind and str(s.get("text", "")).strip():
                return s
    return None


def _spans(signals: Sequence[Mapping[str, Any]]) -> list[float]:
    return [
        float(s["days"])
        for s in signals
        if s.get("kind") in ("duration", "date_range") and s.get("days")
    ]


def _strategy(t: dict[str, Any], head: str, present: set[str], signals: Any, lang: str) -> str:
    if "horizon" not in present:  # a horizon the element detector did not find is not claimed
        return str(t["plain"].format(head=head))
    long = [d for d in _spans(signals) if d >= LONG_DAYS]
    reviews = [float(s["every_days"]) for s in signals if s.get("every_days")]
    span = span_words(max(long), lang) if long else None
    every = every_words(min(reviews), lang) if reviews else None
    key = "span_review" if span and every else "span" if span else "review" if every else "plain"
    return str(t[key].format(head=head, span=span, every=every))


@cache
def _generic_events() -> dict[str, str]:
    """Folded event words that name no event of their own → ``launch`` or ``opening``."""
    return {
        _event_key(w): kind
        for kind, words in summary_texts()["generic_events"].items()
        if not kind.startswith("_")
        for w in words
    }


def _event_key(text: str) -> str:
    key = " ".join(fold_token(text).replace("-", " ").split())
    return key[2:] if key.startswith("ال") else key


def _theme(signals: Sequence[Mapping[str, Any]], lang: str) -> str | None:
    """The season or event a campaign is built around: quoted as the text names it, or in
    words when the text only says that something is launched or opened ("a launch")."""
    season = _first(signals, "season")
    if season:
        return _quote(str(season["text"]), lang)
    generic = None
    for s in signals:
        if s.get("kind") != "event" or not str(s.get("text", "")).strip():
            continue
        kind = _generic_events().get(_event_key(str(s["text"])))
        if kind is None:
            return _quote(str(s["text"]), lang)  # a named event: "GITEX", «معرض الكتاب»
        generic = generic or kind
    return str(summary_texts()[lang]["campaign"][generic]) if generic else None


def timebox(signals: Sequence[Mapping[str, Any]], lang: str) -> tuple[str | None, str | None]:
    """A campaign's length and its season or event, in words ("27 days", "“Back to School”",
    "a launch").

    Shared by the summary and the advice, so the two never describe the time box differently.
    """
    boxes = [d for d in _spans(signals) if d <= CAMPAIGN_MAX_DAYS]
    return (span_words(max(boxes), lang) if boxes else None, _theme(signals, lang))


def _campaign(t: dict[str, Any], head: str, signals: Any, lang: str) -> str:
    span, theme = timebox(signals, lang)
    offer = offer_text(signals)
    if not (span or theme or offer):
        return str(t["plain"].format(head=head))
    parts = t["runs"].format(days=span) if span else t["push"]
    if theme:
        parts += t["around"].format(theme=theme)
    if offer:
        text, quoted = offer
        parts += t["offer_quoted"].format(offer=_quote(text, lang)) if quoted else t["offer"]
    return str(t["sentence"].format(head=head, parts=parts))


def summarize(
    label: str,
    confidence: float,
    language: str,
    elements: Sequence[Mapping[str, Any]],
    signals: Sequence[Mapping[str, Any]],
) -> str:
    """One or two sentences: what the text is (and how sure), why, and what it lacks."""
    lang = "en" if language == "en" else "ar"  # Arabic for Arabic and mixed, as advice
    texts = summary_texts()[lang]
    head = texts["head"][label][_band(confidence)]
    present = {str(e["id"]) for e in elements if e["present"]}
    missing = [str(e["id"]) for e in elements if not e["present"]]
    t = texts[label]
    if label == "other":
        return str(t["plain"].format(head=head))
    if label == "strategy":
        first = _strategy(t, head, present, signals, lang)
        second = (
            t["missing"].format(
                n=_number(len(present), lang),
                missing=join_names(_element_names(missing, lang), lang),
            )
            if missing
            else t["complete"]
        )
    else:
        first = _campaign(t, head, signals, lang)
        second = (
            t["missing"].format(missing=join_names(_element_names(missing, lang), lang))
            if missing
            else t["complete"]
        )
    return f"{first} {second}"
