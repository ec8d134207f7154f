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
