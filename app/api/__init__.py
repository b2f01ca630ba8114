"""The JSON API under /api/v1, calling the same services as the HTML pages."""

from fastapi import APIRouter

from app.api import (
    actions,
    aggregates,
    assessments,
    audit,
    auth,
    catalogues,
    cycles,
    evidence,
    flags,
    inspection_report,
    inspections,
    me,
    references,
    support,
)
from app.api.errors import COMMON_ERRORS

api_router = APIRouter(prefix="/api/v1", responses=COMMON_ERRORS)
api_router.include_router(auth.router)
api_router.include_router(me.router)
api_router.include_router(catalogues.router)
api_router.include_router(cycles.router)
api_router.include_router(assessments.router)
api_router.include_router(evidence.router)
api_router.include_router(actions.router)
api_router.include_router(audit.router)
api_router.include_router(flags.router)
api_router.include_router(support.router)
api_router.include_router(aggregates.router)
api_router.include_router(references.router)
api_router.include_router(inspections.router)
api_router.include_router(inspection_report.router)
