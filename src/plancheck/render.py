"""A result as text for a terminal, in the text's language."""

from __future__ import annotations

from typing import Any

from .advice import advice_language
from .config import display_names
from .contract import Result
from .text.display import has_arabic, visual_order


def shape_for_terminal(s: str) -> str:
    """Reshape and bidi-order Arabic for terminals that do not shape it themselves."""
    if not has_arabic(s):
        return s
    return "\n".join(visual_order(line) for line in s.split("\n"))


_UI: dict[str, dict[str, Any]] = {
    "en": {
        "verdict": "Verdict",
        "conf": "confidence",
        "checklist": {
            "strategy": "Strategy elements",
            "campaign": "What it would take to become a strategy",
        },
        "missing": "Missing — advice",
        "signals": "Signals",
        "reasons": "Why",
        "days": "days",
        "sep": "; ",
        "comma": ", ",
        "model": "model",
    },
    "ar": {
        "verdict": "النتيجة",
        "conf": "الثقة",
        "checklist": {
            "strategy": "عناصر الاستراتيجية",
            "campaign": "ما تحتاجه لتصبح استراتيجية",
        },
        "missing": "العناصر الناقصة — نصائح",
        "signals": "المؤشرات",
        "reasons": "لماذا",
        "days": "يوماً",
        "sep": "؛ ",
        "comma": "، ",
        "model": "النموذج",
    },
}


def _kind_name(kind: str, lang: str) -> str:
    """A signal kind in the reader's language (an unknown kind as it is, never dropped)."""
    return str(display_names().get("signal_kinds", {}).get(kind, {}).get(lang, kind))


def render_result(result: Result, shape: bool = False) -> str:
    """Label, confidence, the eight-element checklist with evidence, advice, signals, reasons."""
    lang = advice_language(result["language"])
    ui, names = _UI[lang], display_names()
    lab = names["labels"][result["label"]]
    lines = [
        *([result["summary"], ""] if result.get("summary") else []),
        f"{ui['verdict']}: {lab[lang]} ({lab['en'] if lang == 'ar' else lab['ar']})  "
        f"{ui['conf']} {result['confidence']:.0%}",
    ]
    # Not a plan: no checklist (a job ad's salary line is not a budget), only what it is.
    if result["label"] != "other":
        lines += ["", ui["checklist"][result["label"]] + ":"]
        for el in result["elements"]:
            mark = "✔" if el["present"] else "✘"
            lines.append(f"  {mark} {names['elements'][el['id']][lang]} ({el['score']:.2f})")
            for ev in el["evidence"]:
                lines.append(f"      “{ev}”")
        if result["advice"]:
            lines += ["", ui["missing"] + ":"]
            for a in result["advice"]:
                lines.append(f"  • {names['elements'][a['element']][lang]}: {a['message']}")
    if result["signals"]:
        lines += [
            "",
            ui["signals"]
            + ": "
            + ui["sep"].join(
                f"{_kind_name(s['kind'], lang)}: {s['text']}"
                + (f" ({s['days']:g} {ui['days']})" if s.get("days") else "")
                for s in result["signals"]
            ),
        ]
    if result["reasons"]:
        lines += [ui["reasons"] + ": " + ui["comma"].join(r["term"] for r in result["reasons"])]
    lines.append(f"{ui['model']} {result['model_version']}")
    out = "\n".join(lines)
    return shape_for_terminal(out) if shape else out
