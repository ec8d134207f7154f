"""Text → features, analysing every sentence exactly once.

Character n-gram extraction dominates the cost of a TF-IDF model, and plancheck needs both
sentence features (element detector) and document features (label model). Term counts add
up, so a document's counts are the sum of its sentences' counts: one sparse product turns
sentence counts into document counts instead of analysing the text twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.utils.validation import check_is_fitted

from .structure import heading_of, split_clauses
from .text import normalize, sentence_text, split_sentences

_SEP = "\ue000"  # a private-use character: survives normalisation, never in real text
_SEP_JOIN = f" {_SEP} "

# Words that name the plan type. Masking them makes the model read the substance instead.
_MASK = re.compile(
    r"\S*(?:strateg|استراتيج|استراتج)\S*|\S*campaign\S*|\S*كامبين\S*"
    r"|\b(?:و|ف|ب|ل|ال|وال|بال|لل|فال)?حمل(?:ه|ات|ت|تنا|تكم|تها|تهم|اتنا|اتكم)\b"
)
MASK_TOKEN = "plantypeword"


@dataclass
class Prepared:
    """A batch of documents cut into sentences, ready to vectorise."""

    texts: list[str]
    spans: list[list[tuple[int, int]]]  # per document: sentence spans on the original text
    sentences: list[str]  # normalised sentences of the whole batch, document by document
    doc_of_sentence: np.ndarray  # index of the document each sentence belongs to
    offsets: np.ndarray  # sentences of doc i are offsets[i]:offsets[i + 1]
    #: per sentence, the index (in this batch) of the heading it sits under, or -1
    header_of: np.ndarray | None = None
    #: clauses of sentences that list several things, and the sentence each belongs to
    clauses: list[str] = field(default_factory=list)
    clause_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def n_docs(self) -> int:
        return len(self.texts)

    def context(self, header: float, neighbours: float) -> sp.csr_matrix:
        """(n_sentences × n_sentences): each sentence plus its heading and neighbours.

        Real plans state an element in a bullet under a heading ("Budget:" / "- 40k SAR")
        or across two sentences of a paragraph. Scoring ``context @ sentence features``
        lets a bullet inherit its heading's element and a sentence borrow a little of its
        neighbours', without merging their evidence.
        """
        n = len(self.sentences)
        rows, cols, vals = [np.arange(n)], [np.arange(n)], [np.ones(n, dtype=np.float32)]
        if header and self.header_of is not None:
            has = np.flatnonzero(self.header_of >= 0)
            rows.append(has)
            cols.append(self.header_of[has])
            vals.append(np.full(has.size, header, dtype=np.float32))
        if neighbours and n > 1:
            same = self.doc_of_sentence[1:] == self.doc_of_sentence[:-1]
            i = np.flatnonzero(same)
            rows += [i, i + 1]
            cols += [i + 1, i]
            vals += [np.full(i.size, neighbours, dtype=np.float32)] * 2
        return sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
        )

    def lead_aggregation(self, max_words: int) -> sp.csr_matrix:
        """(n_docs × n_sentences) 0/1: the sentences that start within a text's first words.

        A news report, case study or board paper says what it is about in its title and lead;
        the body is detail that reads like any other register. The lead's words are a block of
        their own in the document features.
        """
        n_s = len(self.sentences)
        words = np.fromiter((len(s.split()) for s in self.sentences), dtype=np.int64, count=n_s)
        before = np.cumsum(words) - words  # words before each sentence, over the whole batch
        start = before - before[self.offsets[self.doc_of_sentence]]  # within its own text
        keep = np.flatnonzero(start < max_words)
        data = np.ones(keep.size, dtype=np.float32)
        return sp.csr_matrix((data, (self.doc_of_sentence[keep], keep)), shape=(self.n_docs, n_s))

    def aggregation(self) -> sp.csr_matrix:
        """(n_docs × n_sentences) 0/1 matrix: document counts = this @ sentence counts."""
        n_s = len(self.sentences)
        data = np.ones(n_s, dtype=np.float32)
        return sp.csr_matrix(
            (data, (self.doc_of_sentence, np.arange(n_s))), shape=(self.n_docs, n_s)
        )


def prepare(texts: list[str], mask_plan_words: bool = False) -> Prepared:
    """Split each text into sentences and normalise them all in one pass."""
    spans_all: list[list[tuple[int, int]]] = []
    shown: list[str] = []
    owner: list[int] = []
    headers: list[int] = []
    offsets = [0]
    for i, text in enumerate(texts):
        spans = split_sentences(text)
        spans_all.append(spans)
        shown.extend(sentence_text(text, s) for s in spans)
        base = len(owner)
        headers.extend(h + base if h >= 0 else -1 for h in heading_of(text, spans))
        owner.extend([i] * len(spans))
        offsets.append(len(owner))
    # One normalize() call for the whole batch: the separator survives it unchanged.
    joined = normalize(_SEP_JOIN.join(shown)) if shown else ""
    norm = [s.strip() for s in joined.split(_SEP)] if shown else []
    if len(norm) != len(shown):  # pragma: no cover - defensive: fall back to one by one
        norm = [normalize(s) for s in shown]
    if mask_plan_words:
        norm = [_MASK.sub(MASK_TOKEN, s) for s in norm]
    clauses, clause_of = split_clauses(norm)
    return Prepared(
        texts=list(texts),
        spans=spans_all,
        sentences=norm,
        doc_of_sentence=np.asarray(owner, dtype=np.int64),
        offsets=np.asarray(offsets, dtype=np.int64),
        header_of=np.asarray(headers, dtype=np.int64),
        clauses=clauses,
        clause_of=np.asarray(clause_of, dtype=np.int64),
    )


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
