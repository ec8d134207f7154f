"""The two-stage label model: out-of-fold n-gram logits, stage-two inputs, and their collapse into one linear model; per-mask features computed once for the grid."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from . import config
from .corpus import Document
from .elements import (
    ElementDetector,
    document_scores,
    sentence_targets,
    with_clauses,
    without_furniture,
)
from .features import SentenceFeaturizer, prepare
from .planmodel import LinearLabelModel, MixedLabelModel

if TYPE_CHECKING:  # cycle: search imports this module; the type is only named here
    from .search import TrainParams

Folds = list[tuple[np.ndarray, np.ndarray]]


#: Stage one: a linear n-gram model, fitted with the log loss (``LogisticRegression``) or the
#: hinge loss (``LinearSVC``; ``TrainParams.ngram_loss``). Both expose ``coef_``, ``intercept_`` and
#: ``decision_function``, all that stage two, the collapse and the reasons read.
NgramModel: TypeAlias = LogisticRegression | LinearSVC


#: Stage one's losses (``TrainParams.ngram_loss``): a linear SVM or a logistic regression.
NGRAM_LOSSES = ("hinge", "log")


def _ngram_model(C: float, loss: str) -> NgramModel:
    if loss == "hinge":
        # Seeded: liblinear's dual solver visits the documents in a random order.
        return LinearSVC(C=C, class_weight="balanced", random_state=config.SEED, max_iter=5000)
    if loss not in NGRAM_LOSSES:  # TrainParams refuses it first; a direct call lands here
        raise ValueError(f"ngram_loss must be one of {', '.join(NGRAM_LOSSES)}, not {loss!r}")
    # newton-cg: same solution as lbfgs here, ~5× faster on 10⁵ sparse features, deterministic.
    return LogisticRegression(C=C, class_weight="balanced", solver="newton-cg", max_iter=200)


def _meta_model(C: float) -> LogisticRegression:
    return LogisticRegression(C=C, class_weight="balanced", max_iter=2000)


def _fit_fold(
    x: Any, y: np.ndarray, tr: np.ndarray, te: np.ndarray, C: float, loss: str
) -> np.ndarray:
    return np.asarray(_ngram_model(C, loss).fit(x[tr], y[tr]).decision_function(x[te]))


def _meta_inputs(
    logits: np.ndarray, sig: np.ndarray, el: np.ndarray, use_sig: bool, use_el: bool
) -> np.ndarray:
    """Stage-two features; unused groups are zero columns so every variant has one layout."""
    return np.hstack([logits, sig * use_sig, el * use_el]).astype(np.float64)


def _meta_cv(z: np.ndarray, y: np.ndarray, folds: Folds, C: float) -> np.ndarray:
    logits = np.zeros((len(y), len(config.LABELS)))
    for tr, te in folds:
        logits[te] = _meta_model(C).fit(z[tr], y[tr]).decision_function(z[te])
    return logits


def column_scale(n_word: int, n_text: int, char_weight: float) -> np.ndarray:
    """Per document column, the weight stage one sees it with: 1 for words, ``char_weight`` for
    character n-grams."""
    scale = np.ones(n_text, dtype=np.float64)
    scale[n_word:] = char_weight
    return scale


def scale_columns(x: sp.csr_matrix, scale: np.ndarray) -> sp.csr_matrix:
    out = x.copy().astype(np.float64)
    out.data *= scale[out.indices]
    out.eliminate_zeros()  # weight 0: the block drops out of stage one entirely
    return out.tocsr()


def identity_meta(n_extra: int) -> Any:
    """A stage two that passes stage one's logits through unchanged and ignores the extras."""
    k = len(config.LABELS)
    coef = np.hstack([np.eye(k), np.zeros((k, n_extra))])
    return SimpleNamespace(coef_=coef, intercept_=np.zeros(k))


def mixed(stage1: NgramModel, meta: Any, n_extra: int) -> MixedLabelModel:
    """Stage two's numbers: its mix of stage one's logits, its extra columns, and the
    intercept. Alone, the compact form of a variant whose base model's n-gram part is
    ``stage1`` itself (unstacked); :func:`collapse` multiplies the mix out."""
    k = len(config.LABELS)
    m_l, m_e = meta.coef_[:, :k], meta.coef_[:, k : k + n_extra]
    intercept = (m_l @ stage1.intercept_ + meta.intercept_).astype(np.float64)
    return MixedLabelModel(mix=np.asarray(m_l, dtype=np.float64), extra=m_e, intercept_=intercept)


def collapse(
    stage1: NgramModel,
    meta: Any,
    n_extra: int,
    scale: np.ndarray | None = None,
) -> LinearLabelModel:
    """One linear model over [document TF-IDF, signals, element scores] from the two stages.

    logit = M_l · (W1 D x + b1) + M_e · extra + b2  =  (M_l W1 D) x + M_e · extra + (M_l b1 + b2),
    where D scales stage one's columns (``column_scale``): folded in, so the saved model reads
    the featuriser's output unchanged.
    """
    two = mixed(stage1, meta, n_extra)
    w1 = stage1.coef_ if scale is None else stage1.coef_ * scale[None, :]
    coef = np.hstack([two.mix @ w1, two.extra]).astype(np.float32)
    return LinearLabelModel(coef_=coef, intercept_=two.intercept_)


class _Variant:
    """Features of train and dev for one masking choice, computed once for the whole grid."""

    def __init__(
        self,
        train: list[Document],
        dev: list[Document],
        params: TrainParams,
        mask: bool,
        folds: Folds,
    ) -> None:
        self.mask = mask
        self.prep = prepare([d.text for d in train], mask)
        self.fz = SentenceFeaturizer(
            word_ngrams=params.word_ngrams,
            char_ngrams=params.char_ngrams,
            min_df=params.min_df,
            max_char_features=params.max_char_features,
            lead_words=params.lead_words,
            drop_chrome=params.drop_chrome,
        ).fit(self.prep)
        self.s_x, self.d_x = self.fz.transform(self.prep)
        # What stage one fits on: character n-grams down-weighted (see TrainParams.char_weight).
        self.scale = column_scale(self.fz.n_doc_word, self.d_x.shape[1], params.char_weight)
        self.d_label = scale_columns(self.d_x, self.scale)
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
        c_x = self.fz.clause_features(self.prep)
        clause_of = self.prep.clause_of
        kept = self.prep.kept(self.fz.skips_chrome)
        # Only a stacked label model reads these scores (and the ablation row measuring it).
        for tr, te in folds if any(params.element_variants()) else []:
            det = ElementDetector(C=params.element_C).fit(
                self.s_x[np.isin(doc_of, tr)], self.y_sent[np.isin(doc_of, tr)], params.n_jobs
            )
            sel = np.isin(doc_of, te)
            in_fold = sel[clause_of]
            local = (np.cumsum(sel) - 1)[clause_of[in_fold]]
            sc = with_clauses(
                det.sentence_scores(self.s_x[sel]), det.sentence_scores(c_x[in_fold]), local
            )
            sc = without_furniture(sc, kept[sel])
            sub_offsets = np.concatenate(
                [[0], np.cumsum([self.prep.offsets[i + 1] - self.prep.offsets[i] for i in te])]
            )
            self.el_oof[te] = document_scores(sc, sub_offsets)
        self.detector = ElementDetector(C=params.element_C).fit(
            self.s_x, self.y_sent, params.n_jobs
        )
        self.dev_prep = prepare([d.text for d in dev], mask)
        self.dev_s, self.dev_d = self.fz.transform(self.dev_prep)
        self.dev_sent = without_furniture(
            with_clauses(
                self.detector.sentence_scores(self.dev_s),
                self.detector.sentence_scores(self.fz.clause_features(self.dev_prep)),
                self.dev_prep.clause_of,
            ),
            self.dev_prep.kept(self.fz.skips_chrome),
        )
        self.dev_el = document_scores(self.dev_sent, self.dev_prep.offsets)
