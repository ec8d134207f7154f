"""Host and cross-site checks, before anything else runs.

Without an API key (the default) the server trusts whoever can reach it, so two browser
tricks must not reach it either: a page on another site posting to it (simple requests with
``text/plain`` or multipart run even though that page cannot read the answer), and DNS
rebinding (another name resolving to 127.0.0.1, seen in the ``Host`` header). Same-origin use
of the page sends ``Origin`` equal to the host and ``Sec-Fetch-Site: same-origin``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response
from api.settings import Settings

#: Methods that change something (or run work) and so must come from the same site.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def host_name(host_header: str) -> str:
    """The name in a ``Host`` header, without the port (``[::1]:8000`` → ``::1``)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def cross_site_reason(headers: Headers, allowed_origins: frozenset[str]) -> str | None:
    """Why an unsafe request comes from another site, or ``None`` when it does not."""
    if headers.get("sec-fetch-site", "").lower() == "cross-site":
        return "the browser marked it cross-site (Sec-Fetch-Site)"
    origin = headers.get("origin")
    if origin is None:
        return None  # not sent by a browser's cross-origin request (curl, scripts)
    origin = origin.strip().lower()
    if origin in allowed_origins:
        return None
    if origin == "null" or urlsplit(origin).netloc != headers.get("host", "").lower():
        return f"its Origin {origin!r} is not this server"
    return None


class SiteGuard:
    """Refuse a ``Host`` not in the allowed list (400 ``invalid_host``) and state-changing
    requests from another site (403 ``cross_site_request``)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.hosts = settings.trusted_hosts()
        self.origins = frozenset(o.rstrip("/").lower() for o in settings.allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "*" not in self.hosts and host_name(headers.get("host", "")) not in self.hosts:
            response = error_response(
                400,
                "invalid_host",
                "This server does not answer to that host name; add it to "
                "PLANCHECK_ALLOWED_HOSTS if it is yours.",
            )
            await response(scope, receive, send)
            return
        if scope["method"] in UNSAFE_METHODS:
            reason = cross_site_reason(headers, self.origins)
            if reason is not None:
                response = error_response(
                    403,
                    "cross_site_request",
                    f"Refused: {reason}. Call the API from its own page or without a browser; "
                    "to allow another site, add its origin to PLANCHECK_ALLOWED_ORIGINS.",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
