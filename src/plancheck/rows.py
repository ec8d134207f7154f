"""Sparse rows as plain numpy arrays: a few documents scored without scipy.sparse's per-call cost.

For one document, building, validating and dispatching the ~50 sparse matrices of the batch
path costs more than the arithmetic (issue 13). These functions do the same arithmetic on
``(data, indices, indptr)`` arrays, in the same order as the kernels the batch path calls, so
the numbers are bitwise equal, not merely close:

- counts are integers: summed in any order, they are exact;
- a sparse product's row lists its columns in reverse order of first appearance, as scipy's
  ``csr_matmat`` leaves them, and its float32 sums accumulate entry by entry in that kernel's
  order (``np.add.at`` is unbuffered and goes in index order);
- the TF-IDF normalisation and the dense products (sentence scores, label logits) run the very
  kernels of the batch path (sklearn's ``inplace_csr_row_normalize_l2``, scipy's
  ``csr_matvecs`` behind ``csr @ dense``) on rows in the same stored order.

``tests/model/test_single_path.py`` compares the whole result dicts of both paths.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.sparse._sparsetools import csr_matvecs
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

_NO_ENTRIES = np.zeros(0, dtype=np.int64)


class Rows(NamedTuple):
    """A CSR matrix as its arrays: row i is ``data[indptr[i]:indptr[i + 1]]`` at ``indices``."""

    data: np.ndarray  # float32 (float64 for float64 inputs)
    indices: np.ndarray  # int64 column of each entry
    indptr: np.ndarray  # int64, n_rows + 1
    n_cols: int

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, self.n_cols

    @property
    def row_of(self) -> np.ndarray:
        """The row of each entry."""
        return np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))

    def csr(self) -> sp.csr_matrix:
        """The same matrix as scipy's, sharing the arrays."""
        return sp.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape, copy=False)

    def take(self, start: int, stop: int) -> Rows:
        """Rows ``start:stop``."""
        a, b = self.indptr[start], self.indptr[stop]
        return Rows(
            self.data[a:b], self.indices[a:b], self.indptr[start : stop + 1] - a, self.n_cols
        )

    def __matmul__(self, dense: np.ndarray) -> np.ndarray:  # type: ignore[override]
        """``csr @ dense``: scipy's kernel, called as scipy calls it (float32 sums in stored
        order), without building a ``csr_matrix``, whose index checks scan every entry."""
        dense = np.ascontiguousarray(dense)
        dtype = np.result_type(self.data, dense)
        n_rows, n_vecs = self.shape[0], dense.shape[1]
        out = np.zeros((n_rows, n_vecs), dtype=dtype)
        csr_matvecs(
            n_rows,
            self.n_cols,
            n_vecs,
            self.indptr,
            self.indices,
            self.data.astype(dtype, copy=False),
            dense.astype(dtype, copy=False).ravel(),
            out.ravel(),
        )
        return out


def _indptr(sorted_rows: np.ndarray, n_rows: int) -> np.ndarray:
    out: np.ndarray = np.searchsorted(sorted_rows, np.arange(n_rows + 1)).astype(np.int64)
    return out


def counts(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> Rows:
    """How often each (row, col) occurs, as ``CountVectorizer`` lays it out: float32
    counts, columns sorted within each row, duplicates summed."""
    keys, n = np.unique(rows * n_cols + cols, return_counts=True)
    r = keys // n_cols
    return Rows(n.astype(np.float32), keys - r * n_cols, _indptr(r, n_rows), n_cols)


def from_entries(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, shape: tuple[int, int]
) -> Rows:
    """``sp.csr_matrix((vals, (rows, cols)), shape=shape)``: sorted, duplicates summed."""
    n_rows, n_cols = shape
    keys, inverse = np.unique(rows * n_cols + cols, return_inverse=True)
    sums = np.zeros(keys.size, dtype=vals.dtype)
    np.add.at(sums, inverse, vals)
    r = keys // n_cols
    return Rows(sums, keys - r * n_cols, _indptr(r, n_rows), n_cols)


def empty(n_rows: int, n_cols: int) -> Rows:
    """An ``n_rows`` × ``n_cols`` matrix with no entries."""
    return Rows(
        np.zeros(0, dtype=np.float32), _NO_ENTRIES, np.zeros(n_rows + 1, dtype=np.int64), n_cols
    )


def from_dense(a: np.ndarray) -> Rows:
    """``sp.csr_matrix(a)``: the nonzero entries of each row, in column order."""
    r, c = np.nonzero(a)
    return Rows(a[r, c], c.astype(np.int64), _indptr(r, a.shape[0]), a.shape[1])


def ragged(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Positions ``starts[k]:starts[k] + lengths[k]`` for each k, concatenated."""
    total = int(lengths.sum())
    if not total:
        return _NO_ENTRIES
    shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    out: np.ndarray = shift + np.arange(total)
    return out


def matmat(a: Rows, b: Rows) -> Rows:
    """``a @ b`` as scipy's ``csr_matmat`` computes it (float32 or float64 like the inputs).

    For each row of ``a``, its entries in stored order each add a multiple of a row of ``b``
    (entries in stored order) to running sums; the row's columns come out in reverse order of
    first appearance, and exact zero sums are dropped.
    """
    lengths = np.diff(b.indptr)[a.indices]
    pos = ragged(b.indptr[a.indices], lengths)
    vals = np.repeat(a.data, lengths) * b.data[pos]
    keys = np.repeat(a.row_of, lengths) * b.n_cols + b.indices[pos]
    order, sorted_keys = stable_order(keys, a.shape[0] * b.n_cols)  # entry order within a key
    new = np.empty(order.size, dtype=bool)
    new[:1] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=new[1:])
    sums = np.zeros(int(new.sum()), dtype=vals.dtype)
    np.add.at(sums, np.cumsum(new) - 1, vals[order])  # in entry order: the kernel's sums
    first = order[new]  # where each (row, column) first appears
    unique_keys = sorted_keys[new]
    r = unique_keys // b.n_cols
    m = order.size + 1
    # By row, then last-appearing first (the keys are unique: a stable order is the order).
    out = stable_order(r * m + (order.size - first), a.shape[0] * m)[0]
    out = out[sums[out] != 0]
    cols = unique_keys[out] - r[out] * b.n_cols
    return Rows(sums[out], cols, _indptr(r[out], a.shape[0]), b.n_cols)


def stable_order(keys: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.argsort(keys, kind="stable")`` and ``keys`` in that order, for keys in
    ``[0, bound)``.

    Each key gets its position in its low bits (``key << shift | position``) and the
    result is sorted with numpy's default sort: the same permutation, as ties keep their
    positions, but numpy's vectorised ``sort`` of int64 is several times faster than an
    ``argsort`` (stable or not) on the few thousand entries of one text's products.
    """
    n = keys.size
    shift = max(n - 1, 1).bit_length()
    if not n or bound.bit_length() + shift > 62:  # the composite would overflow int64
        order = np.argsort(keys, kind="stable")
        return order, keys[order]
    composite = np.sort((keys << shift) | np.arange(n))
    return composite & ((1 << shift) - 1), composite >> shift


def hstack(blocks: list[Rows]) -> Rows:
    """``sp.hstack(blocks, format="csr")``: each row is its blocks' entries, block by block."""
    indptr = np.sum([b.indptr for b in blocks], axis=0)
    data = np.empty(indptr[-1], dtype=np.result_type(*[b.data for b in blocks]))
    indices = np.empty(indptr[-1], dtype=np.int64)
    start, offset = indptr[:-1].copy(), 0  # where each row's next block goes
    for b in blocks:
        n = np.diff(b.indptr)
        at = np.repeat(start - b.indptr[:-1], n) + np.arange(b.data.size)
        data[at] = b.data
        indices[at] = b.indices + offset
        start += n
        offset += b.n_cols
    return Rows(data, indices, indptr, offset)


def tfidf(t: TfidfTransformer, x: Rows) -> Rows:
    """:func:`plancheck.features.tfidf` on rows: the same operations in the same order."""
    data = x.data.copy() if x.data.dtype in (np.float32, np.float64) else x.data.astype(float)
    if t.sublinear_tf:
        np.log(data, data)
        data += 1.0
    if hasattr(t, "idf_"):
        data *= t.idf_[x.indices]
    out = Rows(data, x.indices, x.indptr, x.n_cols)
    if t.norm == "l2":
        inplace_csr_row_normalize_l2(out)  # reads data, indices, indptr and shape only
    elif t.norm is not None:  # pragma: no cover - plancheck fits l2 only
        raise ValueError(f"norm {t.norm!r}: only l2 has a rows path")
    return out
