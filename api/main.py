"""Build the plancheck API: ``create_app(settings)``; ``app`` for ``uvicorn api.main:app``.

Wiring only: errors and their status table live in ``api/errors.py``, the request guard and
access log in ``api/middleware.py``, the host and cross-site checks in ``api/sitecheck.py``,
the routes in ``api/routes/``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from api.batcher import MicroBatcher
from api.deps import default_loader, load_at_startup, require_api_key
from api.errors import add_error_handlers
from api.middleware import AccessLog, RequestGuard, configure_logging
from api.routes import classify, docs, health, model, outline, page
from api.settings import Settings, get_settings
from api.sitecheck import SiteGuard
from api.slot import Loader, ModelSlot

STATIC_DIR = Path(__file__).resolve().parent / "static"


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

    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.preloaded:  # loaded before a fork (api/serve.py): follow `current` only
            slot.follow()
        else:
            await load_at_startup(slot)
        yield

    app = FastAPI(
        title="plancheck",
        summary="Strategy, campaign or neither? Which strategy elements a plan states.",
        description=settings.describe(),
        version="1",
        lifespan=lifespan,
        docs_url=None,  # served by api/routes/docs.py with local assets, not a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.models = slot
    app.state.preloaded = False  # api/serve.py loads the model once before forking workers
    app.state.batcher = MicroBatcher()

    secured = [Depends(require_api_key)]
    app.include_router(classify.router, dependencies=secured)
    app.include_router(outline.router, dependencies=secured)
    app.include_router(model.router, dependencies=secured)
    app.include_router(health.router)
    app.include_router(page.router)
    app.include_router(docs.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount(docs.ASSETS_URL, StaticFiles(directory=docs.ASSETS_DIR), name="docs-assets")

    add_error_handlers(app)
    app.add_middleware(RequestGuard, settings=settings)
    app.add_middleware(SiteGuard, settings=settings)  # host and cross-site: before the body
    app.add_middleware(AccessLog)  # outermost: logs 413/415 from the guard too
    return app


app = create_app()


def main() -> None:
    """Serve with uvicorn on the configured host and port, one process (``python -m
    api.serve`` forks several workers after loading the model once)."""
    import uvicorn  # heavy (~0.15 s): needed only when main() serves, not by the app

    s = get_settings()
    uvicorn.run("api.main:app", host=s.host, port=s.port, log_level=s.log_level.lower())


if __name__ == "__main__":
    main()
