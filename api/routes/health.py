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
    slot.follow()
    model = slot.model
    if model is None:
        # Open to anyone: no paths or error text (the server log has the reason).
        raise ApiError(
            503,
            "not_ready",
            "No model is loaded yet: the server log says why. Train one (`plancheck train`), "
            "then POST /v1/admin/reload.",
        )
    return Ready(model_version=model.version)
