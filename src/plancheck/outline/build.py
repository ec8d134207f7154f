"""The outline's content, built from one result: what a client takes away to finish the plan.

Only what the result reports is used: the verdict and its ``summary``, each element's evidence
sentences, and for a campaign the time box, offer and platforms its signals name (through the
same :func:`~plancheck.summary.timebox` and platform names the summary and advice use). The
questions and the outline's sentences live in ``outline.json`` beside ``advice.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..advice import advice_language
from ..config import ELEMENTS, PACKAGE_DIR, display_names
from ..contract import Result
from ..signals.display import platform_names
from ..summary import join_names, offer_text, summary_texts, template_keys, timebox

_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@cache
def outline_texts() -> dict[str, Any]:
    """``outline.json``, checked: three questions or fewer (at least two) per element and
    language, and the same sentence keys in English and Arabic."""
    data: dict[str, Any] = json.loads((PACKAGE_DIR / "outline.json").read_text(encoding="utf-8"))
    for element in ELEMENTS:
        for lang in ("en", "ar"):
            asked = data["questions"].get(element, {}).get(lang, [])
            if not 2 <= len(asked) <= 3:
                raise ValueError(f"outline.json: {element}/{lang} needs 2 or 3 questions")
    en, ar = template_keys(data["text"]["en"]), template_keys(data["text"]["ar"])
    if en != ar:
        raise ValueError(f"outline.json: keys differ between en and ar: {sorted(en ^ ar)}")
    return data


@dataclass(frozen=True)
class ElementPart:
    """One of the eight elements: the sentences that state it, or the questions to answer."""

    element: str
    name: str
    #: The element's heading: its number in contract order and its name ("١. الأهداف").
    heading: str
    present: bool
    #: Evidence sentences from the result, whitespace tidied (present elements).
    evidence: tuple[str, ...]
    #: Two or three questions for the client (missing elements).
    questions: tuple[str, ...]
    #: "What the text already states:" or "Questions to answer…", in the outline's language.
    lead: str


@dataclass(frozen=True)
class Outline:
    """A strategy outline in one language (``ar`` or ``en``), ready to write as Markdown or DOCX.

    ``parts`` is empty for ``other`` (a non-plan gets no element checklist, as on the page);
    ``placement`` is filled for a campaign only.
    """

    language: str
    label: str
    title: str
    verdict: str
    summary: str
    checklist_title: str | None
    parts: tuple[ElementPart, ...]
    placement_title: str | None
    placement: tuple[str, ...]
    note: str | None
    footer: str
    model_version: str

    @property
    def rtl(self) -> bool:
        """True for an Arabic outline (written right to left)."""
        return self.language == "ar"


def _digits(n: int, lang: str) -> str:
    return str(n).translate(_ARABIC_DIGITS) if lang == "ar" else str(n)


def _percent(confidence: float, lang: str) -> str:
    n = _digits(round(max(0.0, min(1.0, confidence)) * 100), lang)
    return f"{n}٪" if lang == "ar" else f"{n}%"


def _tidy(sentence: str) -> str:
    return " ".join(sentence.split())


def _quoted(s: str, lang: str) -> str:
    q = summary_texts()[lang]["quote"]
    return f"{q[0]}{_tidy(s)}{q[1]}"


def _element_list(ids: Sequence[str], lang: str) -> str:
    names = [display_names()["elements"][e][lang] for e in ids]
    if lang == "en":
        names = [n[:1].lower() + n[1:] for n in names]
    return join_names(names, lang)


def placement_lines(
    signals: Sequence[Mapping[str, Any]], present: Sequence[str], lang: str
) -> list[str]:
    """ "Where this campaign sits in a strategy": its time box, offer and platforms as the
    result found them, what carries over, and where a strategy would place it."""
    t = outline_texts()["text"][lang]["placement"]
    span, theme = timebox(signals, lang)  # the summary's and the advice's own words
    lines = []
    if span:
        around = t["around"].format(theme=theme) if theme else ""
        lines.append(t["runs"].format(span=span, around=around))
    elif theme:
        lines.append(t["theme"].format(theme=theme))
    else:
        lines.append(t["push"])
    offer = offer_text(signals)
    if offer:
        text, quoted = offer
        lines.append(t["offer"].format(offer=_quoted(text, lang)) if quoted else t["offer_plain"])
    channels = next((s for s in signals if s.get("kind") == "channels"), None)
    names = platform_names(channels.get("platforms", []), lang) if channels else []
    if names:
        lines.append(t["channels"].format(channels=join_names(names, lang)))
    if present:
        lines.append(t["states"].format(elements=_element_list(present, lang)))
    lines.append(t["place"])
    return [str(line) for line in lines]


def build_outline(result: Result | Mapping[str, Any]) -> Outline:
    """The outline of one classified text, in the text's language.

    Arabic for ``ar`` and ``mixed`` texts, English for ``en`` (the rule of the summary and
    the advice). A strategy or a campaign gets all eight elements in contract order, each
    with the sentences that state it or two or three questions the client must answer; a
    campaign also gets "Where this campaign sits in a strategy". A text that is not a plan
    (``other``) gets the verdict, the summary and a note, and no checklist.

    Args:
        result: A result of ``Classifier.classify`` (the contract's shape).

    Returns:
        The :class:`Outline`; write it with :func:`outline_markdown` or :func:`outline_docx`.
    """
    lang = advice_language(str(result["language"]))
    data = outline_texts()
    t = data["text"][lang]
    names = display_names()
    label = str(result["label"])
    verdict = t["verdict"].format(
        label=names["labels"][label][lang],
        confidence=_percent(float(result["confidence"]), lang),
    )
    parts: list[ElementPart] = []
    placement: list[str] = []
    if label != "other":
        by_id = {str(e["id"]): e for e in result["elements"]}
        for k, element in enumerate(ELEMENTS, start=1):
            found = by_id.get(element, {})
            present = bool(found.get("present"))
            evidence = tuple(_tidy(s) for s in found.get("evidence", []) if s.strip())
            parts.append(
                ElementPart(
                    element=element,
                    name=names["elements"][element][lang],
                    heading=f"{_digits(k, lang)}. {names['elements'][element][lang]}",
                    present=present,
                    evidence=evidence if present else (),
                    questions=() if present else tuple(data["questions"][element][lang]),
                    lead=t["stated"] if present else t["questions"],
                )
            )
        if label == "campaign":
            stated = [p.element for p in parts if p.present]
            placement = placement_lines(result.get("signals", []), stated, lang)
    return Outline(
        language=lang,
        label=label,
        title=t["title"],
        verdict=verdict,
        summary=str(result.get("summary", "")),
        checklist_title=t["checklist"][label] if label != "other" else None,
        parts=tuple(parts),
        placement_title=t["placement"]["title"] if placement else None,
        placement=tuple(placement),
        note=t["other"] if label == "other" else None,
        footer=t["footer"],
        model_version=str(result.get("model_version", "")),
    )
