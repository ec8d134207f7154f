"""Promotion: the gate a candidate passes to become ``current``, and switching ``current``
(promote, roll back). Both models are judged on the same test split.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from . import config, load_model
from .artifacts import CARD_FILE, HISTORY, current_version, load_artifact, read_card, set_current
from .corpus import Document, load_corpus, split_docs
from .errors import ModelIntegrityError, ModelNotFoundError
from .evaluate import evaluate

#: A candidate may be at most this much below the current model (test macro-F1 and element
#: micro-F1) and still be promoted.
PROMOTION_TOLERANCE = 0.01


def split_sha256(docs: Iterable[Document]) -> str:
    """Identity of an evaluation split: the gate only compares figures from the same one."""
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


def current_on_split(
    version: str, models_dir: Path, corpus_path: Path | None = None
) -> dict[str, Any]:
    """The card of ``version`` with test metrics on the corpus's *current* test split.

    When the corpus has grown since that model was evaluated, its card's figures come from
    another split; the gate then re-evaluates it so both models are judged on the same one.
    """
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


#: Built against the same things: the pickle's dependencies and the training inputs.
_SAME_BUILD = (
    "sklearn",
    "signals_sha256",
    "fold_sha256",
    "plancheck",
    "corpus_sha256",
    "model_layout",
)


def identical_current(card: dict[str, Any], models_dir: Path) -> str | None:
    """The current version when ``card`` describes the same model, else ``None``.

    The same model is the same pickle, or — since a pickle's bytes can differ for equal
    objects — the same corpus, code hashes and chosen hyperparameters with the same test
    figures. Retraining on an unchanged corpus gives such a model; promoting it would add a
    version and a history line that change nothing.
    """
    cur = current_version(models_dir)
    if cur is None or cur == card.get("version"):
        return None
    try:
        current = read_card(models_dir / cur)
    except ModelNotFoundError:
        return None
    if card.get("model_sha256") and card.get("model_sha256") == current.get("model_sha256"):
        return cur
    keys = (*_SAME_BUILD, "hyperparameters")
    same_build = all(card.get(k) is not None and card.get(k) == current.get(k) for k in keys)

    def model_figures(c: dict[str, Any]) -> dict[str, Any] | None:  # baselines are not the model
        test = c.get("metrics", {}).get("test")
        return None if test is None else {k: v for k, v in test.items() if k != "baselines"}

    figures = model_figures(card)
    same_figures = figures is not None and figures == model_figures(current)
    return cur if same_build and same_figures else None


def nothing_changed(version: str, cur: str) -> dict[str, Any]:
    """The verdict for a candidate identical to the current model."""
    why = f"nothing changed: {version} is the same model as the current {cur}"
    return {"passed": False, "why": why, "promoted": False, "unchanged": True}


def _check_loads(version: str, models_dir: Path) -> None:
    """Refuse to point ``current`` at a model that would not load (hash, versions, rules)."""
    load_artifact(models_dir / version)


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
    same_as = identical_current(cand, models_dir)
    if same_as is not None:
        return nothing_changed(version, same_as)
    _check_loads(version, models_dir)
    same_split = cand.get("metrics", {}).get("test", {}).get("split_sha256")
    current = read_card(models_dir / cur) if cur else None
    stale = None
    if (
        cur
        and current
        and same_split != current.get("metrics", {}).get("test", {}).get("split_sha256")
    ):
        try:
            current = current_on_split(cur, models_dir, corpus_path)
        except ModelIntegrityError as e:
            # The current model no longer loads with this code (signal rules, fold table,
            # scikit-learn changed): nothing can serve it, so there is nothing to compare with.
            current, stale = None, f"the current model {cur} no longer loads ({e})"
        if current is not None and same_split != current["metrics"]["test"]["split_sha256"]:
            cand = current_on_split(version, models_dir, corpus_path)
    verdict = gate(cand, current)
    if stale:
        verdict["why"] = f"passes: {stale}"
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
