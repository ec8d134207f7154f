"""Build the plancheck API: ``create_app(settings)``; ``app`` for ``uvicorn api.main:app``.

Errors: every refusal is ``{"error": {"code", "message"}}`` with a 4xx status.

| condition | status | code |
|---|---|---|
| empty or whitespace-only text | 422 | ``empty_text`` |
| text over ``max_text_chars`` | 413 | ``text_too_long`` |
| request body over ``max_body_bytes`` / upload over ``max_upload_bytes`` | 413 | ``body_too_large`` |
| JSON endpoint without ``application/json``; file endpoint without ``multipart/form-data`` | 415 | ``unsupported_media_type`` |
| body is not valid JSON | 400 | ``invalid_json`` |
| JSON of the wrong shape (missing ``text``, ``text`` not a string, …) | 422 | ``validation_error`` |
| batch over ``max_batch_items`` | 413 | ``too_many_items`` |
| uploaded file of an unsupported type | 415 | ``unsupported_file_type`` |
| corrupt file, undecodable text | 422 | ``unreadable_document`` |
| document (e.g. scanned PDF) without text | 422 | ``no_text`` |
| missing or wrong ``X-API-Key`` when ``PLANCHECK_API_KEY`` is set | 401 | ``unauthorized`` |
| no model loaded / reload failed | 503 | ``model_not_loaded`` / ``reload_failed`` |
"""

from __future__ import annotations

import email.message
import json
import logging
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import ApiError, Loader, ModelSlot, require_api_key
from api.routes import classify, health, model, page
from api.settings import Settings, get_settings
from plancheck.errors import (
    InputError,
    ModelIntegrityError,
    ModelNotFoundError,
    PlancheckError,
    UnreadableDocumentError,
)
from plancheck.reading import NoTextError, UnsupportedDocumentTypeError

STATIC_DIR = Path(__file__).resolve().parent / "static"
log = logging.getLogger("plancheck.api")
access_log = logging.getLogger("plancheck.api.access")


def default_loader(models_dir: Path) -> Any:
    """Load the model ``models_dir/current`` names, with the library's integrity checks."""
    from plancheck import load_model

    return load_model(models_dir=models_dir)


def create_app(settings: Settings | None = None, loader: Loader | None = None) -> FastAPI:
    """Build the API.

    Args:
        settings: Defaults to the ``PLANCHECK_*`` environment.
        loader: Loads a model from a models folder; defaults to ``plancheck.load_model``.
            Tests pass a loader returning their classifier.
    """
    settings = settings or get_settings()
    slot = ModelSlot(loader or default_loader, settings.models_dir)
    _configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            loaded = await run_in_threadpool(slot.load)
            log.info(json.dumps({"event": "model_loaded", "version": loaded.version}))
        except Exception as exc:  # start anyway: /readyz says 503 until a reload succeeds
            log.error(json.dumps({"event": "model_load_failed", "error": str(exc)}))
        yield

    app = FastAPI(
        title="plancheck",
        summary="Strategy, campaign or neither? Which strategy elements a plan states.",
        description=(
            "Classifies a social-media marketing plan (Arabic, English or mixed) as a "
            "`strategy`, a `campaign` or `other`, and lists which of eight strategy "
            "elements it states, with evidence, and advice for the missing ones.\n\n"
            'Errors are `{"error": {"code", "message"}}` with a 4xx status. When the '
            "server sets `PLANCHECK_API_KEY`, `/v1/*` needs the `X-API-Key` header.\n\n"
            f"Limits: text {settings.max_text_chars:,} characters; JSON body "
            f"{settings.max_body_bytes:,} bytes; upload {settings.max_upload_bytes:,} bytes; "
            f"batch {settings.max_batch_items} items."
        ),
        version="1",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.models = slot

    secured = [Depends(require_api_key)]
    app.include_router(classify.router, dependencies=secured)
    app.include_router(model.router, dependencies=secured)
    app.include_router(health.router)
    app.include_router(page.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    _add_error_handlers(app)
    app.add_middleware(RequestGuard, settings=settings)
    app.add_middleware(AccessLog)  # outermost: logs 413/415 from the guard too
    return app


# --- errors --------------------------------------------------------------------------


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


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status_code, exc.code, exc.message, exc.headers, exc.details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404:
            message = f"Nothing at {request.url.path}. See /docs for the endpoints."
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_response(exc.errors())

    @app.exception_handler(UnreadableDocumentError)
    async def _unreadable(request: Request, exc: UnreadableDocumentError) -> JSONResponse:
        if isinstance(exc, UnsupportedDocumentTypeError):
            return error_response(415, "unsupported_file_type", str(exc))
        if isinstance(exc, NoTextError):
            return error_response(422, "no_text", str(exc))
        return error_response(422, "unreadable_document", str(exc))

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> JSONResponse:
        return error_response(422, "invalid_text", str(exc))

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


# --- middleware ----------------------------------------------------------------------


class BodyTooLarge(StarletteHTTPException):
    """Raised from ``receive`` when a streamed body passes the limit (FastAPI re-raises it)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than the limit of {limit:,} bytes.")


def _media_ok(kind: str, content_type: str) -> bool:
    if not content_type:
        return False
    msg = email.message.Message()
    msg["content-type"] = content_type
    main, sub = msg.get_content_maintype(), msg.get_content_subtype()
    if kind == "json":
        return main == "application" and (sub == "json" or sub.endswith("+json"))
    return main == "multipart" and sub == "form-data"


_EXPECTED = {"json": "application/json", "multipart": "multipart/form-data"}


class RequestGuard:
    """Refuse bodies over the size limit (by Content-Length, then while streaming) and
    bodies of the wrong content type, before anything parses them."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.default_limit = settings.max_body_bytes
        self.rules = {
            ("POST", "/v1/classify"): ("json", settings.max_body_bytes),
            ("POST", "/v1/classify/batch"): ("json", settings.max_body_bytes),
            ("POST", "/v1/classify/file"): ("multipart", settings.max_upload_bytes),
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        kind, limit = self.rules.get(
            (scope["method"], path.rstrip("/") or "/"), (None, self.default_limit)
        )
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                await error_response(400, "bad_request", "Invalid Content-Length header.")(
                    scope, receive, send
                )
                return
            if int(length) > limit:
                await error_response(413, "body_too_large", BodyTooLarge(limit).detail)(
                    scope, receive, send
                )
                return
        if kind is not None and not _media_ok(kind, headers.get("content-type", "")):
            got = headers.get("content-type") or "none"
            await error_response(
                415,
                "unsupported_media_type",
                f"Send the body as {_EXPECTED[kind]} (got {got}).",
            )(scope, receive, send)
            return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:  # raised outside FastAPI's body reading
            if started:
                raise
            await error_response(413, "body_too_large", exc.detail)(scope, receive, send)


class AccessLog:
    """One JSON line per request: method, path, status, duration, label — never the text."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        state = scope.setdefault("state", {})
        request_id = uuid.uuid4().hex[:16]
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            record: dict[str, Any] = {
                "event": "request",
                "request_id": request_id,
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - start) * 1000, 2),
            }
            for key in ("label", "labels"):
                if key in state:
                    record[key] = state[key]
            access_log.info(json.dumps(record, ensure_ascii=False))


def _configure_logging(level: str) -> None:
    for logger in (log, access_log):
        logger.setLevel(level)
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.propagate = False


app = create_app()


def main() -> None:
    """Serve with uvicorn on the configured host and port."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "api.main:app",
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
    )


if __name__ == "__main__":
    main()
