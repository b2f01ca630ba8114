"""Login, logout, language, invitations and password resets: the pages everyone shares."""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth.cookies import (
    clear_session_cookie,
    session_token,
    set_language_cookie,
    set_session_cookie,
)
from app.auth.deps import OptionalWebUser, SessionDep, SettingsDep
from app.services import credentials, links
from app.services.errors import BadCredentials, Invalid, LinkInvalid, Throttled
from app.services.fields import NoNul
from app.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only local paths, so the login form cannot be used to send people elsewhere."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _user_agent(request: Request) -> str:
    """Kept with the session, so My account can say which browser it is."""
    return request.headers.get("user-agent", "")


@router.get("/login")
def login_page(request: Request, user: OptionalWebUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "account/login.html", {"next": _safe_next(next), "email": ""})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254), NoNul],
    password: Annotated[str, Form(max_length=1024), NoNul],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    try:
        user = credentials.authenticate(session=session, settings=settings, email=email,
                                        password=password, client=_client(request))
    except (BadCredentials, Throttled) as exc:
        return render(request, "account/login.html",
                      {"next": _safe_next(next), "email": email, "error": exc.text()},
                      status_code=exc.status_code)
    token = credentials.start_browser_session(session=session, settings=settings, user=user,
                                              user_agent=_user_agent(request))
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, settings, token)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    token = session_token(request, settings)
    if token:
        credentials.end_browser_session(session=session, token=token)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response


@router.post("/language")
def choose_language(
    settings: SettingsDep,
    language: Annotated[str, Form(pattern="^(da|en)$")],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_language_cookie(response, settings, language)
    return response


@router.get("/password/forgot")
def forgot_password_page(request: Request) -> Response:
    return render(request, "account/forgot_password.html", {"email": ""})


@router.post("/password/forgot")
def forgot_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254), NoNul],
) -> Response:
    try:
        links.request_password_reset(session=session, settings=settings, email=email,
                                     client=_client(request))
    except Throttled as exc:
        return render(request, "account/forgot_password.html",
                      {"email": email, "error": exc.text()}, status_code=exc.status_code)
    # The same answer whether or not the email is known, so accounts cannot be probed.
    return render(request, "account/forgot_password.html", {
        "email": email, "sent": True, "link_minutes": settings.password_reset_ttl_minutes})


def _set_password_page(request: Request, session, token: str, purpose: links.LinkPurpose,
                       error: Invalid | None = None) -> Response:
    try:
        user = links.user_for_link(session=session, token=token, purpose=purpose)
    except LinkInvalid as exc:
        return render(request, "account/link_invalid.html", {"message": exc.text()},
                      status_code=exc.status_code)
    field_errors = {e.field: e.text() for e in error.errors} if error else {}
    return render(request, "account/set_password.html",
                  {"person": user, "purpose": purpose.value, "errors": field_errors,
                   "password_min_length": request.app.state.settings.password_min_length},
                  status_code=422 if error else 200)


def _set_password(request: Request, session, settings, token: str, purpose: links.LinkPurpose,
                  password: str, password_repeat: str) -> Response:
    try:
        user = links.set_password_with_link(session=session, settings=settings, token=token,
                                            purpose=purpose, password=password,
                                            repeated=password_repeat)
    except Invalid as exc:
        return _set_password_page(request, session, token, purpose, exc)
    except LinkInvalid as exc:
        return render(request, "account/link_invalid.html", {"message": exc.text()},
                      status_code=exc.status_code)
    login_token = credentials.start_browser_session(session=session, settings=settings,
                                                    user=user, user_agent=_user_agent(request))
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, settings, login_token)
    return response


PasswordField = Annotated[str, Form(max_length=1024)]


@router.get("/password/reset/{token}")
def reset_password_page(request: Request, session: SessionDep, token: str) -> Response:
    return _set_password_page(request, session, token, links.LinkPurpose.PASSWORD_RESET)


@router.post("/password/reset/{token}")
def reset_password(request: Request, session: SessionDep, settings: SettingsDep, token: str,
                   password: PasswordField, password_repeat: PasswordField) -> Response:
    return _set_password(request, session, settings, token, links.LinkPurpose.PASSWORD_RESET,
                         password, password_repeat)


@router.get("/invitation/{token}")
def invitation_page(request: Request, session: SessionDep, token: str) -> Response:
    return _set_password_page(request, session, token, links.LinkPurpose.INVITATION)


@router.post("/invitation/{token}")
def accept_invitation(request: Request, session: SessionDep, settings: SettingsDep,
                      token: str, password: PasswordField,
                      password_repeat: PasswordField) -> Response:
    return _set_password(request, session, settings, token, links.LinkPurpose.INVITATION,
                         password, password_repeat)
