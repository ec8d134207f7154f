"""Request and response models; they mirror ``shared/spec/labels-and-elements.md``.

Response models allow extra fields: the spec lets the library add fields, and they pass
through to clients unchanged. Requests ignore unknown fields.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from plancheck import config

# The contract ids, from the one place that defines them.
Label = Literal[config.LABELS]
ElementId = Literal[config.ELEMENTS]
Language = Literal[config.LANGUAGES]
# Strict: JSON true/false is not an id (it used to be echoed back as 1/0).
ItemId = StrictStr | StrictInt

EXAMPLE_AR = (
    "استراتيجية التواصل الاجتماعي لشركتنا للسنوات الثلاث القادمة.\n"
    "الهدف: زيادة الوعي بالعلامة التجارية ورفع المبيعات عبر الإنترنت بنسبة 20٪.\n"
    "الجمهور المستهدف: النساء من 25 إلى 40 عاماً في الرياض وجدة.\n"
    "نراجع الخطة كل ستة أشهر ونقيس التفاعل والوصول شهرياً."
)
EXAMPLE_EN = (
    "Ramadan campaign: 30 days of daily Instagram stories and TikTok videos.\n"
    "Goal: sell 5,000 gift boxes with a 25% discount.\n"
    "Budget: 40,000 SAR for paid ads. The campaign runs from 1 to 30 Ramadan."
)
EXAMPLE_MIXED = (
    "خطة الـ social media لمدة سنتين: نركز على الـ engagement و الـ KPIs شهرياً، "
    "وفريق التسويق مسؤول عن الـ content calendar بالتنسيق مع خدمة العملاء."
)

CLASSIFY_EXAMPLES = {
    "arabic_strategy": {
        "summary": "Arabic strategy (three years, review every six months)",
        "value": {"text": EXAMPLE_AR},
    },
    "english_campaign": {
        "summary": "English Ramadan campaign",
        "value": {"text": EXAMPLE_EN},
    },
    "mixed": {"summary": "Arabic with English terms", "value": {"text": EXAMPLE_MIXED}},
}

BATCH_EXAMPLES = {
    "two_plans": {
        "summary": "An Arabic strategy and an English campaign",
        "value": {"items": [{"id": "plan-ar", "text": EXAMPLE_AR}, {"id": 2, "text": EXAMPLE_EN}]},
    },
    "with_a_bad_item": {
        "summary": "The empty item gets an error; the other is classified",
        "value": {"items": [{"id": "ok", "text": EXAMPLE_EN}, {"id": "empty", "text": "  "}]},
    },
}


# --- requests ------------------------------------------------------------------------


class ClassifyRequest(BaseModel):
    """One text to classify."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"text": EXAMPLE_AR}]})

    text: str = Field(
        min_length=1,
        pattern=r"\S",
        description="The plan, in Arabic, English or both. Not empty or only spaces; at most "
        "PLANCHECK_MAX_TEXT_CHARS characters (default 100000, 413 beyond).",
    )
    id: ItemId | None = Field(default=None, description="Optional; echoed in the result.")


OutlineFormat = Literal["docx", "markdown"]

OUTLINE_EXAMPLES = {
    "arabic_docx": {
        "summary": "Arabic strategy → a right-to-left Word document",
        "value": {"text": EXAMPLE_AR, "format": "docx"},
    },
    "english_markdown": {
        "summary": "English campaign → Markdown",
        "value": {"text": EXAMPLE_EN, "format": "markdown"},
    },
}


class OutlineRequest(ClassifyRequest):
    """One text, as for ``/v1/classify``, and the file format of its outline."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"text": EXAMPLE_AR, "format": "docx"}]}
    )

    format: OutlineFormat = Field(
        default="docx",
        description="`docx` (a Word document; Arabic right to left) or `markdown`.",
    )


class BatchItem(BaseModel):
    """One text of a batch, with the id that identifies its result."""

    id: ItemId = Field(description="Your id for this text; its result carries it back.")
    text: str = Field(
        description="Checked per item: an empty or too long text gives this item an error "
        "and the others are still classified."
    )


class BatchRequest(BaseModel):
    """Several texts classified in one call."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [BATCH_EXAMPLES["two_plans"]["value"]]}
    )

    items: list[BatchItem] = Field(
        min_length=1,
        description="At most PLANCHECK_MAX_BATCH_ITEMS items (default 100, 413 beyond); the "
        "whole body at most PLANCHECK_MAX_BODY_BYTES.",
    )


# --- results -------------------------------------------------------------------------


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Element(_Open):
    """One strategy element and whether the text states it."""

    id: ElementId
    present: bool
    score: float = Field(description="0 to 1: how strongly the text states the element.")
    evidence: list[str] = Field(description="Sentences of the text that state the element.")
    spans: list[tuple[int, int]] = Field(
        default_factory=list,
        description="[start, end) character offsets of each evidence sentence in the "
        "submitted text (Unicode code points), in the order of `evidence`.",
    )


class Advice(_Open):
    """What to add for a missing element, in the text's language."""

    element: ElementId
    message: str


class Signal(_Open):
    """A cue of substance found in the text (duration, offer, season, review cadence…)."""

    kind: str = Field(
        description="duration, date_range, offer, event, season, ongoing, review or channels."
    )
    text: str = Field(
        description="The words of the text the cue came from; for channels, the platforms named."
    )
    days: float | None = Field(default=None, description="Length in days, for durations.")
    platforms: list[str] | None = Field(
        default=None, description="channels only: the platforms named, by id (instagram, x…)."
    )
    words: list[str] | None = Field(
        default=None, description="channels only: the words the text names them with."
    )


class Reason(_Open):
    """A term of the text that pushed toward the label."""

    term: str
    weight: float


class Probabilities(_Open):
    """Probability of each label; they sum to 1."""

    strategy: float
    campaign: float
    other: float


class ClassifyResult(_Open):
    """The result shape of the spec."""

    id: ItemId | None = Field(default=None, description="Echoed from the request, if given.")
    label: Label
    confidence: float = Field(description="Probability of `label`, 0 to 1.")
    probabilities: Probabilities
    language: Language
    elements: list[Element] = Field(description="All eight elements, in the spec's order.")
    missing: list[ElementId]
    advice: list[Advice]
    signals: list[Signal]
    reasons: list[Reason]
    summary: str = Field(
        description="One or two sentences in the text's language: what the text is and why."
    )
    model_version: str


class FileClassifyResult(ClassifyResult):
    """The result for an uploaded document, with its name (and text when asked for)."""

    filename: str
    text: str | None = Field(
        default=None,
        description="The text read from the file (only with `include_text=true`); `spans` "
        "point into it.",
    )


class BatchItemError(BaseModel):
    """The error of one batch item; the other items are unaffected."""

    model_config = ConfigDict(extra="forbid")

    id: ItemId
    error: ErrorDetail


class BatchResponse(BaseModel):
    """One entry per item, in input order: a result or an error, each with its id."""

    results: list[ClassifyResult | BatchItemError]


# --- model, health, errors -----------------------------------------------------------


class ModelCard(_Open):
    """The served model's card (version, training date, metrics, thresholds, …)."""

    version: str
    created: str | None = None
    metrics: dict[str, Any] | None = None
    thresholds: dict[str, Any] | None = None


class ReloadRequest(BaseModel):
    """An empty JSON object: the JSON content type keeps cross-site forms from reloading."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [{}]})


class ReloadResponse(BaseModel):
    """The version now served, and the one it replaced."""

    version: str
    previous_version: str | None
    changed: bool


class Health(BaseModel):
    """The process is alive."""

    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    """A model is loaded and requests can be served."""

    status: Literal["ready"] = "ready"
    model_version: str


class ErrorDetail(BaseModel):
    """What went wrong, as a stable code and a sentence a person can act on."""

    code: str = Field(description="Stable, machine-readable: e.g. empty_text, text_too_long.")
    message: str
    details: list[dict[str, Any]] | None = Field(
        default=None, description="Per-field problems for validation errors."
    )


class ErrorResponse(BaseModel):
    """Every 4xx/5xx answer has this shape."""

    error: ErrorDetail


BatchItemError.model_rebuild()
BatchResponse.model_rebuild()
