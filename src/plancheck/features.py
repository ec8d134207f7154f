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
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2
from sklearn.utils.validation import check_is_fitted

from . import rows
from .prepared import _MASK as _MASK
from .prepared import MASK_TOKEN as MASK_TOKEN
from .prepared import Prepared as Prepared
from .prepared import prepare as prepare
from .rows import Rows
from .termtable import TermTable


def _identity(s: str) -> str:
    return s


def tfidf(t: TfidfTransformer, counts: sp.csr_matrix) -> sp.csr_matrix:
    """``t.transform(counts)``: the same operations in the same order, without sklearn's
    per-call validation (which costs more than the arithmetic for one document)."""
    x = sp.csr_matrix(counts, dtype=counts.dtype, copy=True)
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    if t.sublinear_tf:
        np.log(x.data, x.data)
        x.data += 1.0
    if hasattr(t, "idf_"):
        x.data *= t.idf_[x.indices]
    if t.norm == "l2":
        inplace_csr_row_normalize_l2(x)
    elif t.norm is not None:  # pragma: no cover - plancheck fits l2 only
        return t.transform(counts)
    return x


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
        drop_chrome: document and lead features skip page furniture (navigation, share bars,
            page numbers: :mod:`plancheck.text.chrome`); sentence features keep every line.
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
        drop_chrome: bool = False,
    ):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_char_features = max_char_features
        self.header_weight = header_weight
        self.neighbour_weight = neighbour_weight
        self.lead_words = lead_words
        self.drop_chrome = drop_chrome

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
        self.__dict__.pop("_term_table", None)  # built for the previous vocabulary
        sw = word.fit_transform(prepared.sentences)
        sc = char.fit_transform(prepared.sentences)
        skip = self.drop_chrome
        agg = prepared.aggregation(skip)
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
                prepared.lead_aggregation(self.lead_words, skip) @ sw
            )
            if self.lead_words
            else None
        )
        self.n_word_ = len(word.vocabulary_)
        return self

    @property
    def skips_chrome(self) -> bool:
        """``drop_chrome``, read where models saved before it have no such attribute."""
        return bool(self.__dict__.get("drop_chrome", False))

    @property
    def n_doc_word(self) -> int:
        """Word columns of the document features (the lead block included), before the chars."""
        return self.n_word_ * (2 if getattr(self, "lead_tfidf_", None) is not None else 1)

    def counts(self, prepared: Prepared) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Raw sentence counts (word, char): the only text analysis in the whole model."""
        return self.sentence_counts(prepared.sentences)

    def sentence_counts(self, sentences: list[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """(word, char) counts equal to ``word_.transform`` and ``char_.transform``, faster:
        each distinct word is analysed once (see :mod:`plancheck.termtable`)."""
        check_is_fitted(self, "word_")
        if not self.has_table:
            return self.word_.transform(sentences), self.char_.transform(sentences)
        return self._table().counts(sentences)

    @property
    def has_table(self) -> bool:
        """Whether the term table can count (it knows word unigrams and bigrams only)."""
        return tuple(self.word_ngrams) in ((1, 1), (1, 2))

    def char_counts(self, sentences: list[str]) -> sp.csr_matrix:
        """``char_wb`` counts, equal to ``self.char_.transform`` but much faster."""
        return self.sentence_counts(sentences)[1]

    def _table(self) -> TermTable:
        table = self.__dict__.get("_term_table")
        if table is None:
            table = self.__dict__["_term_table"] = TermTable(
                self.word_.vocabulary_,
                self.char_.vocabulary_,
                self.char_.build_analyzer(),
                self.word_.token_pattern,
                max_bigram=int(self.word_ngrams[1]),
            )
        return table

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_term_table", None)  # a cache, not model state: never pickled
        state.pop("_word_ngrams", None)  # the cache of earlier versions
        return state

    def transform(self, prepared: Prepared) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        sw, sc = self.counts(prepared)
        return self.from_counts(prepared, sw, sc)

    def from_counts(
        self, prepared: Prepared, sw: sp.csr_matrix, sc: sp.csr_matrix, doc_chars: bool = True
    ) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Sentence features with their context, and document features.

        ``doc_chars=False`` leaves the document char block empty (same columns, no entries):
        for a label model whose char coefficients are all zero, it adds nothing but cost.
        """
        skip = self.skips_chrome
        agg = prepared.aggregation(skip)
        s_x = sp.hstack(
            [tfidf(self.sent_tfidf_[0], sw), tfidf(self.sent_tfidf_[1], sc)], format="csr"
        )
        blocks = [tfidf(self.doc_tfidf_[0], agg @ sw)]
        lead = getattr(self, "lead_tfidf_", None)  # absent from models saved before leads
        if lead is not None:
            blocks.append(tfidf(lead, prepared.lead_aggregation(self.lead_words, skip) @ sw))
        if doc_chars:
            blocks.append(tfidf(self.doc_tfidf_[1], agg @ sc))
        else:
            blocks.append(sp.csr_matrix((prepared.n_docs, sc.shape[1]), dtype=np.float32))
        d_x = sp.hstack(blocks, format="csr")
        ctx = prepared.context(self.header_weight, self.neighbour_weight)
        # copy=False: the products are new matrices, mostly float32 already (no second copy).
        return (
            (ctx @ s_x).astype(np.float32, copy=False).tocsr(),
            d_x.astype(np.float32, copy=False).tocsr(),
        )

    def rows(self, prepared: Prepared, doc_chars: bool = True) -> tuple[Rows, Rows, Rows]:
        """:meth:`transform` and :meth:`clause_features` for a few documents, on plain arrays
        (:mod:`plancheck.rows`): the same numbers in the same layout, without building and
        checking a dozen sparse matrices. Needs the term table (:attr:`has_table`).

        Returns:
            (sentence features with their context, document features, clause features).
        """
        check_is_fitted(self, "word_")
        n_s, skip = len(prepared.sentences), self.skips_chrome
        # Sentences and clauses in one pass: every row is counted and weighted on its own.
        w, c = self._table().count_rows(prepared.sentences + prepared.clauses)
        x = rows.hstack([rows.tfidf(self.sent_tfidf_[0], w), rows.tfidf(self.sent_tfidf_[1], c)])
        sw, sc = w.take(0, n_s), c.take(0, n_s)
        ctx = rows.from_entries(
            *prepared.context_entries(self.header_weight, self.neighbour_weight), (n_s, n_s)
        )
        n_docs = prepared.n_docs
        agg = rows.Rows(
            prepared.kept(skip).astype(np.float32),
            np.arange(n_s, dtype=np.int64),
            prepared.offsets.astype(np.int64),
            n_s,
        )
        blocks = [rows.tfidf(self.doc_tfidf_[0], rows.matmat(agg, sw))]
        lead = getattr(self, "lead_tfidf_", None)
        if lead is not None:
            keep = prepared.lead_sentences(self.lead_words, skip)
            first = rows.Rows(
                np.ones(keep.size, dtype=np.float32),
                keep.astype(np.int64),
                np.searchsorted(prepared.doc_of_sentence[keep], np.arange(n_docs + 1)),
                n_s,
            )
            blocks.append(rows.tfidf(lead, rows.matmat(first, sw)))
        if doc_chars:
            blocks.append(rows.tfidf(self.doc_tfidf_[1], rows.matmat(agg, sc)))
        else:
            blocks.append(rows.empty(n_docs, sc.n_cols))
        return rows.matmat(ctx, x.take(0, n_s)), rows.hstack(blocks), x.take(n_s, x.shape[0])

    def clause_features(self, prepared: Prepared) -> sp.csr_matrix:
        """Sentence-level TF-IDF of each clause (rows follow ``prepared.clauses``)."""
        clauses = prepared.clauses
        if not clauses:
            n = len(self.word_.vocabulary_) + len(self.char_.vocabulary_)
            return sp.csr_matrix((0, n), dtype=np.float32)
        sw, sc = self.sentence_counts(clauses)
        x = sp.hstack(
            [tfidf(self.sent_tfidf_[0], sw), tfidf(self.sent_tfidf_[1], sc)], format="csr"
        )
        return x.astype(np.float32, copy=False).tocsr()

    def feature_names(self) -> np.ndarray:
        """Names of the document columns: ``w:`` word n-grams, ``l:`` the same words in the
        lead (when there is a lead block), then ``c:`` char n-grams. Sentence features have
        the ``w:`` and ``c:`` columns only."""
        check_is_fitted(self, "word_")
        words = _terms(self.word_.vocabulary_)
        blocks = [words.__radd__("w:")]
        if getattr(self, "lead_tfidf_", None) is not None:
            blocks.append(words.__radd__("l:"))
        blocks.append(_terms(self.char_.vocabulary_).__radd__("c:"))
        out: np.ndarray = np.concatenate(blocks)
        return out

    def column_terms(self) -> np.ndarray:
        """:meth:`feature_names` without the ``w:``/``l:``/``c:`` prefixes (cheaper to build)."""
        check_is_fitted(self, "word_")
        words = _terms(self.word_.vocabulary_)
        lead = [words] if getattr(self, "lead_tfidf_", None) is not None else []
        out: np.ndarray = np.concatenate([words, *lead, _terms(self.char_.vocabulary_)])
        return out


def _terms(vocabulary: dict[str, int]) -> np.ndarray:
    """The terms in column order, as ``get_feature_names_out`` gives them (an object array),
    placed by index instead of sorted: a model loads faster."""
    out = np.empty(len(vocabulary), dtype=object)
    out[np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))] = list(vocabulary)
    return out
