"""Model lifecycle: train a candidate, evaluate it, promote it through a gate, roll back, prune.

These are the steps the CLI and the notebooks share; each one reads and writes only the
models and reports folders named in ``config`` (or passed in). The gate and the switching of
``current`` live in :mod:`.promotion` and are re-exported here.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__, config, load_model
from .artifacts import (
    CARD_FILE,
    current_version,
    list_versions,
    new_version,
    read_card,
    save_model,
    set_current,
)
from .atomic import atomic_write
from .corpus import corpus_sha256, load_corpus, split_docs
from .evaluate import evaluate_splits
from .promotion import (
    PROMOTION_TOLERANCE,
    current_on_split,
    gate,
    identical_current,
    nothing_changed,
    promote,
    rollback,
    split_sha256,
    summary_metrics,
)
from .report import save_plots, write_metrics
from .train import Progress, TrainParams, train

__all__ = [
    "PROMOTION_TOLERANCE",
    "Candidate",
    "current_on_split",
    "gate",
    "list_models",
    "promote",
    "prune",
    "rollback",
    "split_sha256",
    "summary_metrics",
    "train_candidate",
]


@dataclass
class Candidate:
    version: str
    folder: Path
    card: dict[str, Any]
    promoted: bool
    gate: dict[str, Any]


def train_candidate(
    corpus_path: Path | None = None,
    models_dir: Path | None = None,
    reports_dir: Path | None = None,
    params: TrainParams | None = None,
    promote: bool = True,
    force: bool = False,
    reason: str = "",
    with_fasttext: bool = True,
    progress: Progress | None = None,
) -> Candidate:
    """Train, save, evaluate on dev and test, write reports; promote if asked and the gate allows.

    ``current`` is only switched after evaluation succeeded, so a failed run never changes
    what is served.
    """
    say = progress or (lambda _m: None)
    corpus_path = config.corpus_path(corpus_path)
    models_dir = config.models_dir(models_dir)
    reports_dir = config.reports_dir(reports_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    docs = load_corpus(corpus_path)
    corpus_sha = corpus_sha256(corpus_path)
    result = train(docs, params, progress=say)
    version = new_version(corpus_sha)
    card: dict[str, Any] = {
        "version": version,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "plancheck": __version__,
        "corpus_sha256": corpus_sha,
        "corpus_documents": len(docs),
        "labels": list(config.LABELS),
        "elements": list(config.ELEMENTS),
        "training": result.report,
        "hyperparameters": result.report["chosen"],
        "thresholds": result.report["thresholds"],
    }
    folder = save_model(result.model, card, models_dir)
    say(f"saved {folder}")
    model = load_model(version, models_dir)  # verifies what was written
    card = read_card(folder)
    card["metrics"] = {}
    say("evaluating on dev and test (the baselines are trained once for both)")
    reports, fasttext_missing = evaluate_splits(model, docs, ("dev", "test"), with_fasttext)
    if fasttext_missing:
        say(
            "fastText baseline skipped: install the `fasttext` extra (pip install -e '.[fasttext]')"
        )
    for split, rep in reports.items():
        out = reports_dir / version
        write_metrics(rep, out, split)
        if split == "test":
            save_plots(rep, out)
        card["metrics"][split] = summary_metrics(rep) | {
            "split_sha256": split_sha256(split_docs(docs, split))
        }
        say(
            f"{split}: macro-F1 {rep['overall']['macro_f1']:.3f}, element micro-F1 {rep['elements']['micro']['f1']:.3f}"
        )
    same_as = identical_current(card, models_dir)
    if same_as is not None:  # the same model again: no new version, no new reports
        shutil.rmtree(folder)
        shutil.rmtree(reports_dir / version, ignore_errors=True)
        unchanged = nothing_changed(version, same_as)
        say(unchanged["why"] + "; no new version made")
        return Candidate(
            same_as, models_dir / same_as, read_card(models_dir / same_as), False, unchanged
        )
    atomic_write(folder / CARD_FILE, json.dumps(card, ensure_ascii=False, indent=2))
    verdict: dict[str, Any] = {"passed": False, "why": "not asked to promote"}
    promoted = False
    if promote:
        cur = current_version(models_dir)
        verdict = gate(card, current_on_split(cur, models_dir, corpus_path) if cur else None)
        if verdict["passed"] or force:
            why = reason or (
                "forced: " + verdict["why"]
                if not verdict["passed"]
                else "trained and passed the gate"
            )
            set_current(version, models_dir, reason=why)
            promoted = True
    return Candidate(version, folder, card, promoted, verdict)


def prune(keep: int, models_dir: Path | None = None) -> list[str]:
    """Delete all but the newest ``keep`` versions; the current model is always kept."""
    if keep < 1:
        raise ValueError("--keep must be at least 1")
    models_dir = config.models_dir(models_dir)
    cur = current_version(models_dir)
    versions = list_versions(models_dir)
    keep_set = set(versions[-keep:]) | ({cur} if cur else set())
    removed = [v for v in versions if v not in keep_set]
    for v in removed:
        shutil.rmtree(models_dir / v)
    return removed


def list_models(models_dir: Path | None = None) -> list[dict[str, Any]]:
    """One row per version: date, corpus hash, test macro-F1, element micro-F1, current."""
    models_dir = config.models_dir(models_dir)
    cur = current_version(models_dir)
    rows = []
    for v in list_versions(models_dir):
        card = read_card(models_dir / v)
        test = card.get("metrics", {}).get("test", {})
        rows.append(
            {
                "version": v,
                "created": card.get("created"),
                "corpus_sha256": card.get("corpus_sha256", "")[:12],
                "test_macro_f1": test.get("macro_f1"),
                "test_element_micro_f1": test.get("element_micro_f1"),
                "current": v == cur,
            }
        )
    return rows
