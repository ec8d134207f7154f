"""Build the plancheck API: ``create_app(settings)``; ``app`` for ``uvicorn api.main:app``.

Wiring only: errors and their status table live in ``api/errors.py``, the request guard and
access log in ``api/middleware.py``, the routes in ``api/routes/``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from api.deps import Loader, ModelSlot, require_api_key
from api.errors import add_error_handlers
from api.middleware import AccessLog, RequestGuard, configure_logging, log
from api.routes import classify, health, model, page
from api.settings import Settings, get_settings
from plancheck import load_model

STATIC_DIR = Path(__file__).resolve().parent / "static"


def default_loader(models_dir: Path) -> Any:
    """Load the model ``models_dir/current`` names, with the library's integrity checks."""
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
    configure_logging(settings.log_level)

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

    add_error_handlers(app)
    app.add_middleware(RequestGuard, settings=settings)
    app.add_middleware(AccessLog)  # outermost: logs 413/415 from the guard too
    return app


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
