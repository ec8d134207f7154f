"""App variants for the API benchmark only (never served in production).

- ``async_app``: the real app plus ``POST /bench/classify-async``, the same work in an
  ``async def`` endpoint (runs on the event loop instead of the thread pool);
- ``bare_app``: ``POST /v1/classify`` that parses the same body and returns a fixed result,
  the HTTP + JSON ceiling of this stack on this machine.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI, Request

from api.main import create_app
from api.schemas import ClassifyRequest

async_app = create_app()


@async_app.post("/bench/classify-async")
async def classify_async(body: ClassifyRequest, request: Request) -> dict:
    """The classification done on the event loop (for the def-vs-async comparison)."""
    return request.app.state.models.model.classify(body.text)


bare_app = FastAPI()
_FIXED = (
    json.loads((Path(__file__).parent / "fixed_result.json").read_text(encoding="utf-8"))
    if (Path(__file__).parent / "fixed_result.json").is_file()
    else {"label": "campaign"}
)


@bare_app.post("/v1/classify")
async def bare_classify(body: ClassifyRequest) -> dict:
    """Parse the body, return a fixed result of the real shape."""
    return _FIXED
