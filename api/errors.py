"""The API's errors: one shape, one status per code, and the handlers that apply them.

Every refusal is ``{"error": {"code", "message"[, "details"]}}`` with a 4xx status. The
library raises :class:`~plancheck.errors.InputError` (and the document errors) with a
``code``; :data:`STATUS` is the one table that turns a code into an HTTP status.

| condition | status | code |
|---|---|---|
| text without letters or digits (empty, spaces, marks only) | 422 | ``empty_text`` |
| text over ``max_text_chars`` | 413 | ``text_too_long`` |
| text that is not valid Unicode (unpaired surrogates) | 422 | ``invalid_text`` |
| request body over ``max_body_bytes`` / upload over ``max_upload_bytes`` | 413 | ``body_too_large`` |
| JSON endpoint without ``application/json``; file endpoint without ``multipart/form-data`` | 415 | ``unsupported_media_type`` |
| body is not valid JSON (syntax, not UTF-8/16/32, nested too deeply) | 400 | ``invalid_json`` |
| JSON of the wrong shape (missing ``text``, ``text`` not a string, …) | 422 | ``validation_error`` |
| batch over ``max_batch_items`` | 413 | ``too_many_items`` |
| uploaded file of an unsupported type | 415 | ``unsupported_file_type`` |
| corrupt file, undecodable text | 422 | ``unreadable_document`` |
| document (e.g. scanned PDF) without text | 422 | ``no_text`` |
| document that inflates or parses past a hard limit (zip bomb, forged zip sizes) | 413 | ``document_too_large`` |
| missing or wrong ``X-API-Key`` when ``PLANCHECK_API_KEY`` is set | 401 | ``unauthorized`` |
| ``Host`` not in ``PLANCHECK_ALLOWED_HOSTS`` | 400 | ``invalid_host`` |
| POST from another site's page (``Origin``, ``Sec-Fetch-Site``) | 403 | ``cross_site_request`` |
| no model loaded / reload failed | 503 | ``model_not_loaded`` / ``reload_failed`` |

In ``/v1/classify/batch`` a bad item is not a refusal: it gets ``{"id", "error": {"code",
"message"}}`` in its place (the library's ``classify_records``), with the same codes.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from plancheck.errors import (
    InputError,
    ModelIntegrityError,
    ModelNotFoundError,
    PlancheckError,
    UnreadableDocumentError,
)

log = logging.getLogger("plancheck.api")

#: The one code → status table (library codes and the API's own).
STATUS: dict[str, int] = {
    "empty_text": 422,
    "text_too_long": 413,
    "invalid_text": 422,
    "not_text": 422,
    "invalid_input": 422,
    "unsupported_file_type": 415,
    "unreadable_document": 422,
    "no_text": 422,
    "document_too_large": 413,
}


class ApiError(Exception):
    """An error the client can act on, rendered as ``{"error": {"code", "message"}}``."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        details: list[dict] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.headers = headers
        self.details = details


def error_response(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    details: list[dict] | None = None,
) -> JSONResponse:
    """The one error shape: ``{"error": {"code", "message"[, "details"]}}``."""
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status, headers=headers)


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}


def add_error_handlers(app: FastAPI) -> None:
    """Install the handlers that turn every exception into the one error shape."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status_code, exc.code, exc.message, exc.headers, exc.details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        undecodable = _undecodable_json(request, exc)
        if undecodable:
            return error_response(
                400, "invalid_json", f"The body is not valid JSON ({undecodable})."
            )
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404:
            message = f"Nothing at {request.url.path}. See /docs for the endpoints."
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_response(exc.errors())

    @app.exception_handler(UnreadableDocumentError)
    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: Exception) -> JSONResponse:
        code = getattr(exc, "code", "invalid_input")
        return error_response(STATUS.get(code, 422), code, str(exc))

    @app.exception_handler(ModelNotFoundError)
    @app.exception_handler(ModelIntegrityError)
    async def _model_error(request: Request, exc: PlancheckError) -> JSONResponse:
        return error_response(503, "model_not_loaded", str(exc), {"Retry-After": "30"})

    @app.exception_handler(PlancheckError)
    async def _plancheck_error(request: Request, exc: PlancheckError) -> JSONResponse:
        return error_response(422, "invalid_input", str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # A bug, not a bad input: log the type and place (never the request body).
        log.error(
            json.dumps(
                {"event": "unhandled_error", "path": request.url.path, "error": type(exc).__name__}
            ),
            exc_info=exc,
        )
        return error_response(500, "internal_error", "Something went wrong on our side.")


def _undecodable_json(request: Request, exc: StarletteHTTPException) -> str | None:
    """Why a JSON body could not be decoded, when FastAPI gave up on it with a bare 400.

    FastAPI turns a syntax error into ``json_invalid`` but any other failure of
    ``json.loads`` (bytes that are not UTF-8/16/32, nesting deeper than the parser's
    recursion limit) into ``HTTPException(400)``; for the client both are invalid JSON.
    """
    if exc.status_code != 400 or "json" not in request.headers.get("content-type", "").lower():
        return None
    cause = exc.__cause__
    if isinstance(cause, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(cause, RecursionError):
        return "it is nested too deeply"
    if isinstance(cause, ValueError):
        return "it cannot be decoded"
    return None


def _validation_response(errors: Any) -> JSONResponse:
    errors = list(errors)
    # Never echo inputs (they may be the client's confidential plan).
    details = [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "msg": e.get("msg", ""),
            "type": e.get("type", ""),
        }
        for e in errors
    ]
    for e in errors:
        if e.get("type") == "json_invalid":
            reason = (e.get("ctx") or {}).get("error", "JSON decode error")
            pos = e.get("loc", ("body", "?"))[-1]
            return error_response(
                400, "invalid_json", f"The body is not valid JSON ({reason} at position {pos})."
            )
    for e in errors:
        loc = tuple(e.get("loc", ()))
        if loc[-1:] == ("text",) and e.get("type") in (
            "string_pattern_mismatch",
            "string_too_short",
        ):
            return error_response(422, "empty_text", "The text is empty: paste or upload a plan.")
        if e.get("type") == "string_unicode":
            return error_response(
                422,
                "invalid_text",
                "The request contains invalid Unicode (e.g. unpaired UTF-16 surrogates such as "
                "\\ud800). Send valid Unicode text.",
                details=details,
            )
    first = details[0] if details else {"loc": [], "msg": "invalid request"}
    where = ".".join(p for p in first["loc"] if p != "body") or "body"
    return error_response(
        422, "validation_error", f"Invalid request: {where}: {first['msg']}.", details=details
    )
