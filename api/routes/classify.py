"""Classification: one text, a batch, or an uploaded document.

Routes are plain ``def``: FastAPI runs them in its thread pool, so the CPU-bound model
never blocks the event loop.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Query, Request, UploadFile

from api.deps import ApiError, ClassifierDep, SettingsDep
from api.schemas import (
    BATCH_EXAMPLES,
    CLASSIFY_EXAMPLES,
    BatchRequest,
    BatchResponse,
    ClassifyRequest,
    ClassifyResult,
    ErrorResponse,
    FileClassifyResult,
)
from api.settings import Settings
from plancheck.errors import InputError
from plancheck.reading import SUPPORTED_EXTENSIONS, read_document

router = APIRouter(prefix="/v1/classify", tags=["classify"])

_errors = {
    401: {"model": ErrorResponse, "description": "API key missing or wrong"},
    413: {"model": ErrorResponse, "description": "Body or text too large"},
    415: {"model": ErrorResponse, "description": "Wrong content type"},
    422: {"model": ErrorResponse, "description": "Invalid input"},
    503: {"model": ErrorResponse, "description": "No model loaded"},
}
_json_errors = {400: {"model": ErrorResponse, "description": "Body is not valid JSON"}, **_errors}


_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(text: str, settings: Settings) -> ApiError | None:
    """Why ``text`` cannot be classified, or ``None`` when it can."""
    if _SURROGATE.search(text):
        return ApiError(
            422,
            "invalid_text",
            "The text contains unpaired UTF-16 surrogates (\\ud800-\\udfff), which are not "
            "characters. Send valid Unicode text.",
        )
    if not text.strip():
        return ApiError(422, "empty_text", "The text is empty: paste or upload a plan.")
    if len(text) > settings.max_text_chars:
        return ApiError(
            413,
            "text_too_long",
            f"The text has {len(text):,} characters; the limit is "
            f"{settings.max_text_chars:,}. Send a shorter extract.",
        )
    return None


def _note_labels(request: Request, results: list[dict[str, Any]]) -> None:
    # For the access log (never the text): one label, or the counts of a batch.
    labels = [r["label"] for r in results if "label" in r]
    if len(results) == 1 and labels:
        request.state.label = labels[0]
    elif labels:
        request.state.labels = dict(Counter(labels))


@router.post(
    "",
    response_model=ClassifyResult,
    response_model_exclude_unset=True,
    responses=_json_errors,
)
def classify(
    body: Annotated[ClassifyRequest, Body(openapi_examples=CLASSIFY_EXAMPLES)],
    model: ClassifierDep,
    settings: SettingsDep,
    request: Request,
) -> dict[str, Any]:
    """Classify one text: label, confidence, elements with evidence, missing ones with advice."""
    if problem := text_problem(body.text, settings):
        raise problem
    result = model.classify(body.text)
    if body.id is not None:
        result = {"id": body.id, **result}
    _note_labels(request, [result])
    return result


@router.post(
    "/batch",
    response_model=BatchResponse,
    response_model_exclude_unset=True,
    responses=_json_errors,
)
def classify_batch(
    body: Annotated[BatchRequest, Body(openapi_examples=BATCH_EXAMPLES)],
    model: ClassifierDep,
    settings: SettingsDep,
    request: Request,
) -> dict[str, Any]:
    """Classify many texts in input order; a bad item gets an error, the others a result."""
    items = body.items
    if len(items) > settings.max_batch_items:
        raise ApiError(
            413,
            "too_many_items",
            f"The batch has {len(items)} items; the limit is {settings.max_batch_items}. "
            "Split it into several requests.",
        )
    results: list[dict[str, Any] | None] = [None] * len(items)
    good: list[int] = []
    for i, item in enumerate(items):
        if problem := text_problem(item.text, settings):
            results[i] = {
                "id": item.id,
                "error": {"code": problem.code, "message": problem.message},
            }
        else:
            good.append(i)
    if good:
        texts = [items[i].text for i in good]
        try:
            classified = model.classify_many(texts)
        except InputError:
            # The library refused some text our checks let through: isolate it item by item.
            classified = [_classify_one(model, t) for t in texts]
        for i, result in zip(good, classified, strict=True):
            results[i] = {"id": items[i].id, **result}
    done = [r for r in results if r is not None]
    _note_labels(request, done)
    return {"results": done}


def _classify_one(model: Any, text: str) -> dict[str, Any]:
    try:
        return model.classify(text)
    except InputError as exc:
        return {"error": {"code": "invalid_text", "message": str(exc)}}


@router.post(
    "/file",
    response_model=FileClassifyResult,
    response_model_exclude_unset=True,
    responses={
        400: {"model": ErrorResponse, "description": "Malformed multipart body"},
        **_errors,
    },
)
def classify_file(
    file: Annotated[
        UploadFile,
        File(description=f"The plan as {', '.join(SUPPORTED_EXTENSIONS)} (multipart/form-data)."),
    ],
    model: ClassifierDep,
    settings: SettingsDep,
    request: Request,
    include_text: Annotated[
        bool, Query(description="Also return the text read from the file (for highlighting).")
    ] = False,
) -> dict[str, Any]:
    """Classify an uploaded .txt, .md, .docx or .pdf document."""
    filename = file.filename or ""
    data = file.file.read()
    text = read_document(data, filename)  # UnreadableDocumentError → 415/422 (see main.py)
    if problem := text_problem(text, settings):
        raise problem
    result = model.classify(text)
    out = {**result, "filename": filename}
    if include_text:
        out["text"] = text
    _note_labels(request, [result])
    return out
