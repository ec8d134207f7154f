"""Metric helpers shared by training (calibration) and evaluation (reports)."""

from __future__ import annotations

from typing import Any

import numpy as np


def expected_calibration_error(probs: np.ndarray, y: np.ndarray, n_bins: int = 10) -> float:
    """ECE of the top-class confidence with equal-width bins."""
    if len(y) == 0:
        return 0.0
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == y
    bins = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        sel = bins == b
        if sel.any():
            ece += sel.mean() * abs(correct[sel].mean() - conf[sel].mean())
    return float(ece)


def reliability_bins(probs: np.ndarray, y: np.ndarray, n_bins: int = 10) -> list[dict[str, Any]]:
    """Per confidence bin: mean confidence, accuracy, count (for the reliability diagram)."""
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == y
    bins = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    out = []
    for b in range(n_bins):
        sel = bins == b
        out.append(
            {
                "bin": [b / n_bins, (b + 1) / n_bins],
                "confidence": float(conf[sel].mean()) if sel.any() else None,
                "accuracy": float(correct[sel].mean()) if sel.any() else None,
                "count": int(sel.sum()),
            }
        )
    return out


def brier_score(probs: np.ndarray, y: np.ndarray) -> float:
    """Multi-class Brier score (mean squared error against one-hot truth)."""
    onehot = np.zeros_like(probs)
    onehot[np.arange(len(y)), y] = 1
    return float(np.mean(np.sum((probs - onehot) ** 2, axis=1))) if len(y) else 0.0


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "support": int(tp + fn),
    }


def label_metrics(
    y_true: list[str], y_pred: list[str], labels: tuple[str, ...], over_truth: bool = False
) -> dict[str, Any]:
    """Per-class P/R/F1, macro-F1, accuracy and the confusion matrix (rows = truth).

    ``over_truth``: average F1 only over the labels that occur in ``y_true`` — for slices
    that hold one label (every ``other`` form), where a macro over predicted labels too would
    report 0.33 for 90% accuracy.
    """
    per = {}
    for lab in labels:
        tp = sum(t == lab and p == lab for t, p in zip(y_true, y_pred, strict=True))
        fp = sum(t != lab and p == lab for t, p in zip(y_true, y_pred, strict=True))
        fn = sum(t == lab and p != lab for t, p in zip(y_true, y_pred, strict=True))
        per[lab] = prf(tp, fp, fn)
    present = [
        lab
        for lab in labels
        if per[lab]["support"] > 0 or (not over_truth and any(p == lab for p in y_pred))
    ]
    macro = float(np.mean([per[lab]["f1"] for lab in present])) if present else 0.0
    acc = float(np.mean([t == p for t, p in zip(y_true, y_pred, strict=True)])) if y_true else 0.0
    cm = [
        [sum(t == a and p == b for t, p in zip(y_true, y_pred, strict=True)) for b in labels]
        for a in labels
    ]
    return {
        "n": len(y_true),
        "accuracy": round(acc, 4),
        "macro_f1": round(macro, 4),
        "per_class": per,
        "confusion": cm,
    }


def element_metrics(truth: np.ndarray, pred: np.ndarray, names: tuple[str, ...]) -> dict[str, Any]:
    """Per-element and micro P/R/F1 of document-level presence."""
    per = {}
    tps = fps = fns = 0
    for k, name in enumerate(names):
        tp = int(np.sum((pred[:, k] == 1) & (truth[:, k] == 1)))
        fp = int(np.sum((pred[:, k] == 1) & (truth[:, k] == 0)))
        fn = int(np.sum((pred[:, k] == 0) & (truth[:, k] == 1)))
        per[name] = prf(tp, fp, fn)
        tps, fps, fns = tps + tp, fps + fp, fns + fn
    return {"per_element": per, "micro": prf(tps, fps, fns)}


def bootstrap_interval(
    y_true: list[str],
    y_pred: list[str],
    labels: tuple[str, ...],
    n_boot: int = 1000,
    seed: int = 13,
    over_truth: bool = False,
) -> tuple[float, float]:
    """95% percentile bootstrap interval of macro-F1 (documents resampled with replacement).

    Small slices have wide intervals; the interval says how much a figure can be trusted.
    """
    n = len(y_true)
    if n == 0:
        return (0.0, 0.0)
    idx_of = {lab: k for k, lab in enumerate(labels)}
    t = np.asarray([idx_of[x] for x in y_true])
    p = np.asarray([idx_of[x] for x in y_pred])
    rng = np.random.default_rng(seed)
    k = len(labels)
    scores = np.empty(n_boot)
    for b in range(n_boot):
        s = rng.integers(0, n, n)
        cm = np.bincount(t[s] * k + p[s], minlength=k * k).reshape(k, k)
        tp = np.diag(cm).astype(float)
        support, predicted = cm.sum(axis=1), cm.sum(axis=0)
        # the labels label_metrics averages over
        present = support > 0 if over_truth else (support + predicted) > 0
        f1 = 2 * tp / np.maximum(support + predicted, 1)
        scores[b] = f1[present].mean()
    lo, hi = np.percentile(scores, [2.5, 97.5])
    return (round(float(lo), 3), round(float(hi), 3))
