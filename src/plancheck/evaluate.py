"""Evaluation: one report dict that feeds the CLI table, the notebooks and the model card.

``evaluate(model, docs)`` scores the model and the baselines on the same documents, overall
and by slice (language, difficulty, hard-case kind, dialect). Plots are separate
(``save_plots``) so the report itself needs no plotting library.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import config
from .baselines import majority_label, one_word_rule, tfidf_lr_predictions
from .corpus import Document, register_family, split_docs
from .metrics import (
    bootstrap_interval,
    brier_score,
    element_metrics,
    expected_calibration_error,
    label_metrics,
    reliability_bins,
)
from .report import (  # re-exported: older callers and pickles name them here
    for_renderer as for_renderer,
)
from .report import (
    format_report as format_report,
)
from .report import (
    renderer_shapes_arabic as renderer_shapes_arabic,
)
from .report import (
    save_plots as save_plots,
)
from .text import normalize


def _slices(docs: list[Document]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        out[f"lang={d.lang}"].append(i)
        out[f"register={register_family(d.form, d.text)}"].append(i)
        out[f"difficulty={d.difficulty}"].append(i)
        if d.hard_kind:
            out[f"hard_kind={d.hard_kind}"].append(i)
        dialect = getattr(d, "dialect", None)
        if dialect and d.lang != "en":
            out[f"dialect={dialect}"].append(i)
    return dict(sorted(out.items()))


def evaluate(
    model: Any,
    docs: list[Document],
    train_labels: list[str] | None = None,
    baselines: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """Metrics of ``model`` (a :class:`Classifier`) on ``docs``, with baselines on the same docs.

    Args:
        model: the classifier to evaluate.
        docs: the documents (usually one split).
        train_labels: labels of the training split, for the majority baseline.
        baselines: extra ``name -> list of predicted labels`` (e.g. fastText), aligned with docs.
    """
    if not docs:
        raise ValueError("no documents to evaluate")
    texts = [d.text for d in docs]
    truth = [d.label for d in docs]
    results = model.classify_many(texts)
    pred = [r["label"] for r in results]
    probs = np.asarray([[r["probabilities"][lab] for lab in config.LABELS] for r in results])
    y = np.asarray([config.LABELS.index(t) for t in truth])
    el_truth = np.asarray([[int(e in d.elements) for e in config.ELEMENTS] for d in docs])
    el_pred = np.asarray([[int(e["present"]) for e in r["elements"]] for r in results])

    overall = label_metrics(truth, pred, config.LABELS)
    overall["ci95"] = bootstrap_interval(truth, pred, config.LABELS)
    overall["ece"] = round(expected_calibration_error(probs, y), 4)
    overall["brier"] = round(brier_score(probs, y), 4)
    slices = {}
    for name, idx in _slices(docs).items():
        m = label_metrics(
            [truth[i] for i in idx], [pred[i] for i in idx], config.LABELS, over_truth=True
        )
        slices[name] = {
            "n": m["n"],
            "accuracy": m["accuracy"],
            "macro_f1": m["macro_f1"],
            "ci95": bootstrap_interval(
                [truth[i] for i in idx], [pred[i] for i in idx], config.LABELS, over_truth=True
            ),
        }
    per_language = {
        lang: label_metrics(
            [t for t, d in zip(truth, docs, strict=True) if d.lang == lang],
            [p for p, d in zip(pred, docs, strict=True) if d.lang == lang],
            config.LABELS,
        )
        for lang in config.LANGUAGES
        if any(d.lang == lang for d in docs)
    }
    plans = [i for i, d in enumerate(docs) if d.label != "other"]
    base_preds = {"one_word_rule": [one_word_rule(t) for t in texts]}
    if train_labels:
        base_preds["majority"] = [majority_label(train_labels)] * len(docs)
    base_preds.update(baselines or {})
    base = {}
    for name, bp in base_preds.items():
        m = label_metrics(truth, bp, config.LABELS)
        base[name] = {
            "macro_f1": m["macro_f1"],
            "ci95": bootstrap_interval(truth, bp, config.LABELS),
            "accuracy": m["accuracy"],
            "per_language": {
                lang: label_metrics(
                    [t for t, d in zip(truth, docs, strict=True) if d.lang == lang],
                    [p for p, d in zip(bp, docs, strict=True) if d.lang == lang],
                    config.LABELS,
                )["macro_f1"]
                for lang in config.LANGUAGES
                if any(d.lang == lang for d in docs)
            },
        }
    errors = [
        {
            "id": d.id,
            "lang": d.lang,
            "difficulty": d.difficulty,
            "hard_kind": d.hard_kind,
            "truth": t,
            "pred": p,
            "confidence": r["confidence"],
            "reasons": [x["term"] for x in r["reasons"][:4]],
        }
        for d, t, p, r in zip(docs, truth, pred, results, strict=True)
        if t != p
    ]
    hard_idx = [i for i, d in enumerate(docs) if d.difficulty == "hard"]
    ablation = {}
    for name in getattr(getattr(model, "model", None), "variants", {}) or {}:
        vp = [config.LABELS[k] for k in model.predict_proba(texts, name).argmax(axis=1)]
        ablation[name] = {
            "macro_f1": label_metrics(truth, vp, config.LABELS)["macro_f1"],
            "hard_macro_f1": label_metrics(
                [truth[i] for i in hard_idx], [vp[i] for i in hard_idx], config.LABELS
            )["macro_f1"],
        }
    return {
        "model_version": getattr(model, "version", None),
        "ablation": ablation,
        "n": len(docs),
        "overall": overall,
        "per_language": per_language,
        "slices": slices,
        "calibration": {
            "ece": overall["ece"],
            "brier": overall["brier"],
            "bins": reliability_bins(probs, y),
        },
        "elements": element_metrics(el_truth, el_pred, config.ELEMENTS),
        "elements_plans_only": element_metrics(el_truth[plans], el_pred[plans], config.ELEMENTS),
        "baselines": base,
        "errors": errors,
    }


# --- plots -------------------------------------------------------------------------


def fasttext_predictions(
    train: list[Document], docs: list[Document], seed: int = config.SEED
) -> list[str] | None:
    """fastText supervised baseline, or ``None`` when the ``fasttext`` extra is not installed.

    Uses the binding underneath the Python wrapper (its wrapper is broken under numpy 2)
    and the settings that learn on long documents (lr 1.0, 25 epochs, word bigrams).
    """
    try:
        import fasttext  # type: ignore[import-not-found]  # optional extra (.[fasttext])
    except ImportError:
        return None
    tmp = Path(tempfile.mkdtemp(prefix="plancheck-ft-"))
    try:
        path = tmp / "train.txt"
        path.write_text(
            "".join(f"__label__{d.label} {normalize(d.text)}\n" for d in train), encoding="utf-8"
        )
        ft = fasttext.train_supervised(
            str(path), lr=1.0, epoch=25, wordNgrams=2, seed=seed, thread=1, verbose=0
        )
        out = []
        for d in docs:
            (prob, label), *_ = ft.f.predict(normalize(d.text) + "\n", 1, 0.0, "strict")
            out.append(label.replace("__label__", ""))
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def evaluate_split(
    model: Any, docs: list[Document], split: str, with_fasttext: bool = True
) -> tuple[dict[str, Any], bool]:
    """:func:`evaluate` on one split of the corpus, with the baselines trained on ``train``.

    The baselines are TF-IDF + logistic regression and, when the extra is installed (and
    ``with_fasttext``), fastText. Returns the report and whether fastText was asked for but
    left out because its extra is missing.
    """
    reports, fasttext_missing = evaluate_splits(model, docs, (split,), with_fasttext)
    return reports[split], fasttext_missing


def evaluate_splits(
    model: Any, docs: list[Document], splits: Sequence[str], with_fasttext: bool = True
) -> tuple[dict[str, dict[str, Any]], bool]:
    """:func:`evaluate_split` for several splits, each baseline fitted once for all of them
    (fitting them is most of an evaluation's time, and their predictions do not depend on
    which other texts are predicted with them)."""
    train_docs = split_docs(docs, "train")
    train_labels = [d.label for d in train_docs]
    parts = {split: split_docs(docs, split) for split in splits}
    eval_docs = [d for split in splits for d in parts[split]]
    together: dict[str, list[str]] = {
        "tfidf_lr": tfidf_lr_predictions(
            [d.text for d in train_docs], train_labels, [d.text for d in eval_docs]
        )
    }
    fasttext_missing = False
    if with_fasttext:
        ft = fasttext_predictions(train_docs, eval_docs)
        if ft is None:
            fasttext_missing = True
        else:
            together["fasttext"] = ft
    reports, start = {}, 0
    for split in splits:
        end = start + len(parts[split])
        extra = {name: preds[start:end] for name, preds in together.items()}
        reports[split] = evaluate(model, parts[split], train_labels, extra)
        start = end
    return reports, fasttext_missing
