"""Admin: users – list and search, invite, edit, resend an invitation, deactivate, reactivate,
delete (after a confirmation page)."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from app.auth.deps import SessionDep, SettingsDep, WebAdmin
from app.i18n import N_, gettext
from app.models import User
from app.models.vocabulary import Role
from app.services import organisations, user_deletion, users
from app.services.errors import Invalid
from app.services.fields import MAX_ROW_ID, NoNul, RowId
from app.web.forms import field_errors
from app.web.labels import ROLE_LABELS
from app.web.listing import PAGE_SIZE, PageNumber, Pagination
from app.web.templating import render

router = APIRouter(prefix="/admin/users")


class UserForm(BaseModel):
    """The form as typed, so a refused form is shown again exactly as sent."""

    model_config = ConfigDict(str_strip_whitespace=True)

    email: str = ""
    name: str = ""
    role: str = ""
    organisation_id: str = ""
    member_admin: str = ""  # the checkbox: "1" when ticked, absent otherwise


UserFormData = Annotated[UserForm, Form()]


def _role(value: str) -> Role | None:
    return Role(value) if value in Role._value2member_map_ else None


def _role_options() -> list[tuple[str, str]]:
    return [(role.value, gettext(label)) for role, label in ROLE_LABELS.items()]


def _choices(session, organisation_id: int | str | None = None) -> dict:
    digits = str(organisation_id or "")
    include = int(digits) if digits.isdecimal() and int(digits) <= MAX_ROW_ID else None
    return {
        "roles": _role_options(),
        "organisation_options": [
            (str(o.id), f"{o.name} ({o.cvr})" if o.active else f"{o.name} ({o.cvr}) – "
             + gettext("deaktiveret"))
            for o in organisations.organisation_choices(session=session, include_id=include)],
    }


def _errors(exc: Invalid | None) -> dict[str, str]:
    errors = field_errors(exc)
    # "A member belongs to an organisation" is said about the whole input; show it at the field.
    if "__root__" in errors:
        errors.setdefault("organisation_id", errors.pop("__root__"))
    return errors


@router.get("")
def user_list(
    request: Request,
    _admin: WebAdmin,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200), NoNul] = "",
    role: Annotated[str, Query(max_length=20), NoNul] = "",
    inactive: bool = False,
    page: PageNumber = 1,
) -> Response:
    pagination = Pagination(request.url.path, page,
                            {"q": q, "role": role, "inactive": "1" if inactive else ""})
    rows, total = users.search_users(session=session, query=q, role=_role(role),
                                     include_inactive=inactive, limit=PAGE_SIZE,
                                     offset=pagination.offset)
    deleted = "deleted" in request.query_params and not request.headers.get("HX-Request")
    return render(request, "admin/users.html", {
        "notice": gettext("Brugeren er slettet.") if deleted else "",
        "rows": rows, "q": q, "role": role, "inactive": inactive,
        "pagination": pagination.with_total(total), "roles": _role_options(),
    }, block="results")


@router.get("/new")
def invite_page(request: Request, _admin: WebAdmin, session: SessionDep,
                organisation_id: Annotated[str, Query(max_length=12)] = "") -> Response:
    values = {"role": Role.MEMBER.value, "organisation_id": organisation_id}
    return render(request, "admin/user_new.html",
                  {"values": values, "errors": {}, **_choices(session, organisation_id)})


@router.post("")
def invite(request: Request, admin: WebAdmin, session: SessionDep, settings: SettingsDep,
           form: UserFormData) -> Response:
    try:
        user = users.invite_user(session=session, settings=settings, user=admin,
                                 data=form.model_dump())
    except Invalid as exc:
        return render(request, "admin/user_new.html", {
            "values": form.model_dump(), "errors": _errors(exc), "error": exc.text(),
            **_choices(session, form.organisation_id)}, status_code=422)
    return RedirectResponse(f"/admin/users/{user.id}?invited=1", status_code=303)


_NOTICES = {
    "invited": N_("Invitationen er sendt. Linket kan også læses i udbakken."),
    "saved": N_("Ændringerne er gemt."),
    "deactivated": N_("Brugeren er deaktiveret og logget ud overalt."),
    "reactivated": N_("Brugeren er aktiv igen."),
}


def _detail(request: Request, session, person: User, *, values=None,
            error: Invalid | None = None, notice: str = "") -> Response:
    organisation = (organisations.get_organisation(session=session,
                                                   organisation_id=person.organisation_id)
                    if person.organisation_id else None)
    if values is None:
        values = {"email": person.email, "name": person.name, "role": person.role,
                  "organisation_id": str(person.organisation_id or ""),
                  "member_admin": "1" if person.member_admin else ""}
    return render(request, "admin/user.html", {
        "person": person, "organisation": organisation, "values": values,
        "errors": _errors(error), "error": error.text() if error else "", "notice": notice,
        **_choices(session, values.get("organisation_id")),
    }, status_code=422 if error else 200)


@router.get("/{user_id:int}")
def user_page(request: Request, _admin: WebAdmin, session: SessionDep,
              user_id: RowId) -> Response:
    person = users.get_user(session=session, user_id=user_id)
    notice = next((gettext(text) for key, text in _NOTICES.items()
                   if key in request.query_params), "")
    return _detail(request, session, person, notice=notice)


@router.post("/{user_id:int}")
def update_user(request: Request, admin: WebAdmin, session: SessionDep, user_id: RowId,
                form: UserFormData) -> Response:
    try:
        users.update_user(session=session, user=admin, user_id=user_id, data=form.model_dump())
    except Invalid as exc:
        person = users.get_user(session=session, user_id=user_id)
        return _detail(request, session, person, values=form.model_dump(), error=exc)
    return RedirectResponse(f"/admin/users/{user_id}?saved=1", status_code=303)


@router.post("/{user_id:int}/resend-invitation")
def resend_invitation(_admin: WebAdmin, session: SessionDep, settings: SettingsDep,
                      user_id: RowId) -> Response:
    users.resend_invitation(session=session, settings=settings, user_id=user_id)
    return RedirectResponse(f"/admin/users/{user_id}?invited=1", status_code=303)


@router.post("/{user_id:int}/deactivate")
def deactivate_user(admin: WebAdmin, session: SessionDep, user_id: RowId) -> Response:
    users.set_user_active(session=session, user=admin, user_id=user_id, active=False)
    return RedirectResponse(f"/admin/users/{user_id}?deactivated=1", status_code=303)


@router.post("/{user_id:int}/reactivate")
def reactivate_user(admin: WebAdmin, session: SessionDep, user_id: RowId) -> Response:
    users.set_user_active(session=session, user=admin, user_id=user_id, active=True)
    return RedirectResponse(f"/admin/users/{user_id}?reactivated=1", status_code=303)


def _deletion_page(request: Request, session, admin: User, person: User,
                   status_code: int = 200) -> Response:
    try:
        user_deletion.check_deletable(session=session, user=admin, person=person)
        refusal = ""
    except Invalid as exc:
        refusal = exc.text()  # shown instead of the button
    organisation = (organisations.get_organisation(session=session,
                                                   organisation_id=person.organisation_id)
                    if person.organisation_id else None)
    return render(request, "admin/user_delete.html", {
        "person": person, "organisation": organisation, "refusal": refusal,
    }, status_code=status_code)


@router.get("/{user_id:int}/delete")
def delete_user_page(request: Request, admin: WebAdmin, session: SessionDep,
                     user_id: RowId) -> Response:
    """The confirmation step: what goes, what stays, and a button that posts."""
    person = users.get_user(session=session, user_id=user_id)
    return _deletion_page(request, session, admin, person)


@router.post("/{user_id:int}/delete")
def delete_user(request: Request, admin: WebAdmin, session: SessionDep,
                user_id: RowId) -> Response:
    try:
        user_deletion.delete_user(session=session, user=admin, user_id=user_id)
    except Invalid:
        session.rollback()
        person = users.get_user(session=session, user_id=user_id)
        return _deletion_page(request, session, admin, person, status_code=422)
    return RedirectResponse("/admin/users?deleted=1", status_code=303)
