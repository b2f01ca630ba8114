"""Admin: member organisations – list and search, create, edit, deactivate and reactivate."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from app.auth.deps import SessionDep, WebAdmin
from app.i18n import N_, gettext
from app.models import Organisation
from app.services import organisations, users
from app.services.errors import Invalid
from app.services.fields import NoNul, RowId
from app.web.forms import field_errors
from app.web.labels import REGION_LABELS, SERVICE_TYPE_LABELS
from app.web.listing import PAGE_SIZE, PageNumber, Pagination
from app.web.templating import render

router = APIRouter(prefix="/admin/organisations")


class OrganisationForm(BaseModel):
    """The form as typed, all text, so a refused form is shown again exactly as sent."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = ""
    cvr: str = ""
    company_name: str = ""
    service_type: str = ""
    region: str = ""
    places: str = ""
    advisor_id: str = ""


OrganisationFormData = Annotated[OrganisationForm, Form()]


def _values(organisation: Organisation) -> dict[str, str]:
    fields = {name: getattr(organisation, name) for name in OrganisationForm.model_fields}
    return {name: "" if value is None else str(value) for name, value in fields.items()}


def _choices(session) -> dict:
    return {
        "service_types": [(code.value, gettext(label))
                          for code, label in SERVICE_TYPE_LABELS.items()],
        "regions": [(code.value, gettext(label)) for code, label in REGION_LABELS.items()],
        "advisors": [(str(a.id), a.name)
                     for a in organisations.active_advisors(session=session)],
    }


@router.get("")
def organisation_list(
    request: Request,
    _admin: WebAdmin,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200), NoNul] = "",
    inactive: bool = False,
    page: PageNumber = 1,
) -> Response:
    pagination = Pagination(request.url.path, page, {"q": q, "inactive": "1" if inactive else ""})
    rows, total = organisations.search_organisations(
        session=session, query=q, include_inactive=inactive, limit=PAGE_SIZE,
        offset=pagination.offset)
    counts = organisations.active_user_counts(session=session,
                                              organisation_ids=[o.id for o in rows])
    return render(request, "admin/organisations.html", {
        "rows": rows, "counts": counts, "q": q, "inactive": inactive,
        "pagination": pagination.with_total(total),
    }, block="results")


@router.get("/new")
def new_organisation_page(request: Request, _admin: WebAdmin, session: SessionDep) -> Response:
    return render(request, "admin/organisation_new.html",
                  {"values": {"places": "0"}, "errors": {}, **_choices(session)})


@router.post("")
def create_organisation(request: Request, admin: WebAdmin, session: SessionDep,
                        form: OrganisationFormData) -> Response:
    try:
        organisation = organisations.create_organisation(session=session, user=admin,
                                                         data=form.model_dump())
    except Invalid as exc:
        return render(request, "admin/organisation_new.html", {
            "values": form.model_dump(), "errors": field_errors(exc), "error": exc.text(),
            **_choices(session)}, status_code=422)
    return RedirectResponse(f"/admin/organisations/{organisation.id}?created=1", status_code=303)


def _detail(request: Request, session, organisation: Organisation, *, values=None,
            error: Invalid | None = None, notice: str = "") -> Response:
    return render(request, "admin/organisation.html", {
        "organisation": organisation,
        "members": users.users_of_organisation(session=session,
                                               organisation_id=organisation.id),
        "values": values if values is not None else _values(organisation),
        "errors": field_errors(error), "error": error.text() if error else "",
        "notice": notice, **_choices(session),
    }, status_code=422 if error else 200)


_NOTICES = {
    "created": N_("Medlemmet er oprettet."),
    "saved": N_("Ændringerne er gemt."),
    "deactivated": N_("Medlemmet er deaktiveret."),
    "reactivated": N_("Medlemmet er aktivt igen."),
}


@router.get("/{organisation_id:int}")
def organisation_page(request: Request, _admin: WebAdmin, session: SessionDep,
                      organisation_id: RowId) -> Response:
    organisation = organisations.get_organisation(session=session,
                                                  organisation_id=organisation_id)
    notice = next((gettext(text) for key, text in _NOTICES.items()
                   if key in request.query_params), "")
    return _detail(request, session, organisation, notice=notice)


@router.post("/{organisation_id:int}")
def update_organisation(request: Request, admin: WebAdmin, session: SessionDep,
                        organisation_id: RowId, form: OrganisationFormData) -> Response:
    try:
        organisations.update_organisation(session=session, user=admin,
                                          organisation_id=organisation_id,
                                          data=form.model_dump())
    except Invalid as exc:
        organisation = organisations.get_organisation(session=session,
                                                      organisation_id=organisation_id)
        return _detail(request, session, organisation, values=form.model_dump(), error=exc)
    return RedirectResponse(f"/admin/organisations/{organisation_id}?saved=1", status_code=303)


@router.post("/{organisation_id:int}/deactivate")
def deactivate_organisation(admin: WebAdmin, session: SessionDep,
                            organisation_id: RowId) -> Response:
    organisations.set_organisation_active(session=session, user=admin,
                                          organisation_id=organisation_id,
                                          active=False)
    return RedirectResponse(f"/admin/organisations/{organisation_id}?deactivated=1",
                            status_code=303)


@router.post("/{organisation_id:int}/reactivate")
def reactivate_organisation(admin: WebAdmin, session: SessionDep,
                            organisation_id: RowId) -> Response:
    organisations.set_organisation_active(session=session, user=admin,
                                          organisation_id=organisation_id,
                                          active=True)
    return RedirectResponse(f"/admin/organisations/{organisation_id}?reactivated=1",
                            status_code=303)
