"""Model lifecycle: train a candidate, evaluate it, promote it through a gate, roll back, prune.

These are the steps the CLI and the notebooks share; each one reads and writes only the
models and reports folders named in ``config`` (or passed in).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from . import config
from .artifacts import (
    CARD_FILE,
    HISTORY,
    current_version,
    list_versions,
    load_artifact,
    new_version,
    read_card,
    save_model,
    set_current,
)
from .atomic import atomic_write
from .baselines import tfidf_lr_predictions
from .corpus import Document, corpus_sha256, load_corpus, split_docs
from .errors import ModelNotFoundError
from .evaluate import evaluate, fasttext_predictions
from .report import save_plots
from .train import Progress, TrainParams, train

#: A candidate may be at most this much below the current model (test macro-F1 and element
#: micro-F1) and still be promoted.
PROMOTION_TOLERANCE = 0.01


@dataclass
class Candidate:
    version: str
    folder: Path
    card: dict[str, Any]
    promoted: bool
    gate: dict[str, Any]


def split_sha256(docs: Iterable[Document]) -> str:
    """Identity of an evaluation split: the gate only compares figures from the same one."""
    import hashlib

    h = hashlib.sha256()
    for d in sorted(docs, key=lambda d: d.id):
        h.update(
            d.id.encode("utf-8") + b"\0" + d.text.encode("utf-8") + b"\0" + d.label.encode("utf-8")
        )
    return h.hexdigest()


def summary_metrics(report: dict[str, Any]) -> dict[str, Any]:
    """The figures a model card and ``models list`` show for one split."""
    return {
        "n": report["n"],
        "macro_f1": report["overall"]["macro_f1"],
        "accuracy": report["overall"]["accuracy"],
        "per_language_macro_f1": {k: v["macro_f1"] for k, v in report["per_language"].items()},
        "hard_macro_f1": report["slices"].get("difficulty=hard", {}).get("macro_f1"),
        "ece": report["overall"]["ece"],
        "brier": report["overall"]["brier"],
        "element_micro_f1": report["elements_plans_only"]["micro"]["f1"],
        "element_f1": {
            k: v["f1"] for k, v in report["elements_plans_only"]["per_element"].items()
        },
        "baselines": {k: v["macro_f1"] for k, v in report["baselines"].items()},
    }


def gate(
    candidate: dict[str, Any],
    current: dict[str, Any] | None,
    tolerance: float = PROMOTION_TOLERANCE,
) -> dict[str, Any]:
    """Whether a candidate card may replace the current one (same test split, both metrics)."""
    if current is None:
        return {"passed": True, "why": "no current model"}
    c, k = candidate.get("metrics", {}).get("test"), current.get("metrics", {}).get("test")
    if not c or not k:
        return {"passed": False, "why": "a model lacks test metrics; evaluate it first"}
    checks: dict[str, dict[str, Any]] = {}
    for key in ("macro_f1", "element_micro_f1"):
        checks[key] = {"candidate": c[key], "current": k[key], "ok": c[key] >= k[key] - tolerance}
    passed = all(v["ok"] for v in checks.values())
    why = (
        "passes"
        if passed
        else "worse than current by more than the tolerance: "
        + ", ".join(
            f"{key} {v['candidate']:.3f} < {v['current']:.3f} − {tolerance}"
            for key, v in checks.items()
            if not v["ok"]
        )
    )
    return {"passed": passed, "why": why, "tolerance": tolerance, "checks": checks}


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
    from . import load_model

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
        "plancheck": _package_version(),
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
    train_docs = split_docs(docs, "train")
    train_labels = [d.label for d in train_docs]
    card = read_card(folder)
    card["metrics"] = {}
    for split in ("dev", "test"):
        eval_docs = split_docs(docs, split)
        extra: dict[str, list[str]] = {
            "tfidf_lr": tfidf_lr_predictions(
                [d.text for d in train_docs], train_labels, [d.text for d in eval_docs]
            )
        }
        if with_fasttext:
            ft = fasttext_predictions(train_docs, eval_docs)
            if ft is not None:
                extra["fasttext"] = ft
            else:
                say(
                    "fastText baseline skipped: install the `fasttext` extra (pip install -e '.[fasttext]')"
                )
        rep = evaluate(model, eval_docs, train_labels, extra)
        out = reports_dir / version
        out.mkdir(parents=True, exist_ok=True)
        (out / f"metrics-{split}.json").write_text(
            json.dumps(rep, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        if split == "test":
            save_plots(rep, out)
        card["metrics"][split] = summary_metrics(rep) | {"split_sha256": split_sha256(eval_docs)}
        say(
            f"{split}: macro-F1 {rep['overall']['macro_f1']:.3f}, element micro-F1 {rep['elements']['micro']['f1']:.3f}"
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


def current_on_split(
    version: str, models_dir: Path, corpus_path: Path | None = None
) -> dict[str, Any]:
    """The card of ``version`` with test metrics on the corpus's *current* test split.

    When the corpus has grown since that model was evaluated, its card's figures come from
    another split; the gate then re-evaluates it so both models are judged on the same one.
    """
    from . import load_model

    card = read_card(models_dir / version)
    docs = load_corpus(corpus_path)
    test_docs = split_docs(docs, "test")
    sha = split_sha256(test_docs)
    if card.get("metrics", {}).get("test", {}).get("split_sha256") == sha:
        return card
    rep = evaluate(
        load_model(version, models_dir), test_docs, [d.label for d in split_docs(docs, "train")]
    )
    return card | {
        "metrics": {
            **card.get("metrics", {}),
            "test": summary_metrics(rep) | {"split_sha256": sha},
        }
    }


def _check_loads(version: str, models_dir: Path) -> None:
    """Refuse to point ``current`` at a model that would not load (hash, versions, rules)."""
    load_artifact(models_dir / version)


def _package_version() -> str:
    from . import __version__

    return __version__


def promote(
    version: str,
    models_dir: Path | None = None,
    force: bool = False,
    reason: str = "",
    corpus_path: Path | None = None,
) -> dict[str, Any]:
    """Make ``version`` current if it passes the gate against the current model (or ``force``).

    Both are judged on the test split of ``corpus_path`` (default: the project corpus); a
    model whose card holds figures from another split is re-evaluated first.
    """
    models_dir = config.models_dir(models_dir)
    cand = read_card(models_dir / version)
    cur = current_version(models_dir)
    if cur == version:
        return {"passed": True, "why": f"{version} is already current", "promoted": False}
    _check_loads(version, models_dir)
    same_split = cand.get("metrics", {}).get("test", {}).get("split_sha256")
    current = read_card(models_dir / cur) if cur else None
    if (
        cur
        and current
        and same_split != current.get("metrics", {}).get("test", {}).get("split_sha256")
    ):
        current = current_on_split(cur, models_dir, corpus_path)
        if same_split != current["metrics"]["test"]["split_sha256"]:
            cand = current_on_split(version, models_dir, corpus_path)
    verdict = gate(cand, current)
    if not verdict["passed"] and not force:
        return {**verdict, "promoted": False}
    if not verdict["passed"] and not reason:
        raise ValueError("--force needs a --reason, which is logged in models/history.jsonl")
    set_current(version, models_dir, reason=reason or "promoted: " + verdict["why"])
    return {**verdict, "promoted": True}


def rollback(models_dir: Path | None = None) -> str:
    """Point ``current`` back at the model that was current before the last switch."""
    models_dir = config.models_dir(models_dir)
    hist = models_dir / HISTORY
    entries = (
        [json.loads(x) for x in hist.read_text(encoding="utf-8").splitlines() if x.strip()]
        if hist.is_file()
        else []
    )
    cur = current_version(models_dir)
    for e in reversed(entries):
        if e["to"] == cur and e.get("from") and (models_dir / e["from"] / CARD_FILE).is_file():
            _check_loads(e["from"], models_dir)
            set_current(e["from"], models_dir, reason=f"rollback from {cur}")
            return cast(str, e["from"])
    raise ModelNotFoundError(
        "nothing to roll back to: no earlier current model in models/history.jsonl"
    )


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
