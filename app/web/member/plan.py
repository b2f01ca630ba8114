"""The action plan page: the organisation's actions by status, one action's edit page, and
cancelling an action after a confirmation step.

Plain forms without JavaScript: a save answers 303 back to the plan, a refusal shows the
form again with the typed values, at 422 for a field to fix or 409 when someone saved the
action meanwhile (what they saved is shown beside what was typed).
"""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.auth.deps import SessionDep, WebUser
from app.clock import TodayDep
from app.i18n import N_, gettext
from app.models import User
from app.models.vocabulary import ActionStatus, Role
from app.services import actions as action_service
from app.services.action_plan import ActionDetail, load_action, load_plan, plan_organisation
from app.services.errors import Conflict, Invalid
from app.services.fields import RowId
from app.web.forms import FormDep, field_errors, refusal_status, text_of, texts_of
from app.web.member.results_view import ActionForm, labels
from app.web.templating import render

router = APIRouter(prefix="/organisations/{organisation_id}/actions")

NEW_FIELDS = ("requirement_id", "title", "owner_email", "due_on", "priority")
EDIT_FIELDS = ("title", "description", "owner_email", "due_on", "priority", "status", "comment")
NOTICES = {
    "added": N_("»%(title)s« er tilføjet planen."),
    "saved": N_("Ændringerne i »%(title)s« er gemt."),
    "cancelled": N_("»%(title)s« er annulleret. Den står nu under Annulleret."),
}
KEEP_TYPED = N_("Det, du skrev, står stadig i felterne. Gem igen, hvis det skal erstatte den "
                "nye udgave.")


def _base(organisation_id: int) -> str:
    return f"/organisations/{organisation_id}/actions"


def _common(user: User, today: date) -> dict:
    return {"today": today, "staff": user.role in (Role.ADVISOR, Role.ADMIN), **labels()}


def _notice(request: Request, rows) -> tuple[str, int | None]:
    """The message after a redirect (?saved=ID and the like), beside that action."""
    titles = {row.action.id: row.action.title for row in rows}
    for kind, text in NOTICES.items():
        value = request.query_params.get(kind, "")
        if value.isdigit() and int(value) in titles:
            return gettext(text, title=titles[int(value)]), int(value)
    return "", None


def _plan_page(request: Request, session: Session, user: User, organisation_id: int,
               today: date, *, form: ActionForm | None = None,
               status_code: int = 200) -> Response:
    plan = load_plan(session=session, user=user, organisation_id=organisation_id, today=today)
    notice, notice_id = _notice(request, plan.rows) if form is None else ("", None)
    return render(request, "actions/plan.html", {
        "plan": plan, "organisation": plan.organisation, "base": _base(organisation_id),
        "form": form, "notice": notice, "notice_id": notice_id, **_common(user, today),
    }, status_code=status_code)


@router.get("")
def plan_page(request: Request, organisation_id: RowId, user: WebUser, session: SessionDep,
              today: TodayDep) -> Response:
    return _plan_page(request, session, user, organisation_id, today)


@router.post("")
def add_action(request: Request, organisation_id: RowId, user: WebUser, session: SessionDep,
               today: TodayDep, form: FormDep) -> Response:
    plan_organisation(session=session, user=user, organisation_id=organisation_id)
    values = texts_of(form, NEW_FIELDS)
    try:
        action = action_service.create_action(session=session, user=user, today=today, data={
            **values, "organisation_id": organisation_id})
    except Invalid as exc:
        session.rollback()
        return _plan_page(request, session, user, organisation_id, today,
                          form=ActionForm("", values, field_errors(exc), exc.text()),
                          status_code=refusal_status(exc))
    return RedirectResponse(f"{_base(organisation_id)}?added={action.id}#action-{action.id}",
                            status_code=303)


def _values_of(detail: ActionDetail) -> dict[str, str]:
    action = detail.action
    return {"title": action.title, "description": action.description,
            "owner_email": action.owner_email,
            "due_on": action.due_on.isoformat() if action.due_on else "",
            "priority": action.priority, "status": action.status, "comment": ""}


def _statuses(detail: ActionDetail) -> list[ActionStatus]:
    """The status list of the edit form: cancelling has its own step with a confirmation,
    so "Annulleret" is a choice only for an action that is cancelled already."""
    return [s for s in ActionStatus
            if s != ActionStatus.CANCELLED or detail.action.status == ActionStatus.CANCELLED]


def _edit_page(request: Request, session: Session, user: User, organisation_id: int,
               action_id: int, today: date, *, values: dict | None = None,
               error: Invalid | Conflict | None = None) -> Response:
    detail = load_action(session=session, user=user, organisation_id=organisation_id,
                         action_id=action_id, today=today)
    conflict = isinstance(error, Conflict)
    return render(request, "actions/edit.html", {
        "detail": detail, "action": detail.action, "row": detail.row,
        "organisation": detail.organisation, "base": _base(organisation_id),
        "values": values if values is not None else _values_of(detail),
        "errors": field_errors(error), "message": error.text() if error else "",
        "conflict": conflict, "keep_typed": gettext(KEEP_TYPED) if conflict else "",
        # After a conflict the form carries the version now saved: saving again is a
        # deliberate choice to replace it.
        "version": detail.action.version, "statuses": _statuses(detail),
        **_common(user, today),
    }, status_code=refusal_status(error) if error else 200)


@router.get("/{action_id}")
def action_page(request: Request, organisation_id: RowId, action_id: RowId, user: WebUser,
                session: SessionDep, today: TodayDep) -> Response:
    return _edit_page(request, session, user, organisation_id, action_id, today)


@router.post("/{action_id}")
def save_action(request: Request, organisation_id: RowId, action_id: RowId, user: WebUser,
                session: SessionDep, today: TodayDep, form: FormDep) -> Response:
    load_action(session=session, user=user, organisation_id=organisation_id,
                action_id=action_id, today=today)
    values = texts_of(form, EDIT_FIELDS)
    try:
        action_service.update_action(session=session, user=user, action_id=action_id, data={
            **values, "version": text_of(form, "version") or "0"})
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _edit_page(request, session, user, organisation_id, action_id, today,
                          values=values, error=exc)
    return RedirectResponse(f"{_base(organisation_id)}?saved={action_id}#action-{action_id}",
                            status_code=303)


def _cancel_page(request: Request, session: Session, user: User, organisation_id: int,
                 action_id: int, today: date, *, version: str = "", reason: str = "",
                 error: Invalid | Conflict | None = None) -> Response:
    detail = load_action(session=session, user=user, organisation_id=organisation_id,
                         action_id=action_id, today=today)
    conflict = isinstance(error, Conflict)
    return render(request, "actions/cancel.html", {
        "detail": detail, "action": detail.action, "row": detail.row,
        "organisation": detail.organisation, "base": _base(organisation_id),
        # The version seen on the edit page, so a change saved since still stops the cancel;
        # after a conflict the one now saved, shown above the button.
        "version": detail.action.version if conflict or not version.isdigit() else version,
        "reason": reason, "message": error.text() if error else "", "conflict": conflict,
        "errors": field_errors(error), **_common(user, today),
    }, status_code=refusal_status(error) if error else 200)


@router.get("/{action_id}/cancel")
def cancel_page(request: Request, organisation_id: RowId, action_id: RowId, user: WebUser,
                session: SessionDep, today: TodayDep) -> Response:
    """Asks once before cancelling."""
    return _cancel_page(request, session, user, organisation_id, action_id, today,
                        version=request.query_params.get("version", ""))


@router.post("/{action_id}/cancel")
def cancel_action(request: Request, organisation_id: RowId, action_id: RowId, user: WebUser,
                  session: SessionDep, today: TodayDep, form: FormDep) -> Response:
    load_action(session=session, user=user, organisation_id=organisation_id,
                action_id=action_id, today=today)
    version, reason = text_of(form, "version"), text_of(form, "comment")
    if text_of(form, "confirmed") != "yes":
        # Only the confirmation step cancels; anything else is asked first.
        return RedirectResponse(f"{_base(organisation_id)}/{action_id}/cancel?version="
                                f"{version if version.isdigit() else ''}", status_code=303)
    try:
        action_service.update_action(session=session, user=user, action_id=action_id, data={
            "status": ActionStatus.CANCELLED, "comment": reason, "version": version or "0"})
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _cancel_page(request, session, user, organisation_id, action_id, today,
                            version=version, reason=reason, error=exc)
    return RedirectResponse(
        f"{_base(organisation_id)}?cancelled={action_id}#action-{action_id}", status_code=303)
