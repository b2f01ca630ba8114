"""The API documentation page: Swagger UI served from our own static files.

FastAPI's built-in page loads Swagger UI from a CDN with an inline script, which the
Content-Security-Policy (script-src 'self') forbids; this page needs neither.
"""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.web.templating import render

router = APIRouter()


@router.get("/docs", include_in_schema=False)
def api_docs(request: Request) -> Response:
    return render(request, "api_docs.html")
