"""create_app(): middleware, routers, static files and error handlers."""

from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine, text

from app.api import api_router
from app.auth.deps import csrf_protect
from app.config import Settings, get_settings
from app.db import create_db_engine
from app.errors import install_error_handlers, on_unexpected_error
from app.logging_setup import configure_logging
from app.middleware import (
    BodyLimitMiddleware,
    LanguageMiddleware,
    RequestLogMiddleware,
    SecurityHeadersMiddleware,
    UnexpectedErrorMiddleware,
)
from app.web import web_routers
from app.web.templating import TEMPLATE_DIR

STATIC_DIR = TEMPLATE_DIR.parent / "static"
UPLOAD_PATH_MARKERS = ("/evidence",)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    owns_engine = engine is None
    engine = engine or create_db_engine(settings.resolved_database_url())

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        if owns_engine:
            engine.dispose()

    app = FastAPI(
        title="etik API",
        version="1",
        summary="LOS ethics self-assessment: catalogues, assessments, flags, actions.",
        lifespan=lifespan,
        dependencies=[Depends(csrf_protect)],
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine

    # Added innermost first: the request log sees every answer, including 413s and 500s.
    app.add_middleware(UnexpectedErrorMiddleware, handler=on_unexpected_error)
    app.add_middleware(BodyLimitMiddleware, settings=settings, upload_paths=UPLOAD_PATH_MARKERS)
    app.add_middleware(SecurityHeadersMiddleware, settings=settings)
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(RequestLogMiddleware, expose_query_count=not settings.is_production)

    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    app.include_router(api_router)
    for router in web_routers:
        app.include_router(router, include_in_schema=False)
    return app
