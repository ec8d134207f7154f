"""Liveness and readiness, as load balancers and orchestrators expect them."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ModelSlotDep
from api.errors import ApiError
from api.schemas import ErrorResponse, Health, Ready

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is alive (says nothing about the model)."""
    return Health()


@router.get(
    "/readyz",
    response_model=Ready,
    responses={503: {"model": ErrorResponse, "description": "No model loaded yet"}},
)
def readyz(slot: ModelSlotDep) -> Ready:
    """200 when a model is loaded and requests can be served, 503 otherwise."""
    model = slot.model
    if model is None:
        reason = f" Last attempt: {slot.load_error}" if slot.load_error else ""
        raise ApiError(503, "not_ready", f"No model is loaded.{reason}")
    return Ready(model_version=model.version)
