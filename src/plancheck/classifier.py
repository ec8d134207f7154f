"""The trained model and the public ``Classifier`` that answers the contract.

``PlanModel`` holds the fitted parts (featuriser, element detector, label model, thresholds)
and is what ``model.pkl`` stores. ``Classifier`` wraps it with the model card and does the
work for one text or many: one featurisation pass per batch, then vectorised scoring. A batch
of up to ``small_batch`` texts (``classify`` included, long texts excepted) is scored on plain
numpy arrays (:mod:`plancheck.rows`) instead of scipy.sparse matrices, with bitwise-equal
results.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import rows
from .contract import ItemError, Result
from .elements import document_scores, with_clauses, without_furniture
from .errors import InputError
from .explain import assemble, elements_result, reasons_result
from .features import prepare
from .planmodel import (  # re-exported: older callers and pickles name them here
    LinearLabelModel as LinearLabelModel,
)
from .planmodel import (
    PlanModel as PlanModel,
)
from .planmodel import (
    signal_matrix as signal_matrix,
)
from .planmodel import (
    softmax as softmax,
)
from .planmodel import (
    text_signals,
)
from .records import check_text, classify_records
from .rows import Rows
from .signals import compile_rules
from .text import detect_language, find_words, word_count

#: Batches up to this many texts, and this many characters in all, take the rows path (see
#: ``Classifier.small_batch``): per text it costs 0.65 of the sparse path for one 300-word
#: text, 0.9 for eight, as much at 3,000 words and 1.06 at 10,000 (bench/RESULTS.md).
SMALL_BATCH = 8
SMALL_BATCH_CHARS = 20_000


def _signal_kinds(feature: str) -> str:
    """Which signal kinds stand behind a signal feature (shown as reasons)."""
    f = feature.lower()
    for key, kinds in (
        ("offer", "offer"),
        ("season", "season"),
        ("event", "event"),
        ("ongoing", "ongoing"),
        ("review", "review"),
        ("cadence", "review"),
        ("channel", "channel"),
    ):
        if key in f:
            return kinds
    return "duration|date_range"


class Classifier:
    """A loaded plancheck model. Get one with :func:`plancheck.load_model`.

    Example:
        >>> model = load_model()                      # doctest: +SKIP
        >>> model.classify("خطة حضورنا على السوشيال لثلاث سنوات ...")["label"]  # doctest: +SKIP
        'strategy'
    """

    def __init__(self, model: PlanModel, card: dict[str, Any] | None = None):
        self.model = model
        self.card = card or {}
        self.version: str = self.card.get("version", "unversioned")
        compile_rules()  # the signal rules, once per process: a broken signals.json fails here
        fz = model.featurizer
        self._n_word = fz.n_doc_word  # word columns, the lead's included: shown as words
        self._terms = fz.column_terms()  # feature_names() without prefixes, built faster
        self._n_text = len(self._terms)
        coef = model.label_model.coef_
        # Contribution of feature j to class k relative to the others: softmax is shift-invariant,
        # so (coef_k - mean coef) × x is the exact, deterministic per-feature effect.
        self._coef_rel = (coef - coef.mean(axis=0, keepdims=True)).astype(np.float32)
        # ``x @ coef.T`` copies a transposed (non-contiguous) coef on every call; one
        # contiguous copy made here gives the same products without that copy.
        self._coef_t = np.ascontiguousarray(coef.T)
        # The document char block is built only when the label model reads it: trained with
        # ``char_weight`` 0 its coefficients are all zero, and the block only cost time
        # (adding its 0.0 terms never changed a logit, so results are bitwise the same).
        self._doc_chars = bool(np.any(coef[:, self._n_word : self._n_text]))
        # Batches up to this size take the rows path (:mod:`plancheck.rows`): the same
        # results, without scipy.sparse's per-matrix cost, which dominates for one text.
        self.small_batch = SMALL_BATCH if fz.has_table else 0

    # -- public ---------------------------------------------------------------------

    def classify(self, text: str, id: Any = None) -> Result:
        """Classify one plan; returns the contract's result dict."""
        return self.classify_many([text], ids=None if id is None else [id])[0]

    def classify_many(
        self, texts: Sequence[str], ids: Sequence[Any] | None = None
    ) -> list[Result]:
        """Classify many plans at once (one featurisation pass); results in input order.

        Raises:
            InputError: naming the first bad text (by position) when any text is empty, too
                long or not a string. Callers that must keep going (batch, API batch) check
                texts with :func:`check_text` first.
        """
        texts = list(texts)
        for i, t in enumerate(texts):
            try:
                check_text(t)
            except InputError as e:
                raise InputError(f"text #{i}: {e}", e.code) from None
        if ids is not None and len(ids) != len(texts):
            raise InputError(f"{len(ids)} ids for {len(texts)} texts", "invalid_input")
        if not texts:
            return []
        out = self._score(texts)
        results = []
        for i, text in enumerate(texts):
            results.append(self._explain(i, text, out, None if ids is None else ids[i]))
        return results

    def classify_records(
        self,
        texts: Sequence[object],
        ids: Sequence[object] | None = None,
        max_chars: int | None = None,
    ) -> list[Result | ItemError]:
        """Classify what can be classified; an error record for the rest (see
        :func:`classify_records`)."""
        return classify_records(self, texts, ids, max_chars)

    def predict_proba(self, texts: Sequence[str], variant: str | None = None) -> np.ndarray:
        """Label probabilities only (columns in ``config.LABELS`` order), for evaluation.

        ``variant`` names one of ``model.variants`` (the same model without some substance
        features) for the ablation in evaluation reports.
        """
        # Variants multiply the sparse ``x``, with every block: a variant may read chars.
        out = self._score(list(texts), small=False, doc_chars=variant is not None)
        if variant is None:
            return np.asarray(out["probs"])
        m = self.model
        lm = m.variant(variant)
        logits = np.asarray(out["x"] @ lm.coef_.T) + lm.intercept_
        return softmax(logits / out["temps"][:, None])

    # -- internals --------------------------------------------------------------------

    def _score(
        self, texts: list[str], small: bool | None = None, doc_chars: bool = False
    ) -> dict[str, Any]:
        """Everything :meth:`_explain` reads, for a batch. ``small`` picks the path: the rows
        path (few texts) or sparse matrices (many); ``None``: by the batch's size.
        ``doc_chars``: build the document char block even when the label model ignores it."""
        doc_chars = doc_chars or self._doc_chars
        m = self.model
        if small is None:
            small = len(texts) <= self.small_batch and sum(map(len, texts)) <= SMALL_BATCH_CHARS
        prep = prepare(texts, m.mask_plan_words)
        if small:
            s_x, d_x, c_x = m.featurizer.rows(prep, doc_chars)
        else:
            sw, sc = m.featurizer.counts(prep)
            s_x, d_x = m.featurizer.from_counts(prep, sw, sc, doc_chars)
            c_x = m.featurizer.clause_features(prep)
        sent = with_clauses(
            m.detector.sentence_scores(s_x), m.detector.sentence_scores(c_x), prep.clause_of
        )
        sent = without_furniture(sent, prep.kept(m.featurizer.skips_chrome))
        el = document_scores(sent, prep.offsets)
        signals = text_signals(prep, m.featurizer.skips_chrome)
        sig = signal_matrix(signals)
        words = [word_count(t) for t in texts]
        if small:
            dense = rows.from_dense(np.hstack([sig, el]).astype(np.float32))
            x: sp.csr_matrix | Rows = rows.hstack([d_x, dense])  # as PlanModel.stack
        else:
            x = m.stack(d_x, sig, el)
        logits = np.asarray(x @ self._coef_t) + m.label_model.intercept_
        temps = m.temperatures_for(words)
        probs = softmax(logits / temps[:, None])
        return {
            "prep": prep,
            "sent": sent,
            "x": x,
            "signals": signals,
            "probs": probs,
            "temps": temps,
            "words": words,
        }

    def _contributions(
        self, x: sp.csr_matrix | Rows, i: int, k: int
    ) -> list[tuple[str, str, float]]:
        # Row i read straight from the CSR arrays: ``x[i]`` builds a matrix per document.
        a, b = x.indptr[i], x.indptr[i + 1]
        idx = x.indices[a:b]
        vals = x.data[a:b] * self._coef_rel[k, idx]
        top = np.argsort(-vals)[:60]
        out = []
        n_sig = len(self.model.signal_feature_names)
        # Python ints and floats in one call each: cheaper than converting entry by entry.
        for j, v in zip(idx[top].tolist(), vals[top].tolist(), strict=True):
            if v <= 0:
                break
            if j < self._n_word:
                out.append(("word", self._terms[j], v))
            elif j < self._n_text:
                out.append(("char", self._terms[j], v))
            elif j < self._n_text + n_sig:
                out.append(
                    ("signal", _signal_kinds(self.model.signal_feature_names[j - self._n_text]), v)
                )
            # element-score features are not terms of the text: they are left out of reasons
        return out

    def _explain(self, i: int, text: str, out: dict[str, Any], doc_id: Any) -> Result:
        prep = out["prep"]
        a, b = prep.offsets[i], prep.offsets[i + 1]
        language = detect_language(text)
        thresholds = self.model.thresholds_for(out["words"][i])
        elements = elements_result(text, prep.spans[i], out["sent"][a:b], thresholds)
        probs = out["probs"][i]
        k = int(np.argmax(probs))
        contributions = self._contributions(out["x"], i, k)
        # Words without their punctuation: "ads." and "ads" are one reason, shown once.
        # One search over the document's sentences (no word crosses the spaces joining them),
        # made only when a char n-gram is to be credited to words: nothing else reads them.
        words = (
            set(find_words(" ".join(prep.sentences[a:b])))
            if any(c[0] == "char" for c in contributions)
            else set()
        )
        reasons = reasons_result(contributions, text, words, language, out["signals"][i])
        return assemble(
            label_probs=probs,
            language=language,
            elements=elements,
            signals=out["signals"][i],
            reasons=reasons,
            model_version=self.version,
            doc_id=doc_id,
        )
