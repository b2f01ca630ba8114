"""The member's self-assessment form: start it, one requirement per page, last year's answers.

With JavaScript every field saves itself (app/web/member/answers.py); without it the
requirement page is one plain form, saved here field by field through the same services.
"""

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.auth.deps import SessionDep, WebMember, WebUser
from app.clock import TodayDep
from app.i18n import N_, gettext, ngettext
from app.models import Requirement, User
from app.services.assessment.answers import save_answer, save_reflection
from app.services.assessment.carry_over import carry_over_last_year, confirm_carried_over
from app.services.assessment.start import start_assessment
from app.services.errors import Conflict, Invalid
from app.services.fields import RowId
from app.web.forms import FormDep, text_of
from app.web.member.view import (
    Page,
    answer_data,
    choice_of,
    fingerprint,
    load_page,
    neighbours,
    next_step,
    refused_answer,
    refused_reflection,
    requirement_context,
    saved_answer,
)
from app.web.templating import is_htmx, render

router = APIRouter()

LOCKED = N_("Selvevalueringen er indsendt og kan ikke længere ændres.")
CONFLICTS = N_("En kollega har gemt noget af det samme imens. Vælg, hvilken version der skal "
               "gælde.")
NOT_SAVED = N_("Noget skal rettes, før det kan gemmes.")


@router.post("/assessments")
def start(user: WebMember, session: SessionDep, today: TodayDep, form: FormDep) -> Response:
    assessment, _ = start_assessment(session=session, user=user,
                                     cycle_id=text_of(form, "cycle_id"), today=today)
    return RedirectResponse(next_step(load_page(session, user, assessment.id)), status_code=303)


@router.get("/assessments/{assessment_id}/requirements/{number}")
def requirement_page(request: Request, assessment_id: RowId, number: RowId, user: WebUser,
                     session: SessionDep) -> Response:
    page = load_page(session, user, assessment_id)
    requirement = page.requirement(number)
    context = requirement_context(session, page, requirement)
    carried = request.query_params.get("carried", "")
    if carried.isdecimal():
        context["notice"] = ngettext(
            "Der er hentet %(num)s svar fra sidste år. Læs dem, og bekræft eller ret dem: ét ad "
            "gangen, eller alle i en fordring på én gang nederst på dens side.",
            "Der er hentet %(num)s svar fra sidste år. Læs dem, og bekræft eller ret dem: ét ad "
            "gangen, eller alle i en fordring på én gang nederst på dens side.",
            int(carried)) if int(carried) else gettext(
            "Der var ingen svar fra sidste år at hente til denne selvevaluering.")
    confirmed = request.query_params.get("confirmed", "")
    if confirmed.isdecimal():
        context["carried_confirmed"] = int(confirmed)
    return render(request, "assessment/requirement.html", context)


@router.post("/assessments/{assessment_id}/requirements/{number}")
def save_requirement(request: Request, assessment_id: RowId, number: RowId, user: WebMember,
                     session: SessionDep, form: FormDep) -> Response:
    """The whole requirement as one plain form: saves each field the person changed."""
    page = load_page(session, user, assessment_id)
    requirement = page.requirement(number)
    if not page.editable:
        raise Conflict(LOCKED)
    refused, saved_keys = _save_answers(session, page, requirement, user, form)
    refused_text = _save_reflection(session, page, requirement, user, form)
    if refused or refused_text:
        fresh = load_page(session, user, assessment_id)
        answers = {key: refused_answer(session, fresh, **kw) for key, kw in refused.items()}
        reflection = (refused_reflection(session, fresh, requirement, **refused_text)
                      if refused_text else None)
        context = requirement_context(session, fresh, requirement, answers=answers,
                                      reflection=reflection)
        states = [f.state for f in answers.values()] + ([reflection.state] if reflection else [])
        only_conflicts = all(state == "conflict" for state in states)
        context["message"] = gettext(CONFLICTS if only_conflicts else NOT_SAVED)
        return render(request, "assessment/requirement.html", context,
                      status_code=409 if only_conflicts else 422)
    if "confirm_all" in form:
        return _confirm_all(request, session, user, assessment_id, number, form,
                            saved_now=saved_keys)
    chosen = (text_of(form, "confirm") or text_of(form, "theirs")
              or next((name[5:] for name in form if name.startswith("keep.")), "")
              or ("reflection" if text_of(form, "keep_reflection") else ""))
    if chosen:
        return RedirectResponse(f"{page.base}/requirements/{number}#{chosen}", status_code=303)
    return RedirectResponse(neighbours(page, requirement)[1], status_code=303)


def _save_answers(session: Session, page: Page, requirement: Requirement, user: User,
                  form) -> tuple[dict[str, dict], list[str]]:
    """Saves every changed answer; returns, per refused key, what to show it again with,
    and the keys saved."""
    refused, saved_keys = {}, []
    confirm, theirs = text_of(form, "confirm"), text_of(form, "theirs")
    for indicator in page.view.indicators_of(requirement.id):
        key = indicator.key
        if theirs == key:
            continue
        choice, comment = text_of(form, f"answer.{key}"), text_of(form, f"comment.{key}")
        version, seen = text_of(form, f"version.{key}"), text_of(form, f"seen.{key}")
        keep = text_of(form, f"keep.{key}")
        saved = page.view.answers.get(indicator.id)
        typed = fingerprint(choice, comment)
        untouched = typed in (seen, fingerprint(choice_of(saved), saved.comment if saved else ""))
        if untouched and not keep and confirm != key:
            continue
        try:
            save_answer(session=session, assessment_id=page.assessment.id, indicator_key=key,
                        user=user, data=answer_data(choice, comment, keep or version))
        except (Invalid, Conflict) as exc:
            refused[key] = {"indicator": indicator, "exc": exc, "choice": choice,
                            "comment": comment, "version": version, "seen": seen}
        else:
            saved_keys.append(key)
    return refused, saved_keys


def _save_reflection(session: Session, page: Page, requirement: Requirement, user: User,
                     form) -> dict | None:
    if text_of(form, "theirs") == "reflection" or "reflection_version" not in form:
        return None
    works, improve = text_of(form, "what_works"), text_of(form, "what_to_improve")
    version, seen = text_of(form, "reflection_version"), text_of(form, "reflection_seen")
    keep = text_of(form, "keep_reflection")
    saved = page.view.reflections.get(requirement.id)
    typed = fingerprint(works, improve)
    current = fingerprint(saved.what_works, saved.what_to_improve) if saved else fingerprint("", "")
    if typed in (seen, current) and not keep:
        return None
    try:
        save_reflection(session=session, assessment_id=page.assessment.id,
                        requirement_key=requirement.key, user=user,
                        data={"what_works": works, "what_to_improve": improve,
                              "version": keep or version})
    except (Invalid, Conflict) as exc:
        return {"exc": exc, "what_works": works, "what_to_improve": improve,
                "version": version, "seen": seen}
    return None


@router.post("/assessments/{assessment_id}/carry-over")
def carry_over(request: Request, assessment_id: RowId, user: WebMember,
               session: SessionDep) -> Response:
    try:
        count = carry_over_last_year(session=session, assessment_id=assessment_id, user=user)
    except (Invalid, Conflict) as exc:
        # Shown here, while the session is open: the service rolled back, expiring `user`.
        page = load_page(session, user, assessment_id)
        context = requirement_context(session, page, page.view.requirements[0])
        return render(request, "assessment/requirement.html", {**context, "problem": exc.text()},
                      status_code=exc.status_code)
    page = load_page(session, user, assessment_id)
    first = page.view.requirements[0].number
    return RedirectResponse(f"{page.base}/requirements/{first}?carried={count}",
                            status_code=303)


def _seen_versions(page: Page, requirement: Requirement, form, saved_now: list[str]) -> dict:
    """The version each field of the requirement was read at: its own saves move it on,
    and so does saving it in this very request (the plain form)."""
    seen = {i.key: value for i in page.view.indicators_of(requirement.id)
            if (value := text_of(form, f"version.{i.key}")).isdecimal()}
    seen |= {key: str(page.assessment.version) for key in saved_now}
    return {"version": min(seen.values(), key=int, default=text_of(form, "confirm_all")),
            "seen": seen}


def _confirm_all(request: Request, session: Session, user: User, assessment_id: int,
                 number: int, form, saved_now: list[str] | None = None) -> Response:
    page = load_page(session, user, assessment_id)
    requirement = page.requirement(number)
    seen = _seen_versions(page, requirement, form, saved_now or [])
    try:
        _, count = confirm_carried_over(session=session, user=user, assessment_id=assessment_id,
                                        requirement_key=requirement.key, data=seen)
    except (Invalid, Conflict) as exc:
        fresh = load_page(session, user, assessment_id)
        context = requirement_context(session, fresh, requirement,
                                      answers=_as_saved_now(fresh, exc.data.get("changed", [])))
        problem = {} if is_htmx(request) else {"problem": exc.text()}
        return render(request, "assessment/requirement.html",
                      {**context, **problem, "carried_problem": exc.text(),
                       "answers_oob": is_htmx(request)},
                      block="answers", status_code=exc.status_code)
    if not is_htmx(request):
        return RedirectResponse(f"{page.base}/requirements/{number}?confirmed={count}"
                                "#confirm-carried", status_code=303)
    fresh = load_page(session, user, assessment_id)
    context = requirement_context(session, fresh, requirement)
    return render(request, "assessment/requirement.html",
                  {**context, "carried_confirmed": count, "answers_oob": True}, block="answers")


def _as_saved_now(page: Page, keys: list[str]) -> dict:
    """The answers changed since the person read them show what is saved now, marked, and
    not what the browser still has; every other field keeps what was typed."""
    fields = {}
    for key in keys:
        _, indicator = page.requirement_of(key)
        fields[key] = replace(saved_answer(page, indicator), preserve=False, state="changed")
    return fields


@router.post("/assessments/{assessment_id}/requirements/{number}/confirm-carried-over")
def confirm_all_carried_over(request: Request, assessment_id: RowId, number: RowId,
                             user: WebMember, session: SessionDep, form: FormDep) -> Response:
    """All of last year's answers in one requirement at once (htmx; the plain form posts the
    requirement with `confirm_all`, so what else was typed is saved too)."""
    return _confirm_all(request, session, user, assessment_id, number, form)
