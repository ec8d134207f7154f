"""The term table's counts equal sklearn's ``CountVectorizer`` exactly, on the whole corpus.

Every downstream number (sentence scores, probabilities, reasons) is computed from these
matrices, so equal matrices (data, indices, row pointers) mean unchanged outputs.
"""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp

from plancheck import features
from plancheck.corpus import load_corpus
from plancheck.features import SentenceFeaturizer, prepare, tfidf


def _same(fast: sp.csr_matrix, slow: sp.csr_matrix, counts: bool = True) -> None:
    assert fast.shape == slow.shape and fast.dtype == slow.dtype
    if counts:  # CountVectorizer's layout; products downstream keep their own order
        assert fast.has_sorted_indices and slow.has_sorted_indices
    assert np.array_equal(fast.indptr, slow.indptr)
    assert np.array_equal(fast.indices, slow.indices)
    assert np.array_equal(fast.data, slow.data)


@pytest.fixture(scope="module")
def corpus_and_featurizer():
    texts = [d.text for d in load_corpus()]
    train = prepare(texts[::3], mask_plan_words=True)
    fz = SentenceFeaturizer(lead_words=50).fit(train)
    return texts, fz


def test_counts_equal_sklearn_on_the_corpus(corpus_and_featurizer):
    texts, fz = corpus_and_featurizer
    # half of these texts were not fitted on: out-of-vocabulary words and bigrams included
    for chunk in (texts[:1500], texts[1500:3000], texts[3000:]):
        prep = prepare(chunk, mask_plan_words=True)
        for rows in (prep.sentences, prep.clauses):
            sw, sc = fz.sentence_counts(rows)
            _same(sw, fz.word_.transform(rows))
            _same(sc, fz.char_.transform(rows))


def test_features_equal_with_a_cold_and_a_warm_table(corpus_and_featurizer):
    texts, fz = corpus_and_featurizer
    prep = prepare(texts[:200], mask_plan_words=True)
    cold = pickle.loads(pickle.dumps(fz))  # the table is a cache: never pickled
    assert "_term_table" not in cold.__dict__
    a, b = cold.transform(prep), fz.transform(prep)
    for x, y in zip(a, b, strict=True):
        _same(x, y, counts=False)
    # the same rows one at a time (the API's case) and in a batch agree
    one = fz.sentence_counts(prep.sentences[:1])
    _same(one[0], fz.word_.transform(prep.sentences[:1]))


def test_edge_rows_and_a_small_bounded_table():
    rows = ["", "a", "ab abc abcdef", "كلمة واحدة كلمة", "x-y_z  a\tb", "a b a b"]
    fz = SentenceFeaturizer(min_df=1).fit(prepare(["a b ab abc", "x y z a b كلمة"]))
    table = fz._table()
    table.max_words = 2
    for _ in range(3):  # the table starts afresh past its bound and still answers right
        sw, sc = fz.sentence_counts(rows)
        _same(sw, fz.word_.transform(rows))
        _same(sc, fz.char_.transform(rows))
    empty = fz.sentence_counts([])
    assert empty[0].shape == (0, len(fz.word_.vocabulary_))


@pytest.mark.slow
def test_results_equal_with_and_without_the_table(classifier, corpus_docs, monkeypatch):
    """Labels, probabilities, elements, evidence, signals, reasons and summary: unchanged."""
    texts = [d.text for d in corpus_docs[::25]]
    fast = classifier.classify_many(texts)
    fz = classifier.model.featurizer
    monkeypatch.setattr(  # the plain sklearn computation: no term table, sklearn's tf-idf
        type(fz),
        "sentence_counts",
        lambda self, rows: (self.word_.transform(rows), self.char_.transform(rows)),
    )
    monkeypatch.setattr(features, "tfidf", lambda t, x: t.transform(x))
    assert classifier.classify_many(texts) == fast


def test_tfidf_equals_sklearn_transform(corpus_and_featurizer):
    texts, fz = corpus_and_featurizer
    prep = prepare(texts[1::3], mask_plan_words=True)
    sw, sc = fz.counts(prep)
    agg = prep.aggregation()
    for t, x in [
        (fz.sent_tfidf_[0], sw),
        (fz.sent_tfidf_[1], sc),
        (fz.doc_tfidf_[0], agg @ sw),
        (fz.doc_tfidf_[1], agg @ sc),
        (fz.lead_tfidf_, prep.lead_aggregation(50) @ sw),
    ]:
        before = x.copy()
        _same(tfidf(t, x), t.transform(x), counts=False)
        _same(x, before, counts=False)  # the counts are left as they were
