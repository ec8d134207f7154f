"""Shared fixtures: the real corpus and a model trained on it once per test run.

Tests never read or write the project's own models/ folder: the model is trained into a
temporary models folder with a small grid, so the suite works on a fresh clone.

The suite runs on pytest-xdist workers (``-n auto`` in pyproject.toml). The quick model is
still trained once per run, not once per worker: the first worker to need it trains it
into the run's shared temporary folder under a file lock, and the others wait for it and
load the same files. That folder is shared read-only: a test that changes a models folder
copies the model into its own ``tmp_path`` first.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from filelock import FileLock

from plancheck import load_model
from plancheck.corpus import load_corpus
from plancheck.train import TrainParams

QUICK = TrainParams.quick()


def shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run that every xdist worker sees (each worker's own
    base folder is a child of it); without xdist, the session's base folder."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def corpus_docs():
    return load_corpus()


@pytest.fixture(scope="session")
def _quick_model(tmp_path_factory) -> tuple[Path, str]:
    """Train the quick model once per run (whichever worker comes first), into
    ``<shared tmp>/quick-model/models``; returns that folder and the version."""
    from plancheck.lifecycle import train_candidate

    root = shared_tmp(tmp_path_factory) / "quick-model"
    done = root / "version.txt"
    with FileLock(f"{root}.lock"):
        if not done.is_file():
            shutil.rmtree(root, ignore_errors=True)  # a worker that died mid-training
            cand = train_candidate(
                models_dir=root / "models",
                reports_dir=root / "reports",
                params=QUICK,
                with_fasttext=False,
            )
            assert cand.promoted
            done.write_text(cand.version, encoding="utf-8")
    return root / "models", done.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def models_dir(_quick_model) -> Path:
    """The models folder holding the quick model as current. Read-only: copy to change."""
    return _quick_model[0]


@pytest.fixture(scope="session")
def trained_version(_quick_model) -> str:
    return _quick_model[1]


@pytest.fixture(scope="session")
def classifier(models_dir, trained_version):
    return load_model(models_dir=models_dir)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules with ``slow`` tests first (in collection order), then the rest.

    With xdist's ``--dist loadscope --no-loadscope-reorder`` (pyproject.toml) modules are
    handed to the workers in this order: the long ones (notebooks, lifecycle, browser, real
    uvicorn workers) start at once and the many short modules fill in around them, instead
    of a long module starting last while the other worker idles.
    """
    slow = {getattr(item, "module", None) for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: getattr(item, "module", None) not in slow)  # a stable sort
