"""Admin: which advisor has which members, and assigning many at once (region, service type).

The form previews first ("12 of 40 members get a new advisor") and changes nothing until
the admin confirms; both steps are plain posts, so it works without JavaScript.
"""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.auth.deps import SessionDep, WebAdmin
from app.models import Organisation
from app.models.vocabulary import Region, ServiceType
from app.services.assignments import assign_advisor, preview_assignment
from app.services.errors import Invalid
from app.services.organisations import active_advisors
from app.web.forms import FormDep, field_errors, refusal_status, texts_of
from app.web.templating import render

router = APIRouter(prefix="/admin/assignments")

FIELDS = ("advisor_id", "region", "service_type", "only_unassigned")


def _counts(session: Session) -> dict[int | None, int]:
    return dict(session.exec(select(Organisation.advisor_id, func.count())
                             .where(col(Organisation.active))
                             .group_by(Organisation.advisor_id)).all())


def _page(request: Request, session: Session, *, values: dict | None = None, preview=None,
          errors: dict | None = None, message: str = "", status_code: int = 200) -> Response:
    return render(request, "admin/assignments.html", {
        "advisors": active_advisors(session=session), "counts": _counts(session),
        "regions": list(Region), "service_types": list(ServiceType),
        "values": values or {}, "preview": preview, "errors": errors or {},
        "message": message, "done": request.query_params.get("changed"),
    }, status_code=status_code)


@router.get("")
def assignments_page(request: Request, admin: WebAdmin, session: SessionDep) -> Response:
    return _page(request, session)


@router.post("")
def assign(request: Request, admin: WebAdmin, session: SessionDep, form: FormDep) -> Response:
    values = texts_of(form, FIELDS)
    data = {**values, "only_unassigned": values["only_unassigned"] == "1"}
    try:
        if form.get("confirm") != "1":
            preview = preview_assignment(session=session, user=admin, data=data)
            return _page(request, session, values=values, preview=preview)
        result = assign_advisor(session=session, user=admin, data=data)
    except Invalid as exc:
        session.rollback()
        return _page(request, session, values=values, errors=field_errors(exc),
                     message=exc.text(), status_code=refusal_status(exc))
    return RedirectResponse(f"/admin/assignments?changed={result.changed}", status_code=303)
