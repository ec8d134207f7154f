"""Saving, verifying and loading models; training is deterministic."""

import json
import shutil

import numpy as np
import pytest
import sklearn

from plancheck import ModelIntegrityError, ModelNotFoundError, load_model
from plancheck.artifacts import (
    CARD_FILE,
    LEGACY_MODEL_FILE,
    MODEL_FILE,
    current_version,
    sha256_file,
)


def test_card_records_what_the_issue_asks(models_dir, trained_version):
    card = json.loads((models_dir / trained_version / CARD_FILE).read_text(encoding="utf-8"))
    for key in (
        "version",
        "created",
        "python",
        "sklearn",
        "corpus_sha256",
        "model_sha256",
        "hyperparameters",
        "thresholds",
        "metrics",
        "training",
        "model_file",
        "model_format",
    ):
        assert key in card, key
    assert card["model_file"] == MODEL_FILE == "model.pkl"
    assert card["model_format"] == "pickle-5"
    assert card["sklearn"] == sklearn.__version__
    assert set(card["metrics"]) == {"dev", "test"}
    assert card["training"]["grid"], "the searched grid is recorded"
    assert current_version(models_dir) == trained_version


def test_model_file_stays_within_the_size_budget(models_dir, trained_version):
    """Issue 9: artifact ≤ 30 MB. The ablation's variants are kept as stage-two numbers, not
    as copies of the label model's coefficients."""
    from plancheck.planmodel import MixedLabelModel

    size = (models_dir / trained_version / MODEL_FILE).stat().st_size
    assert size <= 30_000_000, f"{size / 1e6:.1f} MB"
    model = load_model(trained_version, models_dir=models_dir).model
    assert all(isinstance(v, MixedLabelModel) for v in model.variants.values())


@pytest.fixture
def copy_of_model(models_dir, trained_version, tmp_path):
    """The quick model copied as version ``copy-under-test`` into a models folder of this
    test's own (the session's folder is shared read-only between xdist workers)."""
    dst = tmp_path / "models" / "copy-under-test"
    shutil.copytree(models_dir / trained_version, dst)
    return dst


def test_tampered_artifact_is_refused(copy_of_model):
    path = copy_of_model / MODEL_FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="plancheck train"):
        load_model("copy-under-test", copy_of_model.parent)


def test_other_sklearn_version_is_refused(copy_of_model):
    card_path = copy_of_model / CARD_FILE
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["sklearn"] = "0.0.1"
    card_path.write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match="scikit-learn"):
        load_model("copy-under-test", copy_of_model.parent)


def test_changed_signal_rules_are_refused(copy_of_model):
    card_path = copy_of_model / CARD_FILE
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["signals_sha256"] = "0" * 64
    card_path.write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match="signal rules"):
        load_model("copy-under-test", copy_of_model.parent)


def test_missing_model_is_refused_with_the_fix(tmp_path):
    with pytest.raises(ModelNotFoundError, match="plancheck train"):
        load_model(models_dir=tmp_path)
    with pytest.raises(ModelNotFoundError):
        load_model("no-such-version", tmp_path)


def test_model_outside_models_folder_is_refused(models_dir, trained_version, tmp_path):
    outside = tmp_path / "elsewhere"
    shutil.copytree(models_dir / trained_version, outside)
    with pytest.raises(ModelIntegrityError, match="only loaded from"):
        load_model(outside, models_dir)


@pytest.mark.slow
def test_training_is_deterministic(corpus_docs, models_dir, trained_version):
    """Training again gives the session's quick model (trained by ``train_candidate`` on the
    same corpus with the same parameters, possibly in another xdist worker), exactly."""
    import joblib

    from plancheck.train import train

    from ..conftest import QUICK

    a = joblib.load(models_dir / trained_version / MODEL_FILE)
    b = train(corpus_docs, QUICK).model
    assert np.array_equal(a.label_model.coef_, b.label_model.coef_)
    assert np.array_equal(a.detector.coef_, b.detector.coef_)
    assert np.array_equal(a.thresholds, b.thresholds)
    assert a.temperature == b.temperature


def test_model_of_another_fold_table_is_refused(copy_of_model):
    card_path = copy_of_model / CARD_FILE
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["fold_sha256"] = "0" * 64
    card_path.write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match="fold table.*plancheck train"):
        load_model("copy-under-test", copy_of_model.parent)


def test_model_files_are_readable_by_other_accounts(models_dir, trained_version):
    """A server running under another account must be able to read the model and its card."""
    folder = models_dir / trained_version
    for path in (folder / CARD_FILE, folder / MODEL_FILE, models_dir / "current"):
        assert path.stat().st_mode & 0o044 == 0o044, (path, oct(path.stat().st_mode))


def test_model_saved_as_joblib_before_still_loads(copy_of_model, classifier):
    """Models saved before ``model.pkl`` (``model.joblib``, a card naming no file) load,
    through the same hash check, and answer exactly as the same model saved now."""
    import joblib

    (copy_of_model / MODEL_FILE).unlink()
    joblib.dump(classifier.model, copy_of_model / LEGACY_MODEL_FILE, compress=3)
    card_path = copy_of_model / CARD_FILE
    card = json.loads(card_path.read_text(encoding="utf-8"))
    del card["model_file"], card["model_format"]
    card["model_sha256"] = sha256_file(copy_of_model / LEGACY_MODEL_FILE)
    card_path.write_text(json.dumps(card), encoding="utf-8")
    old = load_model("copy-under-test", copy_of_model.parent)
    texts = ["Ramadan offer: 20% off for two weeks on Instagram", "خطة حضورنا لثلاث سنوات"]
    assert old.predict_proba(texts).tobytes() == classifier.predict_proba(texts).tobytes()
    assert old.classify_many(texts) == classifier.classify_many(texts)
    data = bytearray((copy_of_model / LEGACY_MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy_of_model / LEGACY_MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="plancheck train"):
        load_model("copy-under-test", copy_of_model.parent)


def test_card_naming_an_unknown_model_file_is_refused(copy_of_model):
    card_path = copy_of_model / CARD_FILE
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["model_file"] = "../elsewhere.pkl"
    card_path.write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match="unknown model file"):
        load_model("copy-under-test", copy_of_model.parent)
