"""The one shape of every JSON API error: {"detail": message or [{"loc", "msg"}], "code"}.

Whoever raises it (a service, FastAPI's request validation, the router for an unknown path
or method, the body limit, a bug) the caller gets this shape, in its language.
"""

import json

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from app.i18n import N_, gettext
from app.services.errors import DomainError, ErrorCode, FieldError, Invalid

# Statuses that arrive as plain HTTP errors (routing, the body limit), not domain errors.
HTTP_ERRORS = {
    400: (ErrorCode.BAD_REQUEST, N_("Forespørgslen kan ikke læses.")),
    404: (ErrorCode.NOT_FOUND, N_("Adressen findes ikke.")),
    405: (ErrorCode.METHOD_NOT_ALLOWED, N_("Metoden kan ikke bruges på denne adresse.")),
    413: (ErrorCode.PAYLOAD_TOO_LARGE, N_("Forespørgslen er for stor.")),
}
INTERNAL_ERROR = N_("Der gik noget galt hos os. Fejlen er skrevet i vores log.")


class FieldErrorOut(BaseModel):
    loc: list[str | int]
    msg: str


class ErrorOut(BaseModel):
    """Every error; some carry more members, such as the saved answer that won a 409."""

    model_config = ConfigDict(extra="allow")

    detail: str | list[FieldErrorOut]
    code: str


def _documented(description: str) -> dict:
    return {"model": ErrorOut, "description": description}


def documented_error(status: int, description: str) -> dict:
    """A route's own error status, e.g. `responses=documented_error(409, "...")`."""
    return {status: _documented(description)}


# Declared once for every API route (app.api.api_router): any request may meet these.
COMMON_ERRORS = {
    400: _documented("The body cannot be read (not JSON, or not a form)"),
    401: _documented("No token, or one that has expired"),
    403: _documented("The role may not do this"),
    404: _documented("Missing, or another organisation's"),
    413: _documented("The request body is larger than the limit"),
    422: _documented("A field or the body is wrong; `detail` names each field"),
}


def error_body(detail: str | list[dict], code: ErrorCode, **extra) -> dict:
    return {"detail": detail, "code": code.value, **extra}


def field_detail(errors: list[FieldError], *, prefix: tuple[str, ...] = ()) -> list[dict]:
    """FieldErrors as the API's list of {"loc", "msg"}; `loc` starts where the value came from."""
    detail = []
    for error in errors:
        # A rule about the whole input (a model validator) sits at its source: ["body"].
        loc = [part for part in error.loc if part and part != "__root__"]
        if not loc or loc[0] not in ("body", "query", "path", "header", "cookie"):
            loc = [*prefix, *loc]
        detail.append({"loc": loc or ["body"], "msg": error.text()})
    return detail


def domain_error_json(exc: DomainError) -> JSONResponse:
    if isinstance(exc, Invalid) and exc.errors:
        detail = field_detail(exc.errors, prefix=("body",))
    else:
        detail = exc.text()
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return JSONResponse(error_body(detail, exc.code, **exc.data), exc.status_code,
                        headers=headers)


def request_validation_json(errors: list[FieldError]) -> JSONResponse:
    # FastAPI's own locations already start with "body", "query" or "path".
    return JSONResponse(error_body(field_detail(errors), ErrorCode.INVALID), 422)


def http_error_json(status: int, headers: dict | None = None) -> JSONResponse:
    code, message = HTTP_ERRORS.get(status, (ErrorCode.BAD_REQUEST, HTTP_ERRORS[400][1]))
    return JSONResponse(error_body(gettext(message), code), status, headers=headers)


def internal_error_json() -> JSONResponse:
    return JSONResponse(error_body(gettext(INTERNAL_ERROR), ErrorCode.INTERNAL_ERROR), 500)


def too_large_bytes() -> bytes:
    """The 413 body the body-limit middleware sends before any route has run."""
    code, message = HTTP_ERRORS[413]
    return json.dumps(error_body(gettext(message), code)).encode()
