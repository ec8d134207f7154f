"""The rows path's features equal the sparse path's bitwise: same data, columns and order.

The order matters: the element detector and the label model sum float32 products in the order
the entries are stored, so equal arrays (not merely equal matrices) mean equal scores. The
featuriser here has every option the rows path must honour: a lead block, page furniture left
out of the document features, neighbour weights besides the heading weight.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from plancheck import rows
from plancheck.corpus import load_corpus
from plancheck.features import SentenceFeaturizer, prepare


def _same(a: sp.csr_matrix, b: rows.Rows) -> None:
    assert a.shape == b.shape and a.dtype == b.data.dtype
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


@pytest.fixture(scope="module")
def fitted():
    texts = [d.text for d in load_corpus()]
    fz = SentenceFeaturizer(
        lead_words=50, drop_chrome=True, header_weight=0.5, neighbour_weight=0.3
    ).fit(prepare(texts[::8]))
    return texts, fz


BATCHES = [
    ["Home | About | Contact\nOur plan:\n- grow sales by 10%\n- 5k SAR budget\nPage 2 of 5"],
    ["Home | About | Contact\nPage 1 of 2"],  # furniture only: counted whole
    ["plan"],
    ["خطتنا للسنة:\n- زيادة المتابعين\n- ميزانية ٥ آلاف ريال", "One line.", "a b a b c"],
]


@pytest.mark.parametrize("batch", range(len(BATCHES) + 3))
def test_rows_equal_sparse(fitted, batch):
    texts, fz = fitted
    chunk = BATCHES[batch] if batch < len(BATCHES) else texts[batch * 97 :: 400][:12]
    prep = prepare(chunk)
    sw, sc = fz.counts(prep)
    s_x, d_x = fz.from_counts(prep, sw, sc)
    r_s, r_d, r_c = fz.rows(prep)
    _same(s_x, r_s)
    _same(d_x, r_d)
    _same(fz.clause_features(prep), r_c)
    coef = np.random.default_rng(0).standard_normal((s_x.shape[1], 8)).astype(np.float32)
    assert np.array_equal(np.asarray(s_x @ coef), r_s @ coef)


def test_matmat_and_hstack_match_scipy():
    rng = np.random.default_rng(1)
    a = sp.random(5, 7, density=0.5, format="csr", dtype=np.float32, random_state=2)
    b = sp.random(7, 40, density=0.3, format="csr", dtype=np.float32, random_state=3)
    b.data = rng.random(b.nnz).astype(np.float32)

    def as_rows(m: sp.csr_matrix) -> rows.Rows:
        return rows.Rows(m.data, m.indices.astype(np.int64), m.indptr.astype(np.int64), m.shape[1])

    _same(a @ b, rows.matmat(as_rows(a), as_rows(b)))
    _same(
        sp.hstack([a, b.T.tocsr()[:5]], format="csr"),
        rows.hstack([as_rows(a), as_rows(b.T.tocsr()[:5])]),
    )
    empty = rows.Rows(np.zeros(0, np.float32), np.zeros(0, np.int64), np.zeros(6, np.int64), 7)
    assert rows.matmat(empty, as_rows(b)).shape == (5, 40)


def test_stable_order_is_numpys_stable_argsort():
    """The composite-key sort gives the stable argsort, ties in position order, and falls
    back to numpy's stable sort when the composite would not fit in int64."""
    rng = np.random.default_rng(13)
    for n, bound in ((0, 5), (1, 5), (7, 3), (5_000, 40), (5_000, 10**7), (3, 2**61)):
        keys = rng.integers(0, bound, n).astype(np.int64)
        order, sorted_keys = rows.stable_order(keys, bound)
        assert np.array_equal(order, np.argsort(keys, kind="stable"))
        assert np.array_equal(sorted_keys, np.sort(keys))
