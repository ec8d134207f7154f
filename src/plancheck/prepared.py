"""Texts cut into sentences and normalised once, ready to vectorise.

Everything downstream (sentence features for the element detector, document and lead
features for the label model, clauses, headings) indexes the same sentences, so they are
found and normalised here, in one pass over a batch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .structure import heading_of, split_clauses
from .text import normalize, sentence_text, split_sentences
from .text.chrome import is_chrome
from .text.normalize import normalize_many

_SEP = "\ue000"  # a private-use character: survives normalisation, never in real text

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
    #: per sentence, whether it is page furniture (:mod:`plancheck.text.chrome`)
    chrome: np.ndarray | None = None

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
        rows, cols, vals = self.context_entries(header, neighbours)
        return sp.csr_matrix((vals, (rows, cols)), shape=(n, n))

    def context_entries(
        self, header: float, neighbours: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows, cols, weights) of :meth:`context`'s entries, before duplicates are summed."""
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
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)

    def furniture_spans(self, skip_chrome: bool) -> list[list[tuple[int, int]]]:
        """Per document, the spans (on its original text) of the sentences :meth:`kept`
        leaves out: none unless ``skip_chrome``."""
        out: list[list[tuple[int, int]]] = [[] for _ in self.texts]
        if not skip_chrome or self.chrome is None:
            return out
        for i in np.flatnonzero(~self.kept(True)).tolist():
            d = int(self.doc_of_sentence[i])
            out[d].append(self.spans[d][i - int(self.offsets[d])])
        return out

    def kept(self, skip_chrome: bool) -> np.ndarray:
        """Sentences the document features count: all, or all but page furniture (unless a
        text is nothing but furniture, which is then counted whole)."""
        n_s = len(self.sentences)
        if not skip_chrome or self.chrome is None or not n_s:
            return np.ones(n_s, dtype=bool)
        content = np.bincount(
            self.doc_of_sentence, weights=~self.chrome, minlength=self.n_docs
        ).astype(bool)
        kept: np.ndarray = ~self.chrome | ~content[self.doc_of_sentence]
        return kept

    def lead_aggregation(self, max_words: int, skip_chrome: bool = False) -> sp.csr_matrix:
        """(n_docs × n_sentences) 0/1: the sentences that start within a text's first words.

        A news report, case study or board paper says what it is about in its title and lead;
        the body is detail that reads like any other register. The lead's words are a block of
        their own in the document features.
        """
        n_s = len(self.sentences)
        keep = self.lead_sentences(max_words, skip_chrome)
        data = np.ones(keep.size, dtype=np.float32)
        return sp.csr_matrix((data, (self.doc_of_sentence[keep], keep)), shape=(self.n_docs, n_s))

    def lead_sentences(self, max_words: int, skip_chrome: bool = False) -> np.ndarray:
        """Indices of the sentences :meth:`lead_aggregation` counts, in order."""
        n_s = len(self.sentences)
        words = np.fromiter((len(s.split()) for s in self.sentences), dtype=np.int64, count=n_s)
        kept = self.kept(skip_chrome)
        words = words * kept  # furniture neither counts nor pushes the lead further down
        before = np.cumsum(words) - words  # words before each sentence, over the whole batch
        start = before - before[self.offsets[self.doc_of_sentence]]  # within its own text
        keep: np.ndarray = np.flatnonzero((start < max_words) & kept)
        return keep

    def aggregation(self, skip_chrome: bool = False) -> sp.csr_matrix:
        """(n_docs × n_sentences) 0/1 matrix: document counts = this @ sentence counts."""
        n_s = len(self.sentences)
        data = self.kept(skip_chrome).astype(np.float32)
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
    # One pass over the whole batch: the separator survives normalisation unchanged.
    norm = normalize_many(shown, _SEP) if shown else []
    if len(norm) != len(shown):  # pragma: no cover - defensive: fall back to one by one
        norm = [normalize(s) for s in shown]
    chrome = np.fromiter((is_chrome(s) for s in norm), dtype=bool, count=len(norm))
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
        chrome=chrome,
    )
