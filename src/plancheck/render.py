"""A result as text for a terminal, in the text's language."""

from __future__ import annotations

from .config import display_names
from .contract import Result
from .explain import advice_language
from .text.display import has_arabic, visual_order


def shape_for_terminal(s: str) -> str:
    """Reshape and bidi-order Arabic for terminals that do not shape it themselves."""
    if not has_arabic(s):
        return s
    return "\n".join(visual_order(line) for line in s.split("\n"))


_UI = {
    "en": {
        "verdict": "Verdict",
        "conf": "confidence",
        "elements": "Strategy elements",
        "missing": "Missing — advice",
        "signals": "Signals",
        "reasons": "Why",
    },
    "ar": {
        "verdict": "النتيجة",
        "conf": "الثقة",
        "elements": "عناصر الاستراتيجية",
        "missing": "العناصر الناقصة — نصائح",
        "signals": "المؤشرات",
        "reasons": "لماذا",
    },
}


def render_result(result: Result, shape: bool = False) -> str:
    """Label, confidence, the eight-element checklist with evidence, advice, signals, reasons."""
    lang = advice_language(result["language"])
    ui, names = _UI[lang], display_names()
    lab = names["labels"][result["label"]]
    lines = [
        *([result["summary"], ""] if result.get("summary") else []),
        f"{ui['verdict']}: {lab[lang]} ({lab['en'] if lang == 'ar' else lab['ar']})  "
        f"{ui['conf']} {result['confidence']:.0%}",
        "",
        ui["elements"] + ":",
    ]
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
            + "; ".join(
                f"{s['kind']}: {s['text']}" + (f" ({s['days']} d)" if "days" in s else "")
                for s in result["signals"]
            ),
        ]
    if result["reasons"]:
        lines += [ui["reasons"] + ": " + ", ".join(r["term"] for r in result["reasons"])]
    lines.append(f"model {result['model_version']}")
    out = "\n".join(lines)
    return shape_for_terminal(out) if shape else out
