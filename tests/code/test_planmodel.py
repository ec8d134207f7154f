"""The label model's pickled form: smaller on disk, the same array after loading."""

from __future__ import annotations

import pickle

import numpy as np

from plancheck.planmodel import LinearLabelModel


def _model(zero_cols: slice) -> LinearLabelModel:
    rng = np.random.default_rng(0)
    coef = rng.normal(size=(3, 2_000)).astype(np.float32)
    coef[:, zero_cols] = 0.0
    coef[1, 5] = 0.0  # a zero inside a used column stays a zero
    return LinearLabelModel(coef_=coef, intercept_=rng.normal(size=3))


def test_round_trip_gives_the_same_arrays() -> None:
    lm = _model(slice(800, 1_900))
    back = pickle.loads(pickle.dumps(lm, protocol=5))
    assert back.coef_.dtype == lm.coef_.dtype and back.coef_.shape == lm.coef_.shape
    assert np.array_equal(back.coef_, lm.coef_) and back.coef_.flags.c_contiguous
    assert np.array_equal(back.intercept_, lm.intercept_)


def test_zero_columns_are_not_stored() -> None:
    dense = len(pickle.dumps(_model(slice(0, 0)), protocol=5))
    sparse = len(pickle.dumps(_model(slice(800, 1_900)), protocol=5))
    assert sparse < 0.6 * dense


def test_a_model_pickled_before_the_compact_form_still_loads() -> None:
    lm = _model(slice(10, 20))
    old_state = {"coef_": lm.coef_, "intercept_": lm.intercept_}
    back = LinearLabelModel.__new__(LinearLabelModel)
    back.__setstate__(old_state)
    assert np.array_equal(back.coef_, lm.coef_)


def test_a_mixed_variant_is_the_collapsed_two_stage_model() -> None:
    """The ablation's variants are stored as stage two's numbers; resolved, they are the
    one linear map ``collapse`` builds, over the base model's columns."""
    from types import SimpleNamespace

    from plancheck.planmodel import MixedLabelModel
    from plancheck.stacking import collapse, identity_meta, mixed

    rng = np.random.default_rng(1)
    n_text, n_extra = 5_000, 23
    stage1 = SimpleNamespace(coef_=rng.normal(size=(3, n_text)), intercept_=rng.normal(size=3))
    meta = SimpleNamespace(coef_=rng.normal(size=(3, 3 + n_extra)), intercept_=rng.normal(size=3))
    base = collapse(stage1, identity_meta(n_extra), n_extra)
    want = collapse(stage1, meta, n_extra)
    variant = mixed(stage1, meta, n_extra)
    got = variant.resolve(base)
    assert isinstance(variant, MixedLabelModel)
    assert got.coef_.shape == want.coef_.shape == base.coef_.shape
    assert np.allclose(got.coef_, want.coef_, rtol=1e-5, atol=1e-6)
    assert np.allclose(got.intercept_, want.intercept_)
    # a few numbers instead of a copy of the coefficients
    assert len(pickle.dumps(variant, protocol=5)) < 0.1 * len(pickle.dumps(want, protocol=5))


def test_either_loss_collapses_to_the_scores_of_its_stage_one() -> None:
    """``TrainParams.ngram_loss``: the hinge loss's SVM and the log loss's regression both
    become the one linear map the classifier reads, giving the stage's own scores."""
    import pytest
    import scipy.sparse as sp

    from plancheck.stacking import _ngram_model, collapse, identity_meta

    rng = np.random.default_rng(2)
    x = sp.random(120, 300, density=0.05, random_state=3, format="csr")
    y = rng.integers(0, 3, size=120)
    for loss in ("log", "hinge"):
        stage1 = _ngram_model(1.0, loss).fit(x, y)
        lm = collapse(stage1, identity_meta(0), 0)
        got = np.asarray(x @ lm.coef_.T) + lm.intercept_
        assert np.allclose(got, stage1.decision_function(x), atol=1e-4)
    with pytest.raises(ValueError, match="ngram_loss"):
        _ngram_model(1.0, "squared")
