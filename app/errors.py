"""The one place that turns errors into answers: JSON for the API, Danish pages for people."""

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.errors import (
    domain_error_json,
    http_error_json,
    internal_error_json,
    request_validation_json,
)
from app.auth.deps import LoginRequired
from app.i18n import N_, gettext
from app.services.errors import DomainError
from app.services.validation import field_errors
from app.web.templating import is_htmx, render

log = logging.getLogger("etik.errors")

_PAGE_TITLES = {
    403: N_("Ingen adgang"),
    404: N_("Siden findes ikke"),
    405: N_("Det kan man ikke her"),
    409: N_("Nogen kom før dig"),
    410: N_("Linket virker ikke længere"),
    413: N_("Forespørgslen er for stor"),
    422: N_("Noget skal rettes"),
    429: N_("For mange forsøg"),
    500: N_("Der gik noget galt hos os"),
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_page(request: Request, status: int, message: str) -> Response:
    title = gettext(_PAGE_TITLES.get(status, "Der gik noget galt hos os"))
    return render(request, "error.html", {"status": status, "title": title,
                                          "message": message},
                  status_code=status, block="content")


async def on_domain_error(request: Request, exc: DomainError) -> Response:
    if _is_api(request):
        return domain_error_json(exc)
    return _error_page(request, exc.status_code, exc.text())


async def on_login_required(request: Request, _exc: LoginRequired) -> Response:
    target = "/login?next=" + quote(request.url.path, safe="/")
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if _is_api(request):
        return http_error_json(exc.status_code, headers=getattr(exc, "headers", None))
    message = {
        404: gettext("Adressen findes ikke, eller også har du ikke adgang til den."),
        405: gettext("Den handling kan ikke bruges på denne adresse."),
    }.get(exc.status_code, str(exc.detail))
    return _error_page(request, exc.status_code, message)


async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = field_errors(list(exc.errors()))
    if _is_api(request):
        return request_validation_json(errors)
    fields = ", ".join(e.field.split(".")[-1] for e in errors)
    return _error_page(request, 422, gettext("Disse felter skal rettes: %(fields)s",
                                             fields=fields))


async def on_unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    if _is_api(request):
        return internal_error_json()
    return _error_page(request, 500, gettext(
        "Fejlen er skrevet i vores log. Det, du allerede har gemt, er ikke gået tabt."))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected_error)
