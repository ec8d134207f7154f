"""Fixtures for the API tests.

ONE fixture, ``classifier``, provides the model every API test uses: the real model
(``plancheck.load_model``) when the library can train and load one, otherwise a small fake
that implements the same interface with input-dependent answers (Arabic vs English, the
words present), so no test can pass on a constant. ``PLANCHECK_TEST_MODEL=fake|real``
forces either.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from plancheck import config
from plancheck.artifacts import CARD_FILE, set_current
from tests.builders import make_docx, make_pdf
from tests.fakes import FakeClassifier  # noqa: E402


def _library_ready() -> bool:
    try:
        import plancheck.classifier  # noqa: F401
        import plancheck.lifecycle  # noqa: F401
    except ImportError:
        return False
    return config.CORPUS_PATH.is_file()


@pytest.fixture(scope="session")
def classifier(request: pytest.FixtureRequest) -> Any:
    """THE model for all API tests.

    ``PLANCHECK_TEST_MODEL=real`` (or ``auto`` when the library and corpus are there) uses
    the real model the suite trains once per session (``tests/conftest.py``), loaded with
    ``plancheck.load_model``; ``fake`` (or ``auto`` otherwise) uses :class:`FakeClassifier`.
    """
    mode = os.environ.get("PLANCHECK_TEST_MODEL", "auto")
    if mode == "fake" or (mode == "auto" and not _library_ready()):
        return FakeClassifier()
    from plancheck import load_model

    request.getfixturevalue("trained_version")
    return load_model(models_dir=request.getfixturevalue("models_dir"))


@pytest.fixture(scope="session")
def is_fake(classifier: Any) -> bool:
    return isinstance(classifier, FakeClassifier)


# --- apps and clients ----------------------------------------------------------------


@pytest.fixture
def make_app(classifier: Any, tmp_path: Path) -> Callable[..., FastAPI]:
    """Build an app serving ``classifier``; keyword arguments override settings."""

    def build(loader: Callable[[Path], Any] | None = None, **overrides: Any) -> FastAPI:
        values: dict[str, Any] = {
            "models_dir": tmp_path,
            "api_key": None,
            "allowed_hosts": ["testserver", "127.0.0.1", "localhost"],  # TestClient's host
            **overrides,
        }
        return create_app(Settings(**values), loader=loader or (lambda _dir: classifier))

    return build


@pytest.fixture
def client(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    with TestClient(make_app()) as c:
        yield c


# --- sample texts and documents ------------------------------------------------------

AR_PLAN = (
    "استراتيجية التواصل الاجتماعي لشركتنا للسنوات الثلاث القادمة.\n"
    "الهدف: زيادة الوعي بالعلامة التجارية ورفع المبيعات عبر الإنترنت.\n"
    "الجمهور المستهدف: النساء من 25 إلى 40 عاماً في الرياض وجدة.\n"
    "نراجع الخطة كل ستة أشهر ونقيس التفاعل والوصول شهرياً."
)
EN_PLAN = (
    "Ramadan campaign: 30 days of daily Instagram stories and TikTok videos.\n"
    "Goal: sell 5,000 gift boxes with a 25% discount offer.\n"
    "Budget: 40,000 SAR for paid ads."
)


@pytest.fixture(scope="session")
def plans() -> SimpleNamespace:
    """An Arabic strategy and an English campaign."""
    return SimpleNamespace(ar=AR_PLAN, en=EN_PLAN)


@pytest.fixture(scope="session")
def documents() -> SimpleNamespace:
    """Builders for test documents: ``documents.pdf(lines)``, ``documents.docx(paragraphs)``."""
    return SimpleNamespace(pdf=make_pdf, docx=make_docx)


def copy_version(source: Path, models: Path, version: str) -> None:
    """The trained model under another version name (its card says so; hashes still hold)."""
    shutil.copytree(source, models / version)
    card_path = models / version / CARD_FILE
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["version"] = version
    card_path.write_text(json.dumps(card), encoding="utf-8")


@pytest.fixture
def two_versions(models_dir: Path, trained_version: str, tmp_path: Path) -> Path:
    """A models folder with the trained model under two versions, ``v-a`` current."""
    models = tmp_path / "models"
    models.mkdir()
    for version in ("v-a", "v-b"):
        copy_version(models_dir / trained_version, models, version)
    set_current("v-a", models)
    return models


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
