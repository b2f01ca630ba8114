"""The action plan on the results page: add an action to a gap, change an action's status.

With htmx the plan block alone comes back; without it every form is a plain post that
answers 303 back to the results page, or the page again with the errors.
"""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.auth.deps import SessionDep, SettingsDep, WebUser
from app.clock import TodayDep
from app.i18n import N_, gettext
from app.services import actions as action_service
from app.services.assessment.access import get_assessment_for_user
from app.services.errors import Conflict, Invalid, NotFound
from app.services.fields import RowId
from app.web.forms import FormDep, field_errors, text_of, texts_of
from app.web.member.results_view import (
    ActionForm,
    ActionMessage,
    load_results,
    results_context,
)
from app.web.templating import is_htmx, render

router = APIRouter()

NEW_FIELDS = ("requirement_id", "title", "owner_email", "due_on", "priority")
SAVED = N_("Gemt.")


def _plan(request: Request, context: dict, status_code: int, anchor: str) -> Response:
    """The plan block for htmx, else the whole results page (an error) or a redirect."""
    if status_code == 200 and not is_htmx(request):
        return RedirectResponse(f"{context['base']}/results#{anchor}", status_code=303)
    return render(request, "assessment/results.html", context, block="plan",
                  status_code=status_code)


@router.post("/assessments/{assessment_id}/actions")
def add_action(request: Request, assessment_id: RowId, user: WebUser, session: SessionDep,
               settings: SettingsDep, today: TodayDep, form: FormDep) -> Response:
    assessment = get_assessment_for_user(session=session, user=user,
                                         assessment_id=assessment_id)
    values = texts_of(form, NEW_FIELDS)
    gap = text_of(form, "gap")  # which form was sent: a gap's own, or the general one
    try:
        action = action_service.create_action(session=session, user=user, today=today, data={
            **values, "organisation_id": assessment.organisation_id,
            "assessment_id": assessment.id})
    except Invalid as exc:
        session.rollback()
        page = load_results(session, settings, user, assessment_id, today)
        errors = field_errors(exc)
        action_form = ActionForm(gap, values, errors, exc.text())
        return _plan(request, results_context(page, form=action_form), 422,
                     f"add-{gap or 'new'}")
    page = load_results(session, settings, user, assessment_id, today)
    message = ActionMessage(action.id, gettext("Handlingen er tilføjet planen."), True)
    return _plan(request, results_context(page, message=message), 200, f"action-{action.id}")


@router.post("/assessments/{assessment_id}/actions/{action_id}")
def change_action(request: Request, assessment_id: RowId, action_id: RowId, user: WebUser,
                  session: SessionDep, settings: SettingsDep, today: TodayDep,
                  form: FormDep) -> Response:
    assessment = get_assessment_for_user(session=session, user=user,
                                         assessment_id=assessment_id)
    action = action_service.get_action_for_user(session=session, user=user, action_id=action_id)
    if action.organisation_id != assessment.organisation_id:
        raise NotFound(action_service.NOT_FOUND)
    typed = {"status": text_of(form, "status"), "comment": text_of(form, "comment")}
    try:
        action_service.update_action(session=session, user=user, action_id=action_id,
                                     data={**typed, "version": text_of(form, "version") or "0"})
    except (Invalid, Conflict) as exc:
        session.rollback()
        page = load_results(session, settings, user, assessment_id, today)
        details = "; ".join(e.text() for e in exc.errors)
        message = ActionMessage(action_id, f"{exc.text()} {details}".strip(), False,
                                isinstance(exc, Conflict), typed)
        return _plan(request, results_context(page, message=message),
                     409 if message.conflict else 422, f"action-{action_id}")
    page = load_results(session, settings, user, assessment_id, today)
    message = ActionMessage(action_id, gettext(SAVED), True)
    return _plan(request, results_context(page, message=message), 200, f"action-{action_id}")
