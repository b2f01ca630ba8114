"""Colleagues: an organisation's member users, seen by all of them and managed by its
leaders (services/colleagues.py decides who may do what). Every form is a plain post that
answers 303 back to the list, or the list again with the refusal."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth.cookies import clear_session_cookie
from app.auth.deps import SessionDep, SettingsDep, WebUser
from app.i18n import N_, gettext
from app.models import User
from app.services import colleagues
from app.services.errors import Invalid
from app.services.fields import RowId
from app.web.forms import field_errors
from app.web.templating import render

router = APIRouter(prefix="/organisations/{organisation_id}/colleagues")

NOTICES = {
    "invited": N_("Invitationen er sendt. Kollegaen vælger selv en adgangskode via linket i "
                  "mailen."),
    "resent": N_("Invitationen er sendt igen. Det gamle link virker ikke længere."),
    "removed": N_("Kollegaen er fjernet og logget ud. Intet af det, kollegaen har lavet, er "
                  "slettet."),
    "reactivated": N_("Kollegaen har adgang igen og kan logge ind som før."),
    "leader": N_("Kollegaen er nu leder og kan invitere og fjerne kolleger."),
    "not_leader": N_("Kollegaen er ikke længere leder."),
}

NameField = Annotated[str, Form(max_length=1000)]


def _page(request: Request, session, user: User, organisation_id: int, *,
          values: dict | None = None, error: Invalid | None = None) -> Response:
    found = colleagues.list_colleagues(session=session, user=user,
                                       organisation_id=organisation_id)
    notice = next((gettext(text) for key, text in NOTICES.items()
                   if request.query_params.get("done") == key), "")
    return render(request, "colleagues/colleagues.html", {
        "organisation": found.organisation, "people": found.people,
        "can_manage": found.can_manage, "notice": notice,
        "values": values or {"name": "", "email": ""},
        "errors": field_errors(error), "error": error.text() if error else "",
        "invitation_hours": request.app.state.settings.invitation_ttl_hours,
    }, status_code=error.status_code if error else 200)


def _done(organisation_id: int, key: str) -> Response:
    return RedirectResponse(f"/organisations/{organisation_id}/colleagues?done={key}",
                            status_code=303)


@router.get("")
def colleague_list(request: Request, user: WebUser, session: SessionDep,
                   organisation_id: RowId) -> Response:
    return _page(request, session, user, organisation_id)


@router.post("")
def invite(request: Request, user: WebUser, session: SessionDep, settings: SettingsDep,
           organisation_id: RowId, name: NameField = "", email: NameField = "") -> Response:
    try:
        colleagues.invite_colleague(session=session, settings=settings, user=user,
                                    organisation_id=organisation_id,
                                    data={"name": name, "email": email})
    except Invalid as exc:
        return _page(request, session, user, organisation_id,
                     values={"name": name, "email": email}, error=exc)
    return _done(organisation_id, "invited")


@router.post("/{colleague_id}/resend-invitation")
def resend_invitation(request: Request, user: WebUser, session: SessionDep,
                      settings: SettingsDep, organisation_id: RowId,
                      colleague_id: RowId) -> Response:
    try:
        colleagues.resend_invitation(session=session, settings=settings, user=user,
                                     organisation_id=organisation_id, colleague_id=colleague_id)
    except Invalid as exc:
        return _page(request, session, user, organisation_id, error=exc)
    return _done(organisation_id, "resent")


def _removal_page(request: Request, session, user: User, organisation_id: int,
                  colleague_id: int, status_code: int = 200) -> Response:
    """The confirmation step: what removing does, and a button that posts (or why not)."""
    person = colleagues.colleague_of(session=session, user=user,
                                     organisation_id=organisation_id, colleague_id=colleague_id)
    try:
        colleagues.check_removable(session=session, user=user,
                                   organisation_id=organisation_id, colleague_id=colleague_id)
        refusal = ""
    except Invalid as exc:
        refusal = exc.text()  # shown instead of the button
    return render(request, "colleagues/remove.html", {
        "organisation_id": organisation_id, "person": person, "refusal": refusal,
    }, status_code=status_code)


@router.get("/{colleague_id}/remove")
def remove_page(request: Request, user: WebUser, session: SessionDep, organisation_id: RowId,
                colleague_id: RowId) -> Response:
    return _removal_page(request, session, user, organisation_id, colleague_id)


@router.post("/{colleague_id}/remove")
def remove(request: Request, user: WebUser, session: SessionDep, organisation_id: RowId,
           colleague_id: RowId) -> Response:
    try:
        colleagues.remove_colleague(session=session, user=user,
                                    organisation_id=organisation_id, colleague_id=colleague_id)
    except Invalid:
        return _removal_page(request, session, user, organisation_id, colleague_id,
                             status_code=422)
    if colleague_id == user.id:  # a leader who left: logged out everywhere, here too
        response = RedirectResponse("/login", status_code=303)
        clear_session_cookie(response)
        return response
    return _done(organisation_id, "removed")


@router.post("/{colleague_id}/reactivate")
def reactivate(user: WebUser, session: SessionDep, organisation_id: RowId,
               colleague_id: RowId) -> Response:
    colleagues.give_access_again(session=session, user=user, organisation_id=organisation_id,
                                 colleague_id=colleague_id)
    return _done(organisation_id, "reactivated")


@router.post("/{colleague_id}/leader")
def set_leader(request: Request, user: WebUser, session: SessionDep, organisation_id: RowId,
               colleague_id: RowId,
               leader: Annotated[str, Form(max_length=10)] = "") -> Response:
    # Read here, not by FastAPI, so a plain member is refused (403) before any field is.
    wanted = {"true": True, "false": False}.get(leader)
    try:
        colleagues.set_leader(session=session, user=user, organisation_id=organisation_id,
                              colleague_id=colleague_id, leader=wanted)
    except Invalid as exc:
        return _page(request, session, user, organisation_id, error=exc)
    return _done(organisation_id, "leader" if wanted else "not_leader")
