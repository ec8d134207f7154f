"""Evaluation helpers: metrics and Arabic text for plots."""

import matplotlib
import numpy as np
import pytest

from plancheck.metrics import brier_score, expected_calibration_error, label_metrics
from plancheck.report import for_renderer, renderer_shapes_arabic

WORD = "استراتيجية"


def test_renderer_decision_follows_matplotlib_version(monkeypatch):
    monkeypatch.setattr(matplotlib, "__version__", "3.11.2")
    assert renderer_shapes_arabic() is True
    monkeypatch.setattr(matplotlib, "__version__", "3.10.0")
    assert renderer_shapes_arabic() is False


def test_shaping_renderer_gets_text_unchanged():
    # matplotlib >= 3.11 shapes and reorders Arabic itself: reshaping again draws it backwards
    assert for_renderer(WORD, renderer_shapes=True) == WORD


def test_non_shaping_renderer_gets_presentation_forms_in_visual_order():
    out = for_renderer(WORD, renderer_shapes=False)
    assert out != WORD
    assert all("\ufb50" <= c <= "\ufeff" for c in out)  # joined presentation forms
    # visual order: the first letter of the word is drawn last (rightmost)
    assert out[-1] in ("\ufe8d", "\ufe8e")  # alef, isolated or final form


def test_latin_text_is_never_touched():
    assert for_renderer("Strategy", renderer_shapes=False) == "Strategy"


@pytest.mark.skipif(
    tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) < (3, 11),
    reason="needs matplotlib >= 3.11",
)
def test_installed_matplotlib_shapes_arabic():
    assert renderer_shapes_arabic()


def test_label_metrics_and_calibration():
    m = label_metrics(
        ["strategy", "campaign", "other", "other"],
        ["strategy", "other", "other", "other"],
        ("strategy", "campaign", "other"),
    )
    assert m["per_class"]["strategy"]["f1"] == 1.0
    assert m["per_class"]["campaign"]["recall"] == 0.0
    assert m["confusion"][1] == [0, 0, 1]
    probs = np.asarray([[0.9, 0.05, 0.05], [0.2, 0.7, 0.1]])
    y = np.asarray([0, 1])
    assert expected_calibration_error(probs, y) == pytest.approx(0.2)
    assert brier_score(probs, y) == pytest.approx(
        ((0.1**2 + 0.05**2 * 2) + (0.2**2 + 0.3**2 + 0.1**2)) / 2
    )
