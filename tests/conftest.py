"""Shared fixtures: the real corpus and a model trained on it once per test session.

Tests never read or write the project's own models/ folder: the model is trained into a
temporary models folder with a small grid, so the suite works on a fresh clone.
"""

from __future__ import annotations

import pytest

from plancheck import load_model
from plancheck.corpus import load_corpus
from plancheck.train import TrainParams

QUICK = TrainParams.quick()


@pytest.fixture(scope="session")
def corpus_docs():
    return load_corpus()


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def trained_version(models_dir, tmp_path_factory):
    from plancheck.lifecycle import train_candidate

    cand = train_candidate(
        models_dir=models_dir,
        reports_dir=tmp_path_factory.mktemp("reports"),
        params=QUICK,
        with_fasttext=False,
    )
    assert cand.promoted
    return cand.version


@pytest.fixture(scope="session")
def classifier(models_dir, trained_version):
    return load_model(models_dir=models_dir)
