"""The member dossier: scores year by year, cases, the contact log, actions and the trail.

The contact and case forms post here; a refusal shows the page again with the typed values
and the field errors (422), or beside what a colleague saved meanwhile (409).
"""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app import charts
from app.auth.deps import SessionDep, WebAdvisor
from app.clock import TodayDep
from app.i18n import gettext
from app.models import User
from app.models.vocabulary import CaseStatus, ContactKind, InjunctionKind
from app.services.actions import create_action
from app.services.advisor import support
from app.services.advisor.dossier import load_dossier
from app.services.calibration import CalibrationHistory, history_rule_text
from app.services.errors import Conflict, Invalid
from app.services.fields import RowId
from app.services.inspections import SCORE_MAX, SCORE_MIN
from app.web.forms import FormDep, field_errors, refusal_status, texts_of
from app.web.templating import render

router = APIRouter(prefix="/advisor/members/{organisation_id}")

CONTACT_FIELDS = ("kind", "happened_on", "note", "next_step", "case_id")
CASE_FIELDS = ("reason", "injunction_kind", "next_contact_on")
CASE_UPDATE_FIELDS = ("status", "next_contact_on", "outcome", "version")
ACTION_FIELDS = ("title", "requirement_id", "owner_email", "due_on", "case_id")


def calibration_figure(history: CalibrationHistory) -> dict | None:
    """A small chart per theme: the self-assessment and Socialtilsynet's score (the year's
    latest) over the years; None without any official score to set beside."""
    if not history.has_official:
        return None
    return charts.small_multiples_data(
        years=list(history.years), scale_min=int(SCORE_MIN), scale_max=int(SCORE_MAX),
        panels=[charts.Panel(f"{t.number}. {t.title}", [
            charts.Series(gettext("Selvevaluering"), [y.self_score for y in t.years], "own"),
            charts.Series(gettext("Socialtilsynet"), [
                y.official[-1].score if y.official else None for y in t.years], "official")])
            for t in history.themes])


def _page(request: Request, session: Session, user: User, organisation_id: int,
          today: date, *, status_code: int = 200, **forms) -> Response:
    dossier = load_dossier(session=session, user=user, organisation_id=organisation_id,
                           today=today)
    return render(request, "advisor/dossier.html", {
        "dossier": dossier, "organisation": dossier.organisation, "today": today,
        "calibration_figure": calibration_figure(dossier.calibration),
        "calibration_rule": history_rule_text(),
        "contact_kinds": list(ContactKind), "case_statuses": list(CaseStatus),
        "injunction_kinds": list(InjunctionKind),
        "saved": request.query_params.get("saved", ""),
        "contact_form": forms.get("contact_form") or {"values": {
            "kind": ContactKind.CALL, "happened_on": today.isoformat()}, "errors": {}},
        "case_form": forms.get("case_form") or {"values": {}, "errors": {}},
        "case_update": forms.get("case_update"),
        "action_form": forms.get("action_form") or {
            "values": {"case_id": request.query_params.get("case", "")}, "errors": {}},
    }, status_code=status_code)


@router.get("")
def dossier_page(request: Request, organisation_id: RowId, user: WebAdvisor, session: SessionDep,
                 today: TodayDep) -> Response:
    return _page(request, session, user, organisation_id, today)


def _refused(exc: Invalid | Conflict, values: dict, **extra) -> dict:
    return {"values": values, "errors": field_errors(exc, aliases={"__root__": "outcome"}),
            "message": exc.text(), **extra}


@router.post("/contacts")
def add_contact(request: Request, organisation_id: RowId, user: WebAdvisor, session: SessionDep,
                today: TodayDep, form: FormDep) -> Response:
    values = texts_of(form, CONTACT_FIELDS)
    try:
        support.add_contact(session=session, user=user, organisation_id=organisation_id,
                            data={**values, "case_id": values["case_id"] or None})
    except Invalid as exc:
        session.rollback()
        return _page(request, session, user, organisation_id, today,
                     status_code=refusal_status(exc), contact_form=_refused(exc, values))
    return RedirectResponse(f"/advisor/members/{organisation_id}?saved=contact#contacts",
                            status_code=303)


@router.post("/cases")
def open_case(request: Request, organisation_id: RowId, user: WebAdvisor, session: SessionDep,
              today: TodayDep, form: FormDep) -> Response:
    values = texts_of(form, CASE_FIELDS)
    try:
        support.open_case(session=session, user=user, organisation_id=organisation_id,
                          today=today, data={name: value or None
                                             for name, value in values.items()})
    except Invalid as exc:
        session.rollback()
        return _page(request, session, user, organisation_id, today,
                     status_code=refusal_status(exc), case_form=_refused(exc, values))
    return RedirectResponse(f"/advisor/members/{organisation_id}?saved=case#cases",
                            status_code=303)


@router.post("/cases/{case_id}")
def update_case(request: Request, organisation_id: RowId, case_id: RowId, user: WebAdvisor,
                session: SessionDep, today: TodayDep, form: FormDep) -> Response:
    values = texts_of(form, CASE_UPDATE_FIELDS)
    try:
        support.update_case(session=session, user=user, organisation_id=organisation_id,
                            case_id=case_id, today=today,
                            data={**values, "next_contact_on": values["next_contact_on"] or None})
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _page(request, session, user, organisation_id, today,
                     status_code=refusal_status(exc),
                     case_update=_refused(exc, values, case_id=case_id,
                                          conflict=isinstance(exc, Conflict)))
    return RedirectResponse(f"/advisor/members/{organisation_id}?saved=case-{case_id}"
                            f"#case-{case_id}", status_code=303)


@router.post("/actions")
def add_action(request: Request, organisation_id: RowId, user: WebAdvisor, session: SessionDep,
               today: TodayDep, form: FormDep) -> Response:
    """A follow-up action for the member, from a case or on its own."""
    values = texts_of(form, ACTION_FIELDS)
    support.get_member(session=session, user=user, organisation_id=organisation_id)
    try:
        create_action(session=session, user=user, today=today, data={
            **values, "organisation_id": organisation_id})
    except Invalid as exc:
        session.rollback()
        return _page(request, session, user, organisation_id, today,
                     status_code=refusal_status(exc), action_form=_refused(exc, values))
    return RedirectResponse(f"/advisor/members/{organisation_id}?saved=action#actions",
                            status_code=303)
