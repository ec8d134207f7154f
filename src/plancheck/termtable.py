"""Sentence counts from a table of distinct words: each word analysed once, then sparse algebra.

Words are Zipf-distributed: a batch of 1,000 plans has ~300,000 words but a few thousand
distinct ones. Both analyses of the featuriser are functions of the whitespace word:
``char_wb`` n-grams never cross a word boundary, and the word tokens (``\\b\\w+\\b``) of a
sentence are its words' tokens in order. So each distinct word is analysed once (kept across
batches, bounded) into its char n-gram ids and its word-token ids, and a batch becomes:

- char counts = (sentence × distinct word counts) @ (distinct word × char n-gram);
- word unigram and bigram counts from the token-id sequence, bigrams found by a vectorised
  search of the (first id, second id) pairs of the vocabulary.

The matrices equal ``CountVectorizer.transform``'s exactly (same data, indices and order):
``tests/code/test_termtable.py`` compares them on the corpus.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from itertools import chain
from typing import cast

import numpy as np
import scipy.sparse as sp

from . import rows
from .rows import Rows, ragged

_EMPTY = np.zeros(0, dtype=np.int32)
#: distinct word → row; per row its char n-gram ids and its word-token ids (-1: not a term)
_State = tuple[dict[str, int], list[np.ndarray], list[np.ndarray]]


class TermTable:
    """Distinct words → their char n-gram ids and word-token ids, for one fitted vocabulary.

    Args:
        word_vocab: the word vectorizer's vocabulary (unigrams and ``"a b"`` bigrams).
        char_vocab: the ``char_wb`` vectorizer's vocabulary.
        char_analyzer: the ``char_wb`` analyzer (a word → its n-grams).
        token_pattern: the word vectorizer's token pattern.
        max_bigram: 2 when the word vocabulary has bigrams, 1 when unigrams only.
        max_words: distinct words kept; the table starts afresh past it (between batches).
    """

    def __init__(
        self,
        word_vocab: Mapping[str, int],
        char_vocab: Mapping[str, int],
        char_analyzer: Callable[[str], list[str]],
        token_pattern: str,
        max_bigram: int,
        max_words: int = 300_000,
    ):
        self.n_word = len(word_vocab)
        self.n_char = len(char_vocab)
        self._char_vocab = char_vocab
        self._analyze = char_analyzer
        self._tokens = re.compile(token_pattern).findall
        self.max_words = max_words
        self._unigram = {t: i for t, i in word_vocab.items() if " " not in t}
        keys, cols = [], []
        if max_bigram == 2:
            for t, i in word_vocab.items():
                a, sep, b = t.partition(" ")
                if sep:  # both halves are unigrams: a bigram in min_df sentences has both
                    keys.append(self._unigram[a] * self.n_word + self._unigram[b])
                    cols.append(i)
        order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
        self._bigram_keys = np.asarray(keys, dtype=np.int64)[order]
        self._bigram_cols = np.asarray(cols, dtype=np.int64)[order]
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        # One object swapped whole: a batch keeps the state it started with.
        self._state: _State = ({}, [], [])

    def _add(self, state: _State, word: str) -> int:
        """Analyse one new word (under the lock: the API scores from several threads)."""
        index, chars_of, words_of = state
        with self._lock:
            i = index.get(word)
            if i is not None:
                return i
            vocab, uni = self._char_vocab, self._unigram
            chars = [vocab[g] for g in self._analyze(word) if g in vocab]
            toks = [uni.get(t, -1) for t in self._tokens(word)]
            chars_of.append(np.asarray(chars, dtype=np.int32) if chars else _EMPTY)
            words_of.append(np.asarray(toks, dtype=np.int32) if toks else _EMPTY)
            i = index[word] = len(chars_of) - 1
            return i

    def counts(self, sentences: list[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """(word counts, char counts) of ``sentences``, float32, as ``CountVectorizer`` gives."""
        n = len(sentences)
        chars, words, inverse, sent_of_word = self._lookup(sentences)
        return (
            self._word_counts(n, words, inverse, sent_of_word),
            self._char_counts(n, chars, inverse, sent_of_word),
        )

    def count_rows(self, sentences: list[str]) -> tuple[Rows, Rows]:
        """:meth:`counts` as plain arrays (the same numbers and layout), for a few documents:
        a few numpy calls instead of a dozen sparse matrices.

        A few hundred word occurrences are gathered one by one (a list of array references
        concatenated once) instead of through a table of distinct words, whose ``unique``
        and ragged gathers cost more than they save at this size; counts do not depend on
        the order of their entries.
        """
        n = len(sentences)
        (_, chars_of, words_of), ids, sent_of_word = self._occurrences(sentences)
        chars = list(map(chars_of.__getitem__, ids))
        tokens = list(map(words_of.__getitem__, ids))
        r, c = self._token_entries(*_flat(tokens, sent_of_word))
        char_ids, char_rows = _flat(chars, sent_of_word)
        return (
            rows.counts(r, c, n, self.n_word),
            rows.counts(char_rows, char_ids, n, self.n_char),
        )

    def _occurrences(self, sentences: list[str]) -> tuple[_State, list[int], np.ndarray]:
        """The table state read, each word occurrence's row in it, and its sentence."""
        if len(self._state[0]) > self.max_words:
            with self._lock:
                self._reset()
        state = self._state
        index = state[0]
        split = list(map(str.split, sentences))  # map: C-level loops over the batch's words
        per_sentence = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
        flat = list(chain.from_iterable(split))
        ids = list(map(index.get, flat))
        if None in ids:
            ids = [self._add(state, w) if i is None else i for w, i in zip(flat, ids, strict=True)]
        sent_of_word = np.repeat(np.arange(len(sentences)), per_sentence)
        return state, cast(list[int], ids), sent_of_word

    def _lookup(
        self, sentences: list[str]
    ) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray]:
        """Per distinct word of ``sentences``: its char n-gram ids and word-token ids; per
        word occurrence: its distinct word (``inverse``) and its sentence."""
        (_, chars_of, words_of), ids, sent_of_word = self._occurrences(sentences)
        types, inverse = np.unique(np.asarray(ids, dtype=np.int64), return_inverse=True)
        rows_ = types.tolist()  # Python ints index lists faster than numpy integers
        chars = list(map(chars_of.__getitem__, rows_))
        words = list(map(words_of.__getitem__, rows_))
        return chars, words, inverse.reshape(-1), sent_of_word

    def _char_counts(
        self, n: int, chars: list[np.ndarray], inverse: np.ndarray, sent_of_word: np.ndarray
    ) -> sp.csr_matrix:
        occurrences = sp.csr_matrix(
            (np.ones(inverse.size, dtype=np.float32), (sent_of_word, inverse)),
            shape=(n, len(chars)),
        )
        table = _ragged_csr(chars, self.n_char)
        out = (occurrences @ table).tocsr()
        return _canonical(out)

    def _word_counts(
        self, n: int, words: list[np.ndarray], inverse: np.ndarray, sent_of_word: np.ndarray
    ) -> sp.csr_matrix:
        r, c = self._word_entries(words, inverse, sent_of_word)
        out = sp.csr_matrix((np.ones(r.size, dtype=np.float32), (r, c)), shape=(n, self.n_word))
        return _canonical(out)

    def _word_entries(
        self, words: list[np.ndarray], inverse: np.ndarray, sent_of_word: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(sentence, column) of each word unigram and bigram occurrence."""
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        flat_ids = np.concatenate(words) if words else _EMPTY
        per_word = lengths[inverse]
        # Gather each word's token ids in text order (a ragged take).
        tokens = flat_ids[ragged(starts[inverse], per_word)].astype(np.int64)
        return self._token_entries(tokens, np.repeat(sent_of_word, per_word))

    def _token_entries(
        self, tokens: np.ndarray, sent: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(sentence, column) of each unigram and bigram of the token-id sequence ``tokens``
        (text order; -1: not a term), ``sent`` the sentence of each token."""
        tokens = tokens.astype(np.int64, copy=False)
        rows_, cols = [sent[tokens >= 0]], [tokens[tokens >= 0]]
        if self._bigram_keys.size and tokens.size > 1:
            a, b = tokens[:-1], tokens[1:]
            ok = (a >= 0) & (b >= 0) & (sent[:-1] == sent[1:])
            keys = a[ok] * self.n_word + b[ok]
            pos = np.searchsorted(self._bigram_keys, keys)
            pos[pos == self._bigram_keys.size] = 0
            hit = self._bigram_keys[pos] == keys
            rows_.append(sent[:-1][ok][hit])
            cols.append(self._bigram_cols[pos[hit]])
        return np.concatenate(rows_), np.concatenate(cols)


def _flat(arrays: list[np.ndarray], row_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``arrays`` concatenated, and the row of each entry (``row_of[i]`` for array i)."""
    if not arrays:
        return _EMPTY, _EMPTY.astype(np.int64)
    lengths = np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays))
    return np.concatenate(arrays), np.repeat(row_of, lengths)


def _ragged_csr(rows: list[np.ndarray], n_cols: int) -> sp.csr_matrix:
    """A CSR matrix whose row i has a 1 at each column in ``rows[i]`` (repeats add up)."""
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    cols = np.concatenate(rows) if rows else _EMPTY
    m = sp.csr_matrix(
        (np.ones(cols.size, dtype=np.float32), cols, indptr), shape=(len(rows), n_cols)
    )
    m.sum_duplicates()
    return m


def _canonical(m: sp.csr_matrix) -> sp.csr_matrix:
    """Duplicates summed, indices sorted, int32 indices: the layout ``CountVectorizer`` returns."""
    m.sum_duplicates()
    if not m.has_sorted_indices:
        m.sort_indices()
    if m.indices.dtype != np.int32 and m.nnz < 2**31 and m.shape[1] < 2**31:
        m.indices = m.indices.astype(np.int32)
        m.indptr = m.indptr.astype(np.int32)
    return m
