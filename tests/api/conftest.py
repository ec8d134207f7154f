"""Fixtures for the API tests.

ONE fixture, ``classifier``, provides the model every API test uses: the real model
(``plancheck.load_model``) when the library can train and load one, otherwise a small fake
that implements the same interface with input-dependent answers (Arabic vs English, the
words present), so no test can pass on a constant. ``PLANCHECK_TEST_MODEL=fake|real``
forces either.
"""

from __future__ import annotations

import os
import re
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
from plancheck.errors import InputError
from plancheck.text import detect_language, split_sentences
from tests.builders import make_docx, make_pdf

# --- a fake classifier with the library's interface -----------------------------------

_CUES: dict[str, tuple[str, ...]] = {
    "goals": ("goal", "objective", "awareness", "الهدف", "هدف", "الأهداف", "زيادة الوعي"),
    "audience": ("audience", "customers aged", "segment", "الجمهور", "الفئة المستهدفة"),
    "ownership": ("responsible", "owner", "approves", "مسؤول", "يعتمد", "فريق التسويق"),
    "horizon": ("years", "every six months", "review", "سنوات", "سنتين", "نراجع", "ستة أشهر"),
    "implementation": ("instagram", "tiktok", "video", "content calendar", "فيديو", "محتوى"),
    "budget": ("budget", " sar", "usd", "الميزانية", "ميزانية", "ريال"),
    "measurement": ("kpi", "measure", "engagement", "reach", "نقيس", "مؤشرات", "التفاعل"),
    "integration": ("customer service", "sales team", "خدمة العملاء", "بالتنسيق مع"),
}
_STRATEGY = ("strategy", "years", "استراتيجية", "سنوات", "سنتين", "long-term", "طويلة المدى")
_CAMPAIGN = ("campaign", "ramadan", "offer", "discount", "حملة", "رمضان", "عرض", "خصم", "30 days")
_DURATION = re.compile(
    r"(\d+|[٠-٩]+|three|two|ثلاث|الثلاث)\s*(days|day|months|years|يوم|أيام|أشهر|سنوات|القادمة)",
    re.I,
)
_ADVICE = {
    "en": "Say concretely: {name}.",
    "ar": "اذكر بوضوح: {name}.",
}


class FakeClassifier:
    """Stands in for ``plancheck.Classifier`` until a trained model exists."""

    def __init__(self, version: str = "fake-1") -> None:
        self.version = version
        self.card = {
            "version": version,
            "created": "2025-01-01T00:00:00+00:00",
            "metrics": {"macro_f1": 0.9},
            "thresholds": dict.fromkeys(config.ELEMENTS, 0.5),
            "fake": True,
        }
        self.calls: list[int] = []  # sizes of classify_many calls, to check vectorisation

    def classify(self, text: str) -> dict:
        return self.classify_many([text])[0]

    def classify_many(self, texts: list[str]) -> list[dict]:
        for i, text in enumerate(texts):
            if not isinstance(text, str) or not text.strip():
                raise InputError(f"text #{i}: text is empty")
            if len(text) > config.MAX_TEXT_CHARS:
                raise InputError(f"text #{i}: text too long")
        self.calls.append(len(texts))
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> dict:
        low = text.lower()
        language = detect_language(text)
        spans = split_sentences(text)
        elements, missing, advice, reasons = [], [], [], []
        names = config.display_names()["elements"]
        advice_lang = "en" if language == "en" else "ar"
        for eid in config.ELEMENTS:
            hits = [(s, e) for s, e in spans if any(c in text[s:e].lower() for c in _CUES[eid])]
            present = bool(hits)
            elements.append(
                {
                    "id": eid,
                    "present": present,
                    "score": 0.9 if present else 0.1,
                    "evidence": [text[s:e] for s, e in hits],
                    "spans": [[s, e] for s, e in hits],
                }
            )
            if not present:
                missing.append(eid)
                message = _ADVICE[advice_lang].format(name=names[eid][advice_lang])
                advice.append({"element": eid, "message": message})
        strategy = sum(low.count(w) for w in _STRATEGY)
        campaign = sum(low.count(w) for w in _CAMPAIGN)
        if strategy == campaign == 0 or len(missing) > 6:
            label = "other"
        else:
            label = "strategy" if strategy > campaign else "campaign"
        for w in (*_STRATEGY, *_CAMPAIGN):
            if w in low:
                reasons.append({"term": w, "weight": round(0.1 + 0.01 * len(w), 3)})
        probs = dict.fromkeys(config.LABELS, 0.1)
        probs[label] = 0.8
        signals = [
            {
                "kind": "duration",
                "text": m.group(0),
                "days": 30.0 if "day" in m.group(0) else 1095.0,
            }
            for m in _DURATION.finditer(text)
        ]
        if "every six months" in low or "كل ستة أشهر" in text:
            signals.append({"kind": "review", "text": "every six months"})
        return {
            "label": label,
            "confidence": 0.8,
            "probabilities": probs,
            "language": language,
            "elements": elements,
            "missing": missing,
            "advice": advice,
            "signals": signals,
            "reasons": reasons[:5],
            "model_version": self.version,
        }


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
        values: dict[str, Any] = {"models_dir": tmp_path, "api_key": None, **overrides}
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
