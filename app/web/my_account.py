"""My account, for every logged-in person: name, email (confirmed by a link), password,
and the browsers logged in, each of which can be logged out."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth.cookies import clear_session_cookie, session_token
from app.auth.deps import SessionDep, SettingsDep, WebUser
from app.i18n import N_, gettext
from app.models import User
from app.services import account, email_change
from app.services.errors import Conflict, Invalid, LinkInvalid, Throttled
from app.services.fields import NoNul, RowId
from app.web.forms import field_errors
from app.web.templating import render

router = APIRouter(prefix="/account")

NOTICES = {
    "name": N_("Dit navn er gemt."),
    "email": N_("Vi har sendt et link til den nye e-mail. Din e-mail skifter, når du åbner "
                "linket og bekræfter."),
    "email_changed": N_("Din e-mail er ændret. Fremover logger du ind med den nye."),
    "password": N_("Din adgangskode er ændret. Du er logget ud i alle andre browsere og i "
                   "programmer, der bruger API'et."),
    "ended": N_("Det login er logget ud."),
    "ended_all": N_("Alle andre browsere er logget ud."),
}
FORMS = ("name", "email", "password")

TextField = Annotated[str, Form(max_length=1024), NoNul]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _page(request: Request, session, settings, user: User, *, form: str = "",
          values: dict | None = None, error: Invalid | Throttled | None = None,
          status_code: int = 200) -> Response:
    """The whole page; a refused form shows its errors and keeps what was typed (never a
    password)."""
    person = account.own_user(session=session, user=user)
    errors = field_errors(error)
    if isinstance(error, Throttled):
        errors = {"current_password": error.text()}
    notice = next((gettext(text) for key, text in NOTICES.items()
                   if request.query_params.get("saved") == key), "")
    return render(request, "account/my_account.html", {
        "person": person,
        "values": {"name": person.name, "email": ""} | (values or {}),
        "form": form, "errors": errors, "error": error.text() if error else "",
        "notice": notice,
        "pending": email_change.pending_email(session=session, user=person),
        "logins": account.browser_logins(session=session, user=person,
                                         current_token=session_token(request, settings)),
        "password_min_length": settings.password_min_length,
        "email_change_hours": settings.email_change_ttl_hours,
    }, status_code=status_code)


def _done(key: str, anchor: str) -> Response:
    return RedirectResponse(f"/account?saved={key}#{anchor}", status_code=303)


@router.get("")
def my_account(request: Request, user: WebUser, session: SessionDep,
               settings: SettingsDep) -> Response:
    return _page(request, session, settings, user)


@router.post("/name")
def change_name(request: Request, user: WebUser, session: SessionDep, settings: SettingsDep,
                name: Annotated[str, Form(max_length=1000)] = "") -> Response:
    try:
        account.change_name(session=session, user=user, data={"name": name})
    except Invalid as exc:
        return _page(request, session, settings, user, form="name", values={"name": name},
                     error=exc, status_code=exc.status_code)
    return _done("name", "name-heading")


@router.post("/email")
def request_email_change(request: Request, user: WebUser, session: SessionDep,
                         settings: SettingsDep, email: TextField = "",
                         current_password: TextField = "") -> Response:
    try:
        email_change.request_email_change(session=session, settings=settings, user=user,
                                          email=email, current_password=current_password,
                                          client=_client(request))
    except (Invalid, Throttled) as exc:
        return _page(request, session, settings, user, form="email", values={"email": email},
                     error=exc, status_code=exc.status_code)
    return _done("email", "email-heading")


@router.post("/password")
def change_password(request: Request, user: WebUser, session: SessionDep,
                    settings: SettingsDep, current_password: TextField = "",
                    password: TextField = "", password_repeat: TextField = "") -> Response:
    try:
        account.change_password(session=session, settings=settings, user=user,
                                current=current_password, password=password,
                                repeated=password_repeat, client=_client(request),
                                keep_token=session_token(request, settings))
    except (Invalid, Throttled) as exc:
        return _page(request, session, settings, user, form="password", error=exc,
                     status_code=exc.status_code)
    return _done("password", "password-heading")


@router.post("/sessions/{session_id}/end")
def end_browser_login(request: Request, user: WebUser, session: SessionDep,
                      settings: SettingsDep, session_id: RowId) -> Response:
    if account.end_browser_login(session=session, user=user, session_id=session_id,
                                 current_token=session_token(request, settings)):
        # Possible from an old page: this browser itself is now logged out.
        response = RedirectResponse("/login", status_code=303)
        clear_session_cookie(response)
        return response
    return _done("ended", "sessions-heading")


@router.post("/sessions/end-others")
def end_other_browser_logins(request: Request, user: WebUser, session: SessionDep,
                             settings: SettingsDep) -> Response:
    account.end_other_browser_logins(session=session, user=user,
                                     current_token=session_token(request, settings))
    return _done("ended_all", "sessions-heading")


# --- the link that confirms a new email ----------------------------------------------------


def _link_refused(request: Request, exc: LinkInvalid | Conflict) -> Response:
    return render(request, "account/email_link.html", {"message": exc.text()},
                  status_code=exc.status_code)


@router.get("/email/{token}")
def email_link_page(request: Request, user: WebUser, session: SessionDep,
                    token: Annotated[str, NoNul]) -> Response:
    """Asks before changing: a mail program that opens links by itself changes nothing."""
    try:
        link = email_change.link_for(session=session, user=user, token=token)
    except LinkInvalid as exc:
        return _link_refused(request, exc)
    return render(request, "account/email_confirm.html", {"new_email": link.new_email})


@router.post("/email/{token}")
def confirm_email_change(request: Request, user: WebUser, session: SessionDep,
                         settings: SettingsDep, token: Annotated[str, NoNul]) -> Response:
    try:
        email_change.confirm_email_change(session=session, settings=settings, user=user,
                                          token=token)
    except (LinkInvalid, Conflict) as exc:
        return _link_refused(request, exc)
    return _done("email_changed", "email-heading")

