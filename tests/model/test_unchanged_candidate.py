"""A candidate identical to the current model changes nothing: no promotion, no new version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from plancheck import lifecycle
from plancheck.artifacts import (
    CARD_FILE,
    current_version,
    list_versions,
    load_artifact,
    set_current,
)
from plancheck.promotion import promote

pytestmark = pytest.mark.slow


@pytest.fixture
def models(models_dir: Path, trained_version: str, tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    shutil.copytree(models_dir / trained_version, folder / trained_version)
    set_current(trained_version, folder)
    return folder


def test_promoting_the_same_model_says_nothing_changed(models: Path) -> None:
    cur = current_version(models)
    twin = models / "20990101-000000-twin00"
    shutil.copytree(models / cur, twin)
    card = json.loads((twin / CARD_FILE).read_text(encoding="utf-8"))
    card["version"] = twin.name
    (twin / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    history = (models / "history.jsonl").read_text(encoding="utf-8")

    verdict = promote(twin.name, models)
    assert not verdict["promoted"] and verdict["why"].startswith("nothing changed")
    assert current_version(models) == cur
    assert (models / "history.jsonl").read_text(encoding="utf-8") == history


def test_retraining_to_the_same_model_makes_no_new_version(models: Path, monkeypatch) -> None:
    cur = current_version(models)
    same, _ = load_artifact(models / cur)
    report = json.loads((models / cur / CARD_FILE).read_text(encoding="utf-8"))["training"]
    result = SimpleNamespace(model=same, report=report)
    monkeypatch.setattr(lifecycle, "train", lambda docs, params, progress=None: result)
    said: list[str] = []
    cand = lifecycle.train_candidate(
        models_dir=models,
        reports_dir=models.parent / "reports",
        progress=said.append,
        with_fasttext=False,
    )
    assert not cand.promoted and cand.gate["why"].startswith("nothing changed")
    assert cand.version == cur and list_versions(models) == [cur]
    assert any("no new version" in line for line in said)
    reports = models.parent / "reports"
    assert not reports.exists() or not any(reports.iterdir()), "no reports for no version"
