"""Dependencies shared by the routes: the loaded model, the settings, the API-key check.

The model lives in one :class:`~api.slot.ModelSlot` per app. A request takes the slot's current model
once (``ClassifierDep``) and keeps that reference to the end, so ``/v1/admin/reload`` can
swap the slot's reference at any moment without disturbing requests already running.
"""

from __future__ import annotations

import hmac
import json
import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.settings import Settings
from api.slot import ModelSlot
from plancheck import Classifier, load_model

log = logging.getLogger("plancheck.api")


def default_loader(models_dir: Path) -> Any:
    """Load the model ``models_dir/current`` names, with the library's integrity checks."""
    return load_model(models_dir=models_dir)


async def load_at_startup(slot: ModelSlot) -> None:
    """Load the model when the app starts; start anyway if it fails (``/readyz`` says 503
    until a reload succeeds)."""
    try:
        loaded = await run_in_threadpool(slot.load)
        log.info(json.dumps({"event": "model_loaded", "version": loaded.version}))
    except Exception as exc:
        log.error(json.dumps({"event": "model_load_failed", "error": str(exc)}))


async def app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(app_settings)]


async def get_model_slot(request: Request) -> ModelSlot:
    """The app's model slot (for reload and readiness)."""
    return request.app.state.models


ModelSlotDep = Annotated[ModelSlot, Depends(get_model_slot)]


async def get_classifier(slot: ModelSlotDep) -> Classifier:
    """The model serving this request (taken once, so a reload cannot change it midway),
    after following ``models/current`` if another worker or a promotion switched it.

    The cheap dependencies are ``async``: FastAPI runs a plain ``def`` dependency in its
    thread pool, and four such hops per request cost more CPU than the HTTP parsing
    (bench/RESULTS.md, issue 13). Only a load, which takes seconds, goes to a thread.
    """
    if slot.stale():
        await run_in_threadpool(slot.follow)
    model = slot.model
    if model is None:
        raise ApiError(
            503,
            "model_not_loaded",
            "No model is loaded, so nothing can be classified yet. Train one "
            "(`plancheck train`), then call POST /v1/admin/reload.",
            headers={"Retry-After": "30"},
        )
    return model


ClassifierDep = Annotated[Classifier, Depends(get_classifier)]

api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="Required on /v1/* when the server sets PLANCHECK_API_KEY.",
)


async def require_api_key(
    settings: SettingsDep, key: Annotated[str | None, Security(api_key_header)] = None
) -> None:
    """Refuse the request unless the API key is off or ``X-API-Key`` matches it."""
    if settings.api_key is None:
        return
    expected = settings.api_key.get_secret_value().encode("utf-8")
    given = (key or "").encode("utf-8")
    if not key or not hmac.compare_digest(given, expected):
        raise ApiError(
            401,
            "unauthorized",
            "Missing or wrong API key: send it in the X-API-Key header.",
            headers={"WWW-Authenticate": "X-API-Key"},
        )
