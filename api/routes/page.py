"""The single page: paste or upload a plan and see the result (no CDN, no build step)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import SettingsDep
from plancheck import config, summary

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(tags=["page"])


@cache
def _page(max_text_chars: int) -> str:
    names = json.dumps(
        {
            **config.display_names(),
            "element_order": list(config.ELEMENTS),
            "label_order": list(config.LABELS),
            "max_text_chars": max_text_chars,
            # The page's "likely" / "uncertain" words use the summary's bands: one source.
            "confidence_bands": {"sure": summary.SURE, "likely": summary.LIKELY},
        },
        ensure_ascii=False,
    ).replace("</", "<\\/")
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    return html.replace("__DISPLAY_NAMES__", names)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page(settings: SettingsDep) -> HTMLResponse:
    """The web page."""
    return HTMLResponse(
        _page(settings.max_text_chars),
        headers={
            "Content-Security-Policy": (
                "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                "script-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"
            ),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )
