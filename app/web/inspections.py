"""A member's inspection reports as pages: the list, a new one, and a correction.

Members reach their own; LOS' advisors and admins any member's (the service decides). The
form has a score field per theme of the quality model (empty: not covered), and rows for
sanctions, so it works without JavaScript; each refusal is shown at its field.
"""


from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.auth.deps import SessionDep, WebUser
from app.clock import TodayDep
from app.services import inspection_report, inspections
from app.services.errors import Conflict, Invalid
from app.services.fields import RowId
from app.web.forms import FormDep, refusal_status, text_of
from app.web.inspection_form import (
    field_errors_in_order,
    form_page,
    posted_values,
    theme_fields,
)
from app.web.templating import render

router = APIRouter()
@router.get("/organisations/{organisation_id}/inspections")
def inspections_page(request: Request, organisation_id: RowId, user: WebUser,
                     session: SessionDep) -> Response:
    organisation = inspections.member_for(session=session, user=user,
                                          organisation_id=organisation_id)
    found = inspections.list_inspections(session=session, user=user,
                                         organisation_id=organisation_id)
    return render(request, "inspections/list.html", {
        "organisation": organisation, "records": found,
        "reports": inspection_report.reports_of(session, [r.inspection.id for r in found]),
        "themes": [
            t for t in theme_fields(session) if any(t.key in r.themes for r in found)],
        "saved": request.query_params.get("saved") == "1",
        "base": f"/organisations/{organisation_id}/inspections"})


@router.get("/organisations/{organisation_id}/inspections/new")
def new_inspection_page(request: Request, organisation_id: RowId, user: WebUser,
                        session: SessionDep) -> Response:
    return form_page(request, session, user, organisation_id)


@router.post("/organisations/{organisation_id}/inspections/new")
def create_inspection(request: Request, organisation_id: RowId, user: WebUser,
                      session: SessionDep, form: FormDep, today: TodayDep) -> Response:
    themes = theme_fields(session)
    typed, data, order = posted_values(form, themes)
    try:
        inspections.record_inspection(session=session, user=user,
                                      organisation_id=organisation_id, data=data, today=today)
    except Invalid as exc:
        session.rollback()
        return form_page(request, session, user, organisation_id, typed=typed,
                          errors=field_errors_in_order(exc, order), message=exc.text(),
                          status_code=refusal_status(exc))
    return RedirectResponse(f"/organisations/{organisation_id}/inspections?saved=1",
                            status_code=303)


@router.get("/organisations/{organisation_id}/inspections/{inspection_id}")
def inspection_page(request: Request, organisation_id: RowId, inspection_id: RowId,
                    user: WebUser, session: SessionDep) -> Response:
    record = inspections.get_inspection(session=session, user=user,
                                        organisation_id=organisation_id,
                                        inspection_id=inspection_id)
    return form_page(request, session, user, organisation_id, record=record)


@router.post("/organisations/{organisation_id}/inspections/{inspection_id}")
def correct_inspection(request: Request, organisation_id: RowId, inspection_id: RowId,
                       user: WebUser, session: SessionDep, form: FormDep,
                       today: TodayDep) -> Response:
    themes = theme_fields(session)
    typed, data, order = posted_values(form, themes)
    version = text_of(form, "version")
    try:
        inspections.update_inspection(session=session, user=user,
                                      organisation_id=organisation_id,
                                      inspection_id=inspection_id,
                                      data=data | {"version": version or None}, today=today)
    except (Invalid, Conflict) as exc:
        session.rollback()
        record = inspections.get_inspection(session=session, user=user,
                                            organisation_id=organisation_id,
                                            inspection_id=inspection_id)
        errors = field_errors_in_order(exc, order) if isinstance(exc, Invalid) else {}
        # After a conflict the form keeps what was typed, with the saved version's number:
        # saving again overwrites deliberately, once the reader has seen the message.
        return form_page(request, session, user, organisation_id, record=record,
                          typed=typed, errors=errors, message=exc.text(),
                          version=record.inspection.version if isinstance(exc, Conflict)
                          else (int(version) if version.isdigit() else None),
                          status_code=refusal_status(exc))
    return RedirectResponse(f"/organisations/{organisation_id}/inspections?saved=1",
                            status_code=303)
