"""Admin: the annual cycles – list with status, create, edit."""

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.auth.deps import SessionDep, WebAdmin
from app.clock import TodayDep
from app.i18n import N_, gettext
from app.models import Cycle
from app.services import cycles
from app.services.catalogue.versions import list_versions
from app.services.errors import Invalid
from app.services.fields import RowId
from app.web.forms import FormDep, field_errors, text_of
from app.web.templating import render

router = APIRouter(prefix="/admin/cycles")

FIELDS = ("year", "catalogue_version_id", "opens_on", "deadline")
CREATED = N_("Runden er oprettet.")
SAVED = N_("Ændringerne er gemt.")


@dataclass(frozen=True)
class CycleLine:
    cycle: Cycle
    status: str
    status_label: str
    catalogue: str
    started: int
    submitted: int


def _catalogues(session: Session) -> list[tuple[str, str]]:
    return [(str(v.row.id), f"{v.row.title} ({v.row.version})")
            for v in list_versions(session=session) if v.row.kind == "assessment"]


def _lines(session: Session, today: date) -> list[CycleLine]:
    names = dict(_catalogues(session))
    counts = cycles.assessment_counts(session=session)
    lines = []
    for cycle in cycles.list_cycles(session=session):
        status = cycles.cycle_status(cycle, today)
        started, submitted = counts.get(cycle.id, (0, 0))
        lines.append(CycleLine(cycle, status, status.label,
                               names.get(str(cycle.catalogue_version_id), "–"),
                               started, submitted))
    return lines


def _typed(form) -> dict[str, str]:
    return {name: text_of(form, name).strip() for name in FIELDS}


def _data(values: dict[str, str]) -> dict:
    # An empty field is a missing one, so its error says "Skal udfyldes".
    return {name: value for name, value in values.items() if value}


def _defaults(session: Session, today: date) -> dict[str, str]:
    """A new cycle: next year (or this year if it has none), the newest catalogue."""
    years = {c.year for c in cycles.list_cycles(session=session)}
    year = today.year if today.year not in years else max(years) + 1
    catalogues = _catalogues(session)
    return {"year": str(year), "catalogue_version_id": catalogues[0][0] if catalogues else "",
            "opens_on": "", "deadline": ""}


def _list_page(request: Request, session: Session, today: date, *, values=None,
               error: Invalid | None = None) -> Response:
    created = request.query_params.get("created", "")
    return render(request, "admin_cycles/list.html", {
        "lines": _lines(session, today), "catalogues": _catalogues(session),
        "values": values if values is not None else _defaults(session, today),
        "errors": field_errors(error), "error": error.text() if error else "",
        "notice": gettext(CREATED) if created else "",
    }, status_code=422 if error else 200)


@router.get("")
def cycle_list(request: Request, _admin: WebAdmin, session: SessionDep,
               today: TodayDep) -> Response:
    return _list_page(request, session, today)


@router.post("")
def create_cycle(request: Request, admin: WebAdmin, session: SessionDep, today: TodayDep,
                 form: FormDep) -> Response:
    values = _typed(form)
    try:
        cycle = cycles.create_cycle(session=session, user=admin, data=_data(values))
    except Invalid as exc:
        session.rollback()
        return _list_page(request, session, today, values=values, error=exc)
    return RedirectResponse(f"/admin/cycles?created={cycle.id}#cycle-{cycle.id}",
                            status_code=303)


def _detail(request: Request, session: Session, cycle: Cycle, today: date, *, values=None,
            error: Invalid | None = None, notice: str = "") -> Response:
    started, submitted = cycles.assessment_counts(session=session).get(cycle.id, (0, 0))
    status = cycles.cycle_status(cycle, today)
    return render(request, "admin_cycles/edit.html", {
        "cycle": cycle, "status": status, "status_label": status.label,
        "started": started, "submitted": submitted, "catalogues": _catalogues(session),
        "values": values if values is not None else {
            "year": str(cycle.year), "catalogue_version_id": str(cycle.catalogue_version_id),
            "opens_on": cycle.opens_on.isoformat(), "deadline": cycle.deadline.isoformat()},
        "errors": field_errors(error), "error": error.text() if error else "",
        "notice": notice,
    }, status_code=422 if error else 200)


@router.get("/{cycle_id:int}")
def cycle_page(request: Request, _admin: WebAdmin, session: SessionDep, today: TodayDep,
               cycle_id: RowId) -> Response:
    cycle = cycles.get_cycle(session=session, cycle_id=cycle_id)
    notice = gettext(SAVED) if "saved" in request.query_params else ""
    return _detail(request, session, cycle, today, notice=notice)


@router.post("/{cycle_id:int}")
def update_cycle(request: Request, admin: WebAdmin, session: SessionDep, today: TodayDep,
                 cycle_id: RowId, form: FormDep) -> Response:
    cycle = cycles.get_cycle(session=session, cycle_id=cycle_id)
    started, _ = cycles.assessment_counts(session=session).get(cycle.id, (0, 0))
    values = _typed(form)
    try:
        cycles.update_cycle(session=session, user=admin, cycle_id=cycle_id, data=_data(values),
                            has_assessments=started > 0)
    except Invalid as exc:
        session.rollback()
        cycle = cycles.get_cycle(session=session, cycle_id=cycle_id)
        return _detail(request, session, cycle, today, values=values, error=exc)
    return RedirectResponse(f"/admin/cycles/{cycle_id}?saved=1", status_code=303)
