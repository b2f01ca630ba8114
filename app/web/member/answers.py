"""Autosave: one answer or one reflection at a time, answered with its block of the page.

htmx posts a single field's inputs and swaps the block it gets back: saved ("Gemt kl."),
refused with the error at the field (422), or beside a colleague's newer value (409).
Without htmx the same addresses answer with the whole page or a redirect to it.
"""

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.auth.deps import SessionDep, WebMember, WebUser
from app.services.assessment.answers import save_answer, save_reflection
from app.services.errors import Conflict, Invalid
from app.services.fields import RowId
from app.web.forms import FormDep, refusal_status, text_of
from app.web.member.view import (
    answer_data,
    load_page,
    refused_answer,
    refused_reflection,
    requirement_context,
    saved_answer,
    saved_reflection,
)
from app.web.templating import is_htmx, render

router = APIRouter()

TEMPLATE = "assessment/requirement.html"


def _status(exc: Invalid | Conflict | None) -> int:
    if exc is None:
        return 200
    return refusal_status(exc)


@router.post("/assessments/{assessment_id}/answers/{indicator_key}")
def save_one_answer(request: Request, assessment_id: RowId, indicator_key: str, user: WebMember,
                    session: SessionDep, form: FormDep) -> Response:
    choice = text_of(form, f"answer.{indicator_key}")
    comment = text_of(form, f"comment.{indicator_key}")
    version = text_of(form, f"version.{indicator_key}")
    keep = text_of(form, f"keep.{indicator_key}")
    error = None
    try:
        save_answer(session=session, assessment_id=assessment_id, indicator_key=indicator_key,
                    user=user, data=answer_data(choice, comment, keep or version))
    except (Invalid, Conflict) as exc:
        error = exc
    page = load_page(session, user, assessment_id)
    requirement, indicator = page.requirement_of(indicator_key)
    if error is None:
        if not is_htmx(request):
            return RedirectResponse(f"{page.base}/requirements/{requirement.number}"
                                    f"#{indicator_key}", status_code=303)
        field = replace(saved_answer(page, indicator), state="saved")
    else:
        field = refused_answer(session, page, indicator=indicator, exc=error, choice=choice,
                               comment=comment, version=version,
                               seen=text_of(form, f"seen.{indicator_key}"))
    context = requirement_context(session, page, requirement, answers={indicator_key: field})
    return render(request, TEMPLATE, {**context, "field": field, "oob": is_htmx(request)},
                  block="answer", status_code=_status(error))


@router.get("/assessments/{assessment_id}/answers/{indicator_key}")
def saved_answer_block(request: Request, assessment_id: RowId, indicator_key: str, user: WebUser,
                       session: SessionDep) -> Response:
    """The saved value, for "use the colleague's version": replaces what the person typed."""
    page = load_page(session, user, assessment_id)
    requirement, indicator = page.requirement_of(indicator_key)
    if not is_htmx(request):
        return RedirectResponse(f"{page.base}/requirements/{requirement.number}"
                                f"#{indicator_key}", status_code=303)
    field = replace(saved_answer(page, indicator, preserve=False), state="taken")
    context = requirement_context(session, page, requirement, answers={indicator_key: field})
    return render(request, TEMPLATE, {**context, "field": field, "oob": True}, block="answer")


@router.post("/assessments/{assessment_id}/reflections/{number}")
def save_one_reflection(request: Request, assessment_id: RowId, number: RowId, user: WebMember,
                        session: SessionDep, form: FormDep) -> Response:
    requirement = load_page(session, user, assessment_id).requirement(number)
    works, improve = text_of(form, "what_works"), text_of(form, "what_to_improve")
    version = text_of(form, "reflection_version")
    keep = text_of(form, "keep_reflection")
    error = None
    try:
        save_reflection(session=session, assessment_id=assessment_id,
                        requirement_key=requirement.key, user=user,
                        data={"what_works": works, "what_to_improve": improve,
                              "version": keep or version})
    except (Invalid, Conflict) as exc:
        error = exc
    page = load_page(session, user, assessment_id)
    if error is None:
        if not is_htmx(request):
            return RedirectResponse(f"{page.base}/requirements/{number}#reflection",
                                    status_code=303)
        reflection = replace(saved_reflection(page, requirement), state="saved")
    else:
        reflection = refused_reflection(session, page, requirement, exc=error,
                                        what_works=works, what_to_improve=improve,
                                        version=version, seen=text_of(form, "reflection_seen"))
    context = requirement_context(session, page, requirement, reflection=reflection)
    return render(request, TEMPLATE, {**context, "oob": is_htmx(request)}, block="reflection",
                  status_code=_status(error))


@router.get("/assessments/{assessment_id}/reflections/{number}")
def saved_reflection_block(request: Request, assessment_id: RowId, number: RowId, user: WebUser,
                           session: SessionDep) -> Response:
    page = load_page(session, user, assessment_id)
    requirement = page.requirement(number)
    if not is_htmx(request):
        return RedirectResponse(f"{page.base}/requirements/{number}#reflection",
                                status_code=303)
    reflection = replace(saved_reflection(page, requirement, preserve=False), state="taken")
    context = requirement_context(session, page, requirement, reflection=reflection)
    return render(request, TEMPLATE, {**context, "oob": True}, block="reflection")
