"""Training: corpus documents in, a fitted :class:`PlanModel` and its training report out.

No file I/O here (``artifacts`` saves, ``cli`` wires). Every choice is made on ``train``
(cross-validation) or ``dev`` (element thresholds, calibration); ``test`` is never seen.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import config
from .calibrate import calibrate
from .corpus import Document, split_docs
from .planmodel import PlanModel, signal_matrix, text_signals
from .search import (  # TrainParams and Progress re-exported: callers import them from here
    Progress,
    TrainParams,
    _label_ids,
    _macro_f1,
    best_of,
    cv_scores,
    search,
)
from .stacking import (
    _meta_cv,
    _meta_inputs,
    _meta_model,
    _ngram_model,
    collapse,
    identity_meta,
    mixed,
)
from .text import word_count

__all__ = ["Progress", "TrainParams", "TrainResult", "train"]


@dataclass
class TrainResult:
    model: PlanModel
    report: dict[str, Any] = field(default_factory=dict)


def _element_truth(docs: list[Document]) -> np.ndarray:
    return np.asarray(
        [[int(e in d.elements) for e in config.ELEMENTS] for d in docs], dtype=np.int8
    )


def train(
    docs: list[Document], params: TrainParams | None = None, progress: Progress | None = None
) -> TrainResult:
    """Fit the element detector and the label model on ``train``; tune on ``dev``.

    Returns the fitted model and a report (grid, winner, ablation, thresholds, calibration,
    timings) for the model card.
    """
    params = params or TrainParams()
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    train_docs = split_docs(docs, "train")
    dev_docs = split_docs(docs, "dev")
    if len(train_docs) < 30 or not dev_docs:
        raise ValueError(
            f"need ≥ 30 train and ≥ 1 dev documents, got {len(train_docs)} and {len(dev_docs)}"
        )
    s = search(train_docs, dev_docs, params, say)
    y, hard, folds, grid, sig_train = s.y, s.hard, s.folds, s.grid, s.sig_train
    y_dev = _label_ids(dev_docs)
    n_extra = sig_train.shape[1] + len(config.ELEMENTS)
    mask, win, per_mask, oof1 = s.mask, s.win, s.per_mask, s.oof1
    v = s.variants[mask]
    sig_dev = signal_matrix(text_signals(v.dev_prep, v.fz.skips_chrome))
    C, Cm, use_sig, use_el = win["C"], win["meta_C"], win["signals"], win["elements"]

    ngram = _ngram_model(C, params.ngram_loss).fit(v.d_label, y)
    z = _meta_inputs(oof1[(mask, C)], sig_train, v.el_oof, use_sig, use_el)
    meta = _meta_model(Cm).fit(z, y) if params.stacked else identity_meta(n_extra)
    label_model = collapse(ngram, meta, n_extra, v.scale)
    shift = np.zeros(len(config.LABELS))
    shift[config.LABELS.index("other")] = params.other_shift
    label_model.intercept_ = label_model.intercept_ + shift
    model = PlanModel(v.fz, v.detector, np.full(8, 0.5), label_model, mask)

    dev_logits = model.logits(v.dev_d, sig_dev, v.dev_el)
    calibration = calibrate(
        model,
        dev_el=v.dev_el,
        dev_truth=_element_truth(dev_docs),
        dev_words=[word_count(d.text) for d in dev_docs],
        train_words=[word_count(d.text) for d in train_docs],
        oof_logits=win["_logits"] + shift,
        y=y,
        dev_logits=dev_logits,
        y_dev=y_dev,
        threshold_scale=params.element_threshold_scales(),
    )
    dev_pred = dev_logits.argmax(axis=1)

    # The same stage-one model with and without the substance features, on dev.
    ablation = {}
    for name, (s_on, e_on) in {
        "ngrams_only": (False, False),
        "ngrams+signals": (True, False),
        "ngrams+signals+elements": (True, True),
    }.items():
        if e_on not in params.element_variants():  # not searched: no out-of-fold scores
            continue
        zz = _meta_inputs(oof1[(mask, C)], sig_train, v.el_oof, s_on, e_on)
        rows = [
            r
            for r in grid
            if not r.get("_stage_one")
            and (r["mask_plan_words"], r["C"], r["signals"], r["elements"])
            == (mask, C, s_on, e_on)
        ]
        if not rows:  # a variant the (quick) grid did not search: cross-validate it here
            meta_c = Cm or 1.0  # the word model alone has no stage-two C of its own
            pred = _meta_cv(zz, y, folds, meta_c).argmax(axis=1)
            rows = [
                {
                    "meta_C": meta_c,
                    "C": C,
                    **cv_scores(y, pred, hard),
                }
            ]
        row = best_of(rows)
        fitted = _meta_model(row["meta_C"]).fit(zz, y)
        # Unstacked, the label model's n-gram part is stage one: the variant is kept as its
        # stage-two numbers (a full copy per variant would double the model file).
        model.variants[name] = (
            collapse(ngram, fitted, n_extra, v.scale)
            if params.stacked
            else mixed(ngram, fitted, n_extra)
        )
        alt = model.variant(name)
        alt_dev = (
            np.asarray(PlanModel.stack(v.dev_d, sig_dev, v.dev_el) @ alt.coef_.T) + alt.intercept_
        )
        ablation[name] = {
            "cv_macro_f1": row["cv_macro_f1"],
            "cv_macro_f1_hard": row["cv_macro_f1_hard"],
            "dev_macro_f1": round(_macro_f1(y_dev, alt_dev.argmax(axis=1)), 4),
        }

    report = {
        "params": params.as_dict(),
        "grid": [
            {k: val for k, val in r.items() if not k.startswith("_")}
            | {"stage_one_only": r.get("_stage_one", False)}
            for r in grid
        ],
        "chosen": {
            "stacked": params.stacked,
            "mask_plan_words": mask,
            "C": C,
            "signals": use_sig,
            "elements": use_el,
            "meta_C": Cm,
            "temperature": round(model.temperature, 4),
        },
        "ablation": ablation,
        "mask_choice": {
            str(m): {"cv_macro_f1": r["cv_macro_f1"], "cv_macro_f1_hard": r["cv_macro_f1_hard"]}
            for m, r in per_mask.items()
        },
        "calibration": calibration,
        "thresholds": {
            e: float(t) for e, t in zip(config.ELEMENTS, model.thresholds, strict=True)
        },
        "bucket_thresholds": {
            name: {e: round(float(t), 3) for e, t in zip(config.ELEMENTS, row, strict=True)}
            for name, row in zip(
                ("short", "normal", "long"),
                model.bucket_thresholds if model.bucket_thresholds is not None else [],
                strict=True,
            )
        },
        "dev_macro_f1": round(_macro_f1(y_dev, dev_pred), 4),
        "counts": {
            "train": len(train_docs),
            "dev": len(dev_docs),
            "train_sentences": int(v.s_x.shape[0]),
            "features": {"word": int(v.fz.n_word_), "char": int(len(v.fz.char_.vocabulary_))},
        },
        "seconds": round(time.perf_counter() - t0, 1),
    }
    say(f"trained in {report['seconds']} s; dev macro-F1 {report['dev_macro_f1']}")
    return TrainResult(model=model, report=report)
