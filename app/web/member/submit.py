"""Submitting a self-assessment, the history of submitted revisions, and reopening one."""

from collections import Counter
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.auth.deps import SessionDep, SettingsDep, WebAdvisor, WebMember, WebUser
from app.i18n import gettext, localised
from app.models.vocabulary import AssessmentStatus, Role
from app.services.assessment import submission
from app.services.assessment.receipt import submit_with_receipt
from app.services.assessment.reopen_notice import reopen_with_notice
from app.services.errors import Conflict, Invalid, NotFound
from app.services.fields import RowId
from app.services.users import get_user
from app.web.forms import FormDep, field_errors, refusal_status, text_of
from app.web.member.view import Page, load_page, page_context
from app.web.templating import is_htmx, render

router = APIRouter()


@dataclass(frozen=True)
class ProblemLine:
    href: str
    ref: str
    text: str
    message: str


@dataclass(frozen=True)
class ProblemGroup:
    number: int
    title: str
    href: str
    lines: list[ProblemLine]


def problem_groups(page: Page) -> list[ProblemGroup]:
    """The problems per requirement, each linking to the indicator it is about."""
    nodes = {node.id: node for node in page.view.catalogue.iter_indicators()}
    groups: dict[int, list[ProblemLine]] = {}
    for problem in page.problems:
        node = nodes.get(problem.indicator_key)
        groups.setdefault(problem.requirement_number, []).append(ProblemLine(
            f"{page.base}/requirements/{problem.requirement_number}#{problem.indicator_key}",
            problem.indicator_ref, localised(node, "text") if node else "",
            gettext(problem.message())))
    return [ProblemGroup(number, localised(page.node(page.requirement(number)), "title"),
                         f"{page.base}/requirements/{number}", lines)
            for number, lines in sorted(groups.items())]


def injunction_lines(page: Page) -> list[ProblemLine]:
    """What the injunction report still lacks, each linking to its field."""
    labels = {"kind": gettext("Hvad det drejede sig om"), "description": gettext("Beskrivelse")}
    return [ProblemLine(f"{page.base}/injunction#{gap.field}", "", labels[gap.field],
                        gap.text()) for gap in page.injunction_gaps]


def _submit_page(request: Request, page: Page, *, message: str = "",
                 confirming: bool = False, version: int | str | None = None,
                 status_code: int = 200) -> Response:
    return render(request, "assessment/submit.html", {
        **page_context(page, "submit"), "groups": problem_groups(page),
        "injunction_lines": injunction_lines(page),
        "problem_count": len(page.problems) + len(page.injunction_gaps), "message": message,
        "counts": Counter(problem.code for problem in page.problems),
        "is_member": page.user.role == Role.MEMBER, "confirming": confirming,
        "version": page.assessment.version if version is None else version,
    }, block="ready" if confirming else None, status_code=status_code)


def _ready(page: Page) -> bool:
    return (page.editable and not page.problems and not page.injunction_gaps)


def _redirect(request: Request, url: str) -> Response:
    """303 for a plain browser; htmx would swap what a redirect answers, so it is told."""
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


@router.get("/assessments/{assessment_id}/submit")
def submit_page(request: Request, assessment_id: RowId, user: WebUser,
                session: SessionDep) -> Response:
    return _submit_page(request, load_page(session, user, assessment_id))


@router.get("/assessments/{assessment_id}/submit/confirm")
def confirm_page(request: Request, assessment_id: RowId, user: WebMember,
                 session: SessionDep) -> Response:
    """Asks once before the submit, which cannot be undone; the version is the one the
    member saw on the submit page, so changes saved meanwhile still stop the submit."""
    page = load_page(session, user, assessment_id)
    if not _ready(page):
        return _redirect(request, f"{page.base}/submit")
    seen = request.query_params.get("version", "")
    return _submit_page(request, page, confirming=True,
                        version=seen if seen.isdigit() else None)


@router.post("/assessments/{assessment_id}/submit")
def submit(request: Request, assessment_id: RowId, user: WebMember, session: SessionDep,
           settings: SettingsDep, form: FormDep) -> Response:
    version = text_of(form, "version")
    if text_of(form, "confirmed") != "yes":
        # Only the confirmation step submits; anything else is asked first.
        load_page(session, user, assessment_id)
        return _redirect(request, f"/assessments/{assessment_id}/submit/confirm?"
                                  f"version={version if version.isdigit() else ''}")
    try:
        submit_with_receipt(session=session, settings=settings, assessment_id=assessment_id,
                            user=user, version=version)
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _submit_page(request, load_page(session, user, assessment_id),
                            message=exc.text(),
                            status_code=refusal_status(exc))
    return _redirect(request, f"/assessments/{assessment_id}/results")


@dataclass(frozen=True)
class RevisionLine:
    number: int
    submitted_at: object
    submitted_by: str
    reopened_at: object
    reopened_by: str
    reopen_reason: str


def _name(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return "–"
    try:
        return get_user(session=session, user_id=user_id).name
    except NotFound:
        return "–"


def _history_page(request: Request, session: Session, page: Page, *, errors: dict | None = None,
                  reason: str = "", message: str = "", status_code: int = 200) -> Response:
    lines = [RevisionLine(r.number, r.submitted_at, _name(session, r.submitted_by_id),
                          r.reopened_at, _name(session, r.reopened_by_id), r.reopen_reason)
             for r in submission.revisions(session, page.assessment)]
    can_reopen = (page.user.role in (Role.ADVISOR, Role.ADMIN)
                  and page.assessment.status == AssessmentStatus.SUBMITTED)
    return render(request, "assessment/history.html", {
        **page_context(page, ""), "revisions": lines, "can_reopen": can_reopen,
        "errors": errors or {}, "reason": reason, "message": message,
        "reopened": request.query_params.get("reopened") == "1",
    }, status_code=status_code)


@router.get("/assessments/{assessment_id}/history")
def history(request: Request, assessment_id: RowId, user: WebUser,
            session: SessionDep) -> Response:
    return _history_page(request, session, load_page(session, user, assessment_id))


@router.post("/assessments/{assessment_id}/reopen")
def reopen(request: Request, assessment_id: RowId, user: WebAdvisor, session: SessionDep,
           settings: SettingsDep, form: FormDep) -> Response:
    reason = text_of(form, "reason")
    try:
        reopen_with_notice(session=session, settings=settings, assessment_id=assessment_id,
                           user=user, reason=reason)
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _history_page(request, session, load_page(session, user, assessment_id),
                             errors=field_errors(exc), reason=reason, message=exc.text(),
                             status_code=refusal_status(exc))
    return RedirectResponse(f"/assessments/{assessment_id}/history?reopened=1",
                            status_code=303)
