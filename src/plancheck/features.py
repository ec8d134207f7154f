"""Text → features, analysing every sentence exactly once.

Character n-gram extraction dominates the cost of a TF-IDF model, and plancheck needs both
sentence features (element detector) and document features (label model). Term counts add
up, so a document's counts are the sum of its sentences' counts: one sparse product turns
sentence counts into document counts instead of analysing the text twice. The sentences
come from :mod:`plancheck.prepared` (re-exported here: ``prepare``, ``Prepared``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.utils.validation import check_is_fitted

from .prepared import _MASK as _MASK
from .prepared import MASK_TOKEN as MASK_TOKEN
from .prepared import Prepared as Prepared
from .prepared import prepare as prepare


def _identity(s: str) -> str:
    return s


class SentenceFeaturizer(TransformerMixin, BaseEstimator):
    """Word and char_wb TF-IDF for sentences and for documents built from them.

    Fitted on a :class:`Prepared` batch. ``transform`` returns ``(sentence_X, document_X)``:
    sentences get sentence-level IDF, documents get document-level IDF with sublinear tf;
    each block (word, char) is L2-normalised on its own, as a FeatureUnion would.

    Args:
        word_ngrams: word n-gram range.
        char_ngrams: ``char_wb`` n-gram range.
        min_df: minimum number of training sentences a term must occur in.
        max_char_features: cap on the character vocabulary (most frequent kept).
        header_weight: share of a heading's features added to the sentences under it.
        neighbour_weight: share of each neighbouring sentence's features added.
        lead_words: when > 0, the document features carry a second word block counting only
            the sentences that start within the first ``lead_words`` words (the lead).
    """

    def __init__(
        self,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] = (2, 5),
        min_df: int = 2,
        max_char_features: int | None = 150_000,
        header_weight: float = 0.5,
        neighbour_weight: float = 0.0,
        lead_words: int = 0,
    ):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_char_features = max_char_features
        self.header_weight = header_weight
        self.neighbour_weight = neighbour_weight
        self.lead_words = lead_words

    def _vectorizers(self) -> tuple[CountVectorizer, CountVectorizer]:
        word = CountVectorizer(
            analyzer="word",
            token_pattern=r"(?u)\b\w+\b",
            ngram_range=tuple(self.word_ngrams),
            min_df=self.min_df,
            lowercase=False,
            preprocessor=_identity,
            dtype=np.float32,
        )
        char = CountVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(self.char_ngrams),
            min_df=self.min_df,
            max_features=self.max_char_features,
            lowercase=False,
            preprocessor=_identity,
            dtype=np.float32,
        )
        return word, char

    def fit(self, prepared: Prepared, y: object = None) -> SentenceFeaturizer:
        word, char = self._vectorizers()
        sw = word.fit_transform(prepared.sentences)
        sc = char.fit_transform(prepared.sentences)
        agg = prepared.aggregation()
        self.word_ = word
        self.char_ = char
        self.sent_tfidf_ = (
            TfidfTransformer(sublinear_tf=True).fit(sw),
            TfidfTransformer(sublinear_tf=True).fit(sc),
        )
        self.doc_tfidf_ = (
            TfidfTransformer(sublinear_tf=True).fit(agg @ sw),
            TfidfTransformer(sublinear_tf=True).fit(agg @ sc),
        )
        self.lead_tfidf_ = (
            TfidfTransformer(sublinear_tf=True).fit(
                prepared.lead_aggregation(self.lead_words) @ sw
            )
            if self.lead_words
            else None
        )
        self.n_word_ = len(word.vocabulary_)
        return self

    @property
    def n_doc_word(self) -> int:
        """Word columns of the document features (the lead block included), before the chars."""
        return self.n_word_ * (2 if getattr(self, "lead_tfidf_", None) is not None else 1)

    def counts(self, prepared: Prepared) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Raw sentence counts (word, char): the only text analysis in the whole model."""
        check_is_fitted(self, "word_")
        return self.word_.transform(prepared.sentences), self.char_counts(prepared.sentences)

    def char_counts(self, sentences: list[str]) -> sp.csr_matrix:
        """``char_wb`` counts, equal to ``self.char_.transform`` but much faster.

        ``char_wb`` n-grams never cross a word boundary, so a sentence's counts are the sum
        of its words' counts; each distinct word is analysed once and its n-gram indices
        cached (words repeat heavily, so most lookups are cache hits).
        """
        cache = self.__dict__.setdefault("_word_ngrams", {})
        if len(cache) > 300_000:
            cache.clear()
        vocab = self.char_.vocabulary_
        analyze = self.char_.build_analyzer()
        empty = np.zeros(0, dtype=np.int32)
        pieces: list[np.ndarray] = []
        lengths: list[int] = []
        per_sentence: list[int] = []
        for s in sentences:
            n = 0
            for w in s.split():
                idx = cache.get(w)
                if idx is None:
                    found = [vocab[g] for g in analyze(w) if g in vocab]
                    idx = cache[w] = np.asarray(found, dtype=np.int32) if found else empty
                if idx.size:
                    pieces.append(idx)
                    lengths.append(idx.size)
                    n += idx.size
            per_sentence.append(n)
        shape = (len(sentences), len(vocab))
        if not pieces:
            return sp.csr_matrix(shape, dtype=np.float32)
        cols = np.concatenate(pieces)
        indptr = np.concatenate([[0], np.cumsum(per_sentence)]).astype(np.int64)
        m = sp.csr_matrix((np.ones(cols.size, dtype=np.float32), cols, indptr), shape=shape)
        m.sum_duplicates()
        return m

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_word_ngrams", None)  # a cache, not model state: never pickled
        return state

    def transform(self, prepared: Prepared) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        sw, sc = self.counts(prepared)
        return self.from_counts(prepared, sw, sc)

    def from_counts(
        self, prepared: Prepared, sw: sp.csr_matrix, sc: sp.csr_matrix
    ) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        agg = prepared.aggregation()
        s_x = sp.hstack(
            [self.sent_tfidf_[0].transform(sw), self.sent_tfidf_[1].transform(sc)], format="csr"
        )
        blocks = [self.doc_tfidf_[0].transform(agg @ sw)]
        lead = getattr(self, "lead_tfidf_", None)  # absent from models saved before leads
        if lead is not None:
            blocks.append(lead.transform(prepared.lead_aggregation(self.lead_words) @ sw))
        blocks.append(self.doc_tfidf_[1].transform(agg @ sc))
        d_x = sp.hstack(blocks, format="csr")
        ctx = prepared.context(self.header_weight, self.neighbour_weight)
        return (ctx @ s_x).astype(np.float32).tocsr(), d_x.astype(np.float32).tocsr()

    def clause_features(self, prepared: Prepared) -> sp.csr_matrix:
        """Sentence-level TF-IDF of each clause (rows follow ``prepared.clauses``)."""
        clauses = prepared.clauses
        if not clauses:
            n = len(self.word_.vocabulary_) + len(self.char_.vocabulary_)
            return sp.csr_matrix((0, n), dtype=np.float32)
        sw = self.word_.transform(clauses)
        sc = self.char_counts(clauses)
        x = sp.hstack(
            [self.sent_tfidf_[0].transform(sw), self.sent_tfidf_[1].transform(sc)], format="csr"
        )
        return x.astype(np.float32).tocsr()

    def feature_names(self) -> np.ndarray:
        """Names of the document columns: ``w:`` word n-grams, ``l:`` the same words in the
        lead (when there is a lead block), then ``c:`` char n-grams. Sentence features have
        the ``w:`` and ``c:`` columns only."""
        check_is_fitted(self, "word_")
        words = list(self.word_.get_feature_names_out())
        w = ["w:" + t for t in words]
        lead = ["l:" + t for t in words] if getattr(self, "lead_tfidf_", None) is not None else []
        c = ["c:" + t for t in self.char_.get_feature_names_out()]
        return np.asarray(w + lead + c, dtype=object)
