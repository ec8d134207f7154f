"""Which of the eight strategy elements a text states, and the sentences that show it.

A linear one-vs-rest model scores every sentence for every element; a document has an
element when its best sentence clears that element's threshold (tuned on ``dev``). Trained
from the corpus's evidence: a sentence overlapping an evidence span of E is a positive for E.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from .config import ELEMENTS
from .rows import Rows


def sentence_targets(
    text: str, spans: list[tuple[int, int]], evidence: dict[str, list[str]]
) -> np.ndarray:
    """(n_sentences × 8) 0/1: sentence i overlaps an evidence span of element k."""
    y = np.zeros((len(spans), len(ELEMENTS)), dtype=np.int8)
    if not spans:
        return y
    starts = np.asarray([s for s, _ in spans])
    ends = np.asarray([e for _, e in spans])
    for k, el in enumerate(ELEMENTS):
        for ev in evidence.get(el, []):
            pos = text.find(ev)
            while pos != -1:
                a, b = pos, pos + len(ev)
                y[(starts < b) & (ends > a), k] = 1
                pos = text.find(ev, pos + 1)
    return y


def _sigmoid(z: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    return out


def _fit_element(X: sp.csr_matrix, y: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    if y.min() == y.max():  # no positives (or no negatives): a constant score
        return np.zeros(X.shape[1], dtype=np.float32), (-10.0 if y.max() == 0 else 10.0)
    lr = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=200)
    lr.fit(X, y)
    return lr.coef_.ravel().astype(np.float32), float(lr.intercept_[0])


class ElementDetector(BaseEstimator):
    """One logistic regression per element over sentence TF-IDF features.

    Args:
        C: inverse regularisation strength, shared by the eight models.
    """

    def __init__(self, C: float = 4.0):
        self.C = C

    def fit(self, X: sp.csr_matrix, Y: np.ndarray, n_jobs: int = 1) -> ElementDetector:
        """Fit the eight models, ``n_jobs`` processes at a time (liblinear is not thread-safe).

        ``X`` is converted once to what liblinear reads (float64 CSR, sorted indices), so the
        workers share one memory-mapped copy instead of converting it eight times.
        """
        X = sp.csr_matrix(X, dtype=np.float64)
        X.sort_indices()
        fits = Parallel(n_jobs=n_jobs)(
            delayed(_fit_element)(X, Y[:, k], self.C) for k in range(Y.shape[1])
        )
        self.coef_ = np.vstack([c for c, _ in fits]).T.copy()  # (n_features × 8): one product
        self.intercept_ = np.asarray([b for _, b in fits], dtype=np.float32)
        return self

    def sentence_scores(self, X: sp.csr_matrix | Rows) -> np.ndarray:
        """(n_sentences × 8) probabilities that the sentence states each element."""
        check_is_fitted(self, "coef_")
        if X.shape[0] == 0:
            return np.zeros((0, len(ELEMENTS)), dtype=np.float32)
        return _sigmoid(np.asarray(X @ self.coef_) + self.intercept_)


def with_clauses(sent: np.ndarray, clause: np.ndarray, clause_of: np.ndarray) -> np.ndarray:
    """Each sentence's scores raised to its best clause's (a list states several elements)."""
    out = sent.copy()
    if clause.shape[0]:
        np.maximum.at(out, clause_of, clause)
    return out


def without_furniture(sent: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Sentence scores (changed in place) with those of page furniture, the sentences not
    ``kept`` (:meth:`Prepared.kept`), set to 0.

    Furniture states no element: a masthead's «رئيس مجلس الإدارة: د.» was shown as evidence
    of roles. Training scores its out-of-fold and dev sentences the same way, so the element
    thresholds and the label model's element features are learnt on what inference sees.
    """
    sent[~kept] = 0.0
    return sent


def document_scores(sent_scores: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """(n_docs × 8): each document's best sentence score per element (0 with no sentences)."""
    n_docs = len(offsets) - 1
    out = np.zeros((n_docs, sent_scores.shape[1]), dtype=np.float32)
    nonempty = offsets[1:] > offsets[:-1]
    if sent_scores.shape[0]:
        starts = offsets[:-1][nonempty]
        out[nonempty] = np.maximum.reduceat(sent_scores, starts, axis=0)
    return out


def tune_thresholds(
    scores: np.ndarray, truth: np.ndarray, grid: np.ndarray | None = None
) -> np.ndarray:
    """Per element, the threshold on document scores that maximises F1 (ties: nearest 0.5)."""
    grid = np.round(np.arange(0.15, 0.91, 0.025), 3) if grid is None else grid
    best = np.full(scores.shape[1], 0.5)
    for k in range(scores.shape[1]):
        best_f1, best_t = -1.0, 0.5
        for t in grid:
            pred = scores[:, k] >= t
            tp = np.sum(pred & (truth[:, k] == 1))
            fp = np.sum(pred & (truth[:, k] == 0))
            fn = np.sum(~pred & (truth[:, k] == 1))
            f1 = 2 * tp / max(2 * tp + fp + fn, 1)
            if f1 > best_f1 + 1e-9 or (
                abs(f1 - best_f1) <= 1e-9 and abs(t - 0.5) < abs(best_t - 0.5)
            ):
                best_f1, best_t = f1, float(t)
        best[k] = best_t
    return best
