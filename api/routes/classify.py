"""Classification: one text, a batch, or an uploaded document.

Routes are plain ``def``: FastAPI runs them in its thread pool, so the CPU-bound model
never blocks the event loop.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from api.deps import ClassifierDep, SettingsDep
from api.errors import ApiError
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
from plancheck.reading import SUPPORTED_EXTENSIONS, read_document
from plancheck.records import check_text, classify_records

router = APIRouter(prefix="/v1/classify", tags=["classify"])
_EXTENSIONS = ", ".join(SUPPORTED_EXTENSIONS)

ERRORS = {
    401: {"model": ErrorResponse, "description": "API key missing or wrong"},
    413: {"model": ErrorResponse, "description": "Body or text too large"},
    415: {"model": ErrorResponse, "description": "Wrong content type"},
    422: {"model": ErrorResponse, "description": "Invalid input"},
    503: {"model": ErrorResponse, "description": "No model loaded"},
}
JSON_ERRORS = {400: {"model": ErrorResponse, "description": "Body is not valid JSON"}, **ERRORS}
#: The refusals of an upload (``/v1/classify/file`` and ``/v1/outline/file``).
FILE_ERRORS = {
    400: {"model": ErrorResponse, "description": "Malformed multipart body"},
    **ERRORS,
    413: {
        "model": ErrorResponse,
        "description": (
            "Body too large, or a document that inflates past the reading limits "
            "(`document_too_large`: a zip bomb, too much XML, too slow to parse)"
        ),
    },
    415: {
        "model": ErrorResponse,
        "description": (
            "Not multipart/form-data (`unsupported_media_type`), or a file name that "
            f"does not end in {_EXTENSIONS} (`unsupported_file_type`; a name without "
            "an extension too)"
        ),
    },
}
FILE_DESCRIPTION = (
    f"The plan as a {_EXTENSIONS} file (multipart/form-data); the file name's "
    "extension decides how it is read, so it must be one of these."
)


def read_upload(file: UploadFile, settings: Settings) -> tuple[str, str]:
    """The text of an uploaded document and its file name, checked as any text is.

    ``UnreadableDocumentError`` and ``InputError`` become 415/413/422 (``api/errors.py``).
    """
    filename = file.filename or ""
    text = read_document(file.file.read(), filename)
    return check_text(text, settings.max_text_chars), filename


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
    responses=JSON_ERRORS,
)
async def classify(
    body: Annotated[ClassifyRequest, Body(openapi_examples=CLASSIFY_EXAMPLES)],
    model: ClassifierDep,
    settings: SettingsDep,
    request: Request,
) -> dict[str, Any]:
    """Classify one text: label, confidence, elements with evidence, missing ones with advice."""
    # A coroutine that hands only the scoring to a thread: FastAPI runs a plain ``def``
    # endpoint in a thread and then checks its response in a second one; here the check runs
    # on the event loop, one thread hop per request instead of two (bench/RESULTS.md).
    text = check_text(body.text, settings.max_text_chars)
    # with concurrent requests: see api/batcher.py
    result = await run_in_threadpool(request.app.state.batcher.classify, model, text)
    if body.id is not None:
        result = {"id": body.id, **result}
    _note_labels(request, [result])
    return result


@router.post(
    "/batch",
    response_model=BatchResponse,
    response_model_exclude_unset=True,
    responses=JSON_ERRORS,
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
    done = classify_records(
        model, [i.text for i in items], [i.id for i in items], settings.max_text_chars
    )
    _note_labels(request, done)
    return {"results": done}


@router.post(
    "/file",
    response_model=FileClassifyResult,
    response_model_exclude_unset=True,
    responses=FILE_ERRORS,
)
def classify_file(
    file: Annotated[
        UploadFile,
        File(description=FILE_DESCRIPTION),
    ],
    model: ClassifierDep,
    settings: SettingsDep,
    request: Request,
    include_text: Annotated[
        bool, Query(description="Also return the text read from the file (for highlighting).")
    ] = False,
) -> dict[str, Any]:
    """Classify an uploaded .txt, .md, .docx or .pdf document (others: 415)."""
    text, filename = read_upload(file, settings)
    result = model.classify(text)
    out = {**result, "filename": filename}
    if include_text:
        out["text"] = text
    _note_labels(request, [result])
    return out
