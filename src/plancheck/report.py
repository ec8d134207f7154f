"""Reports a person reads: the plain-text table of an evaluation and its plots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from . import config
from .text.display import has_arabic, visual_order


def format_report(rep: dict[str, Any]) -> str:
    """Plain-text table of a report (CLI output)."""
    o = rep["overall"]
    lines = [
        f"model {rep['model_version']} on {rep['n']} documents",
        f"macro-F1 {o['macro_f1']:.3f} [95% CI {o['ci95'][0]:.3f}–{o['ci95'][1]:.3f}]   accuracy {o['accuracy']:.3f}   ECE {o['ece']:.3f}   Brier {o['brier']:.3f}",
        "",
        f"{'class':10s} {'P':>6s} {'R':>6s} {'F1':>6s} {'n':>5s}",
    ]
    for lab, m in o["per_class"].items():
        lines.append(
            f"{lab:10s} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:5d}"
        )
    lines += ["", "confusion (rows = truth): " + " ".join(config.LABELS)]
    for lab, row in zip(config.LABELS, o["confusion"], strict=True):
        lines.append(f"  {lab:10s} " + " ".join(f"{v:5d}" for v in row))
    lines += ["", "by language:"]
    for lang, m in rep["per_language"].items():
        lines.append(f"  {lang:6s} macro-F1 {m['macro_f1']:.3f}  (n={m['n']})")
    lines += ["", "slices (macro-F1 over the labels present in each slice, 95% bootstrap CI):"]
    for name, m in rep["slices"].items():
        lines.append(
            f"  {name:34s} macro-F1 {m['macro_f1']:.3f} [{m['ci95'][0]:.3f}–{m['ci95'][1]:.3f}]"
            f"  acc {m['accuracy']:.3f}  n={m['n']}"
        )
    e = rep["elements_plans_only"]
    lines += [
        "",
        f"elements (strategy and campaign texts): micro-F1 {e['micro']['f1']:.3f}"
        f"   (all texts: {rep['elements']['micro']['f1']:.3f})",
    ]
    for name, m in e["per_element"].items():
        lines.append(
            f"  {name:15s} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  n={m['support']}"
        )
    lines += ["", "baselines (same documents):"]
    lines.append(f"  {'plancheck':16s} macro-F1 {o['macro_f1']:.3f}")
    for name, m in rep["baselines"].items():
        per = ", ".join(f"{k} {v:.3f}" for k, v in m["per_language"].items())
        ci = m.get("ci95", (0.0, 0.0))
        lines.append(
            f"  {name:16s} macro-F1 {m['macro_f1']:.3f} [{ci[0]:.3f}–{ci[1]:.3f}]   ({per})"
        )
    if rep.get("ablation"):
        for name, m in rep["ablation"].items():
            lines.append(
                f"  {name:16s} macro-F1 {m['macro_f1']:.3f}   (hard {m['hard_macro_f1']:.3f})"
            )
    return "\n".join(lines)


def write_metrics(rep: dict[str, Any], folder: Path, split: str) -> Path:
    """The full report as ``metrics-<split>.json`` in ``folder`` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"metrics-{split}.json"
    path.write_text(json.dumps(rep, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def renderer_shapes_arabic() -> bool:
    """Does this matplotlib shape and reorder Arabic itself? (≥ 3.11 does.)

    When it does, the classic ``get_display(reshape(s))`` recipe would draw Arabic backwards,
    so it must only be applied where the renderer does not shape.
    """
    import matplotlib  # heavy (~0.5 s): loaded only to decide how to plot

    major, minor = (int(x) for x in matplotlib.__version__.split(".")[:2])
    return (major, minor) >= (3, 11)


def for_renderer(text: str, renderer_shapes: bool | None = None) -> str:
    """Text ready for a renderer: unchanged if it shapes Arabic, else reshaped + bidi-ordered."""
    shapes = renderer_shapes_arabic() if renderer_shapes is None else renderer_shapes
    if shapes or not has_arabic(text):
        return text
    return visual_order(text)


def _label_names(lang_pair: bool = True) -> list[str]:
    names = config.display_names()["labels"]
    return [for_renderer(f"{names[lab]['en']} / {names[lab]['ar']}") for lab in config.LABELS]


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def save_plots(rep: dict[str, Any], folder: Path) -> list[Path]:
    """Confusion matrix, per-element F1 and reliability diagram as PNGs in ``folder``.

    Uses matplotlib's object API (no pyplot, no backend switch), so calling it from a
    notebook leaves inline plotting alone.
    """
    from matplotlib.figure import Figure  # heavy (~0.5 s): loaded only to plot

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    # Confusion matrix
    cm = np.asarray(rep["overall"]["confusion"])
    fig = Figure(figsize=(6.5, 5))
    ax = fig.subplots()
    ax.imshow(cm, cmap="Blues")
    names = _label_names()
    ax.set_xticks(range(3), names, rotation=20, ha="right")
    ax.set_yticks(range(3), names)
    for i in range(3):
        for j in range(3):
            dark = cm[i, j] > cm.max() / 2
            ax.text(
                j, i, str(cm[i, j]), ha="center", va="center", color="white" if dark else "black"
            )
    ax.set_xlabel("predicted")
    ax.set_ylabel("truth")
    ax.set_title(f"Confusion matrix (n={rep['n']}, macro-F1 {rep['overall']['macro_f1']:.3f})")
    paths.append(_save(fig, folder / "confusion.png"))
    # Per-element F1, horizontal so the Arabic names have room
    el_names = config.display_names()["elements"]
    per = rep["elements_plans_only"]["per_element"]
    fig = Figure(figsize=(7.5, 4.8))
    ax = fig.subplots()
    labels = [f"{e} — " + for_renderer(el_names[e]["ar"]) for e in config.ELEMENTS]
    ax.barh(range(8), [per[e]["f1"] for e in config.ELEMENTS], color="#3a7ca5")
    ax.set_yticks(range(8), labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.axvline(0.8, color="grey", ls="--", lw=1)
    ax.set_title(f"Element F1 (micro {rep['elements']['micro']['f1']:.3f})")
    paths.append(_save(fig, folder / "elements_f1.png"))
    # Reliability diagram
    bins = [b for b in rep["calibration"]["bins"] if b["count"]]
    fig = Figure(figsize=(5, 5))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=1)
    ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], marker="o")
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ax.set_title(f"Reliability (ECE {rep['calibration']['ece']:.3f})")
    paths.append(_save(fig, folder / "reliability.png"))
    return paths
