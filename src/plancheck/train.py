"""Training: corpus documents in, a fitted :class:`PlanModel` and its training report out.

No file I/O here (``artifacts`` saves, ``cli`` wires). Every choice is made on ``train``
(cross-validation) or ``dev`` (element thresholds, calibration); ``test`` is never seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
from joblib import Parallel, delayed
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from . import config
from .classifier import PlanModel, signal_matrix, softmax
from .corpus import Document
from .elements import ElementDetector, document_scores, sentence_targets, tune_thresholds
from .features import SentenceFeaturizer, prepare
from .metrics import expected_calibration_error
from .signals import extract_signals

Progress = Callable[[str], None]


@dataclass
class TrainParams:
    """Hyperparameters and the grid searched by cross-validation on ``train``."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    min_df: int = 2
    max_char_features: int = 150_000
    element_C: float = 4.0
    C_grid: tuple[float, ...] = (4.0, 16.0)
    # Weights of the substance signals and of the element scores in the label model; 0 is
    # the n-grams-only variant, measured in the same grid.
    signal_weight_grid: tuple[float, ...] = (0.0, 1.0, 2.0)
    element_weight_grid: tuple[float, ...] = (0.0, 0.5)
    mask_options: tuple[bool, ...] = (False, True)
    cv_folds: int = 5
    seed: int = config.SEED
    n_jobs: int = 2

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrainResult:
    model: PlanModel
    report: dict = field(default_factory=dict)


def _label_ids(docs: list[Document]) -> np.ndarray:
    return np.asarray([config.LABELS.index(d.label) for d in docs])


def _element_truth(docs: list[Document]) -> np.ndarray:
    return np.asarray(
        [[int(e in d.elements) for e in config.ELEMENTS] for d in docs], dtype=np.int8
    )


def _macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    return float(
        f1_score(y, pred, average="macro", labels=list(range(len(config.LABELS))), zero_division=0)
    )


def _label_model(C: float) -> LogisticRegression:
    # newton-cg: same solution as lbfgs here, ~5× faster on 10⁵ sparse features, deterministic.
    return LogisticRegression(C=C, class_weight="balanced", solver="newton-cg", max_iter=200)


def _label_x(d_x, sig: np.ndarray, el: np.ndarray, ws: float, we: float):
    import scipy.sparse as sp

    return sp.hstack([d_x, sp.csr_matrix(np.hstack([ws * sig, we * el]).astype(np.float32))], format="csr")


def _fit_fold(x, y: np.ndarray, tr: np.ndarray, te: np.ndarray, C: float) -> np.ndarray:
    return _label_model(C).fit(x[tr], y[tr]).decision_function(x[te])


def _ablation(grid: list[dict], mask: bool, C: float) -> dict:
    """CV macro-F1 with and without the substance signals / element scores (same mask, C)."""
    rows = {(r["signal_weight"], r["element_weight"]): r for r in grid if r["mask_plan_words"] == mask and r["C"] == C}
    return {
        f"signals×{ws} elements×{we}": {"cv_macro_f1": r["cv_macro_f1"], "cv_macro_f1_hard": r["cv_macro_f1_hard"]}
        for (ws, we), r in sorted(rows.items())
    }


class _Variant:
    """Features of train and dev for one masking choice, computed once for the whole grid."""

    def __init__(
        self, train: list[Document], dev: list[Document], params: TrainParams, mask: bool, folds
    ):
        self.mask = mask
        self.prep = prepare([d.text for d in train], mask)
        self.fz = SentenceFeaturizer(
            word_ngrams=params.word_ngrams,
            char_ngrams=params.char_ngrams,
            min_df=params.min_df,
            max_char_features=params.max_char_features,
        ).fit(self.prep)
        self.s_x, self.d_x = self.fz.transform(self.prep)
        self.y_sent = np.vstack(
            [
                sentence_targets(d.text, sp_, d.evidence)
                for d, sp_ in zip(train, self.prep.spans, strict=True)
            ]
        )
        # Out-of-fold element scores: the label model must learn from scores like those it
        # will see on new text, not from a detector that has memorised the training sentences.
        doc_of = self.prep.doc_of_sentence
        self.el_oof = np.zeros((len(train), len(config.ELEMENTS)), dtype=np.float32)
        for tr, te in folds:
            det = ElementDetector(C=params.element_C).fit(
                self.s_x[np.isin(doc_of, tr)], self.y_sent[np.isin(doc_of, tr)]
            )
            sel = np.isin(doc_of, te)
            sc = det.sentence_scores(self.s_x[sel])
            sub_offsets = np.concatenate(
                [[0], np.cumsum([self.prep.offsets[i + 1] - self.prep.offsets[i] for i in te])]
            )
            self.el_oof[te] = document_scores(sc, sub_offsets)
        self.detector = ElementDetector(C=params.element_C).fit(self.s_x, self.y_sent)
        self.dev_prep = prepare([d.text for d in dev], mask)
        self.dev_s, self.dev_d = self.fz.transform(self.dev_prep)
        self.dev_sent = self.detector.sentence_scores(self.dev_s)
        self.dev_el = document_scores(self.dev_sent, self.dev_prep.offsets)


def train(
    docs: list[Document], params: TrainParams | None = None, progress: Progress | None = None
) -> TrainResult:
    """Fit the element detector and the label model on ``train``; tune on ``dev``.

    Returns the fitted model and a report (grid, winner, thresholds, calibration, timings)
    for the model card.
    """
    params = params or TrainParams()
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    train_docs = [d for d in docs if d.split == "train"]
    dev_docs = [d for d in docs if d.split == "dev"]
    if len(train_docs) < 30 or not dev_docs:
        raise ValueError(
            f"need ≥ 30 train and ≥ 1 dev documents, got {len(train_docs)} and {len(dev_docs)}"
        )
    y = _label_ids(train_docs)
    y_dev = _label_ids(dev_docs)
    hard = np.asarray([d.difficulty == "hard" for d in train_docs])
    skf = StratifiedKFold(n_splits=params.cv_folds, shuffle=True, random_state=params.seed)
    folds = list(skf.split(np.zeros(len(y)), y))

    sig_train = signal_matrix([extract_signals(d.text) for d in train_docs])
    sig_dev = signal_matrix([extract_signals(d.text) for d in dev_docs])

    grid, variants = [], {}
    for mask in params.mask_options:
        say(f"features (mask plan words: {mask})")
        variants[mask] = _Variant(train_docs, dev_docs, params, mask, folds)
    configs = [
        (mask, ws, we, C)
        for mask in params.mask_options
        for ws in params.signal_weight_grid
        for we in params.element_weight_grid
        for C in params.C_grid
    ]
    say(f"cross-validating {len(configs)} configurations × {params.cv_folds} folds")
    jobs = []
    for mask, ws, we, C in configs:
        v = variants[mask]
        x = _label_x(v.d_x, sig_train, v.el_oof, ws, we)
        jobs.extend(delayed(_fit_fold)(x, y, tr, te, C) for tr, te in folds)
    fold_logits = Parallel(n_jobs=params.n_jobs)(jobs)
    for c_i, (mask, ws, we, C) in enumerate(configs):
        logits = np.zeros((len(y), len(config.LABELS)))
        for f_i, (_, te) in enumerate(folds):
            logits[te] = fold_logits[c_i * len(folds) + f_i]
        pred = logits.argmax(axis=1)
        grid.append(
            {
                "mask_plan_words": mask,
                "signal_weight": ws,
                "element_weight": we,
                "C": C,
                "cv_macro_f1": round(_macro_f1(y, pred), 4),
                "cv_macro_f1_hard": round(_macro_f1(y[hard], pred[hard]), 4),
                "_logits": logits,
            }
        )
        say(
            f"  mask={mask} signals×{ws} elements×{we} C={C}: CV macro-F1 "
            f"{grid[-1]['cv_macro_f1']:.3f} (hard {grid[-1]['cv_macro_f1_hard']:.3f})"
        )

    def best_of(rows):
        return max(rows, key=lambda r: (r["cv_macro_f1"], r["cv_macro_f1_hard"], -r["C"]))

    # Masking is kept if it does better on the hard slice (the rule), judged by each
    # variant's best configuration; the rest of the choice is overall CV macro-F1.
    per_mask = {
        m: best_of([r for r in grid if r["mask_plan_words"] == m]) for m in params.mask_options
    }
    mask = max(
        per_mask, key=lambda m: (per_mask[m]["cv_macro_f1_hard"], per_mask[m]["cv_macro_f1"])
    )
    win = per_mask[mask]
    v = variants[mask]
    ws, we, C = win["signal_weight"], win["element_weight"], win["C"]
    say(f"winner: mask={mask} signals×{ws} elements×{we} C={C}")

    label_model = _label_model(C)
    model = PlanModel(v.fz, v.detector, np.full(8, 0.5), label_model, mask, ws, we)
    label_model.fit(model.label_matrix(v.d_x, sig_train, v.el_oof), y)

    # Element thresholds on dev.
    model.thresholds = tune_thresholds(v.dev_el, _element_truth(dev_docs))

    # Calibration: a temperature fitted on out-of-fold train logits, kept only if it lowers
    # dev ECE.
    oof = win["_logits"]

    def nll(t: float) -> float:
        p = softmax(oof / t)
        return float(-np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))

    temp = float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)
    dev_logits = (
        np.asarray(model.label_matrix(v.dev_d, sig_dev, v.dev_el) @ label_model.coef_.T)
        + label_model.intercept_
    )
    ece_before = expected_calibration_error(softmax(dev_logits), y_dev)
    ece_after = expected_calibration_error(softmax(dev_logits / temp), y_dev)
    model.temperature = temp if ece_after < ece_before else 1.0
    dev_pred = dev_logits.argmax(axis=1)

    report = {
        "params": params.as_dict(),
        "grid": [{k: val for k, val in r.items() if not k.startswith("_")} for r in grid],
        "chosen": {
            "mask_plan_words": mask,
            "signal_weight": ws,
            "element_weight": we,
            "C": C,
            "temperature": round(model.temperature, 4),
        },
        "signals_ablation": _ablation(grid, mask, C),
        "mask_choice": {
            str(m): {"cv_macro_f1": r["cv_macro_f1"], "cv_macro_f1_hard": r["cv_macro_f1_hard"]}
            for m, r in per_mask.items()
        },
        "calibration": {
            "fitted_temperature": round(temp, 4),
            "dev_ece_before": round(ece_before, 4),
            "dev_ece_after": round(ece_after, 4),
            "kept": model.temperature != 1.0,
        },
        "thresholds": {
            e: float(t) for e, t in zip(config.ELEMENTS, model.thresholds, strict=True)
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
