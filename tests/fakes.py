"""The one test fake of ``plancheck.Classifier``: same methods, same signatures.

Answers depend on the input (Arabic vs English, the words present), so no test can pass on
a constant. API tests use it when no trained model is available; batch tests always do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from plancheck import config
from plancheck.errors import InputError
from plancheck.records import check_text, classify_records
from plancheck.summary import summarize
from plancheck.text import detect_language, split_sentences

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

    def classify(self, text: str, id: object = None) -> dict:
        return self.classify_many([text], None if id is None else [id])[0]

    def classify_many(
        self, texts: Sequence[str], ids: Sequence[object] | None = None
    ) -> list[dict]:
        for i, text in enumerate(texts):
            try:
                check_text(text)
            except InputError as e:
                raise InputError(f"text #{i}: {e}", e.code) from None
            if "BOOM" in text:  # a text the model itself fails on (batch isolation tests)
                raise RuntimeError(f"cannot classify text #{i}")
        self.calls.append(len(texts))
        out = [self._one(t) for t in texts]
        return out if ids is None else [{"id": d, **r} for d, r in zip(ids, out, strict=True)]

    def classify_records(
        self,
        texts: Sequence[object],
        ids: Sequence[object] | None = None,
        max_chars: int | None = None,
    ) -> list[dict]:
        return classify_records(self, texts, ids, max_chars)

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
            "summary": summarize(label, 0.8, language, elements, signals),
            "model_version": self.version,
        }
