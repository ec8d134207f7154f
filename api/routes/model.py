"""The served model: its card, and reloading it from disk without downtime."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import ClassifierDep, ModelSlotDep
from api.errors import ApiError
from api.schemas import ErrorResponse, ModelCard, ReloadRequest, ReloadResponse

router = APIRouter(prefix="/v1", tags=["model"])

_errors: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "API key missing or wrong"},
    503: {"model": ErrorResponse, "description": "No model loaded, or the reload failed"},
}


@router.get("/model", response_model=ModelCard, responses=_errors)
def model_card(model: ClassifierDep) -> dict[str, Any]:
    """The served model's card: version, creation date, metrics, thresholds."""
    return {**model.card, "version": model.version}


_reload_errors: dict[int | str, dict[str, Any]] = {
    **_errors,
    403: {"model": ErrorResponse, "description": "Sent from another site's page"},
    415: {"model": ErrorResponse, "description": "Body not sent as application/json"},
}


@router.post("/admin/reload", response_model=ReloadResponse, responses=_reload_errors)
def reload_model(slot: ModelSlotDep, _body: ReloadRequest) -> ReloadResponse:
    """Load the model `models/current` names now, in every worker; requests in flight finish
    on the old one."""
    previous = slot.model.version if slot.model is not None else None
    slot.announce()  # the other workers see `current` touched and load on their next request
    try:
        model = slot.load()
    except Exception as exc:  # any failure: keep serving the previous model, say why
        kept = f" Still serving {previous}." if previous else ""
        raise ApiError(
            503, "reload_failed", f"The model could not be loaded: {exc}.{kept}"
        ) from exc
    return ReloadResponse(
        version=model.version, previous_version=previous, changed=model.version != previous
    )
