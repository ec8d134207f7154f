"""The fitted model as pickled: featuriser, element detector, thresholds and the linear label model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from .elements import ElementDetector
from .features import SentenceFeaturizer
from .prepared import Prepared
from .signals import FEATURE_NAMES as SIGNAL_FEATURES
from .signals import extract_signals, signal_features


@dataclass
class LinearLabelModel:
    """The label model as one linear map: logits = X @ coef_.T + intercept_."""

    coef_: np.ndarray  # (n_labels × n_features)
    intercept_: np.ndarray  # (n_labels,)

    # Pickled with its all-zero columns left out (n-grams of the vocabulary that no training
    # document has, or the whole character block when ``TrainParams.char_weight`` is 0): the
    # model file has a size budget. Unpickling restores the same dense array, so results are
    # unchanged.
    def __getstate__(self) -> dict[str, Any]:
        used = np.flatnonzero(np.any(self.coef_ != 0, axis=0))
        return {
            "n_features": self.coef_.shape[1],
            "columns": used.astype(np.int32),
            "values": np.ascontiguousarray(self.coef_[:, used]),
            "intercept_": self.intercept_,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "coef_" in state:  # pickled before the compact form
            self.__dict__.update(state)
            return
        values = state["values"]
        coef = np.zeros((values.shape[0], state["n_features"]), dtype=values.dtype)
        coef[:, state["columns"]] = values
        self.coef_ = coef
        self.intercept_ = state["intercept_"]


@dataclass
class MixedLabelModel:
    """A variant of the label model that re-weighs its n-gram logits: a few numbers, not a copy.

    Stage two of the label model (``TrainParams.stacked``) is a small linear map over stage
    one's logits and the substance features, so a variant's n-gram coefficients are
    ``mix @`` the base model's: logits = mix · (base n-gram logits) + extra · [signals,
    elements] + intercept. Storing the 3 × 3 ``mix`` instead of the product keeps the
    evaluation's ablation out of the model file's size budget.
    """

    mix: np.ndarray  # (n_labels × n_labels), applied to the base model's n-gram coefficients
    extra: np.ndarray  # (n_labels × n_extra): signal and element-score columns
    intercept_: np.ndarray  # (n_labels,)

    def resolve(self, base: LinearLabelModel) -> LinearLabelModel:
        """The variant as one linear map over the same columns as ``base``."""
        n_text = base.coef_.shape[1] - self.extra.shape[1]
        ngram = (self.mix @ base.coef_[:, :n_text]).astype(np.float32)
        return LinearLabelModel(
            coef_=np.hstack([ngram, self.extra.astype(np.float32)]), intercept_=self.intercept_
        )


@dataclass
class PlanModel:
    """Everything fitted; pickled as ``model.pkl`` (``model.joblib`` before).

    The label model's features are the document TF-IDF, then the signal features, then the
    eight element scores (see :meth:`stack`).
    """

    featurizer: SentenceFeaturizer
    detector: ElementDetector
    thresholds: np.ndarray
    label_model: LinearLabelModel
    mask_plan_words: bool
    temperature: float = 1.0
    signal_feature_names: tuple[str, ...] = field(default_factory=lambda: tuple(SIGNAL_FEATURES))
    #: The same model without some substance features (evaluation's ablation); compact
    #: (:class:`MixedLabelModel`) when the label model's n-gram part is stage one itself.
    variants: dict[str, LinearLabelModel | MixedLabelModel] = field(default_factory=dict)
    #: Word counts that separate short, normal and long texts: a one-line request and a
    #: 40-page tender need their own element thresholds and their own confidence scale.
    length_edges: tuple[int, int] = (40, 600)
    #: (3 × 8) element thresholds per length bucket; ``None``: ``thresholds`` for all.
    bucket_thresholds: np.ndarray | None = None
    #: (3,) temperatures per length bucket; ``None``: ``temperature`` for all.
    bucket_temperatures: np.ndarray | None = None
    #: Below this many words a text is too short for a sure verdict (``temperatures_for``).
    evidence_words: int = 30

    def bucket(self, n_words: int) -> int:
        """0 short, 1 normal, 2 long."""
        lo, hi = self.length_edges
        return 0 if n_words <= lo else (2 if n_words >= hi else 1)

    def thresholds_for(self, n_words: int) -> np.ndarray:
        if self.bucket_thresholds is None:
            return self.thresholds
        return np.asarray(self.bucket_thresholds[self.bucket(n_words)])

    def temperatures_for(self, word_counts: Sequence[int]) -> np.ndarray:
        """Per text, the temperature its logits are divided by.

        A text shorter than ``evidence_words`` says too little for any verdict to be sure:
        its temperature grows as ``sqrt(evidence_words / words)``, so a three-word title
        comes out "uncertain" whatever its words (the calibrated temperature applies above).
        """
        n = np.maximum(np.asarray(word_counts, dtype=float), 1.0)
        if self.bucket_temperatures is None:
            base = np.full(len(n), self.temperature)
        else:
            base = np.asarray(self.bucket_temperatures[[self.bucket(int(k)) for k in n]])
        out: np.ndarray = base * np.maximum(1.0, np.sqrt(self.evidence_words / n))
        return out

    def variant(self, name: str) -> LinearLabelModel:
        """One of :attr:`variants` as a linear map over the label model's columns."""
        v = self.variants[name]
        return v.resolve(self.label_model) if isinstance(v, MixedLabelModel) else v

    @staticmethod
    def stack(doc_x: sp.csr_matrix, sig: np.ndarray, el: np.ndarray) -> sp.csr_matrix:
        """Document TF-IDF, then signal features, then element scores."""
        return sp.hstack(
            [doc_x, sp.csr_matrix(np.hstack([sig, el]).astype(np.float32))], format="csr"
        )

    def logits(
        self, doc_x: sp.csr_matrix, sig: np.ndarray, el: np.ndarray, variant: str | None = None
    ) -> np.ndarray:
        lm = self.variant(variant) if variant else self.label_model
        out: np.ndarray = np.asarray(self.stack(doc_x, sig, el) @ lm.coef_.T) + lm.intercept_
        return out


def text_signals(prepared: Prepared, skip_chrome: bool) -> list[list[dict[str, Any]]]:
    """Each text's signals, with those that start in a page-furniture line left out.

    Furniture is not the text: "Page 2 of 7" named a channel, a share bar
    («مشاركة: فيسبوك | لينكدإن») the plan's channels, a "read also" link («اقرأ أيضاً: …
    رمضان») its season, and an award category line ("Product/Service Launch") a launch
    (1,462 such cues in the corpus and the published sets, 2026-12-05). Training reads
    them the same way.
    """
    out = []
    for text, spans in zip(prepared.texts, prepared.furniture_spans(skip_chrome), strict=True):
        found = extract_signals(text)
        if spans:
            found = [s for s in found if not any(a <= s["start"] < b for a, b in spans)]
        out.append(found)
    return out


def signal_matrix(signals: list[list[dict[str, Any]]]) -> np.ndarray:
    """(n_docs × n_signal_features) from each document's extracted signals."""
    if not signals:
        return np.zeros((0, len(SIGNAL_FEATURES)), dtype=np.float32)
    return np.asarray([signal_features(s) for s in signals], dtype=np.float32)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out
