"""Middleware: the request guard (size, content type) and the JSON access log."""

from __future__ import annotations

import email.message
import json
import logging
import sys
import time
import uuid
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response
from api.settings import Settings

log = logging.getLogger("plancheck.api")
access_log = logging.getLogger("plancheck.api.access")


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
            ("POST", "/v1/outline"): ("json", settings.max_body_bytes),
            ("POST", "/v1/outline/file"): ("multipart", settings.max_upload_bytes),
            # JSON only: a cross-site form or beacon cannot send it without a preflight.
            ("POST", "/v1/admin/reload"): ("json", settings.max_body_bytes),
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


def configure_logging(level: str) -> None:
    """JSON lines on stderr for the API and access logs, at ``level``."""
    for logger in (log, access_log):
        logger.setLevel(level)
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.propagate = False
