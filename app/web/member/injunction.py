"""The injunction step: did Socialtilsynet issue a påbud or skærpet tilsyn this period?"""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.auth.deps import SessionDep, WebMember, WebUser
from app.models.vocabulary import InjunctionKind
from app.services.assessment.answers import save_injunction
from app.services.errors import Conflict, Invalid
from app.services.fields import RowId
from app.web.forms import FormDep, field_errors, refusal_status, text_of, texts_of
from app.web.member.view import Page, load_page, page_context
from app.web.templating import render

router = APIRouter()

_REPORTED = {"yes": True, "no": False}


def _values_of(reported: bool | None, kind: str, description: str) -> dict:
    answer = "" if reported is None else ("yes" if reported else "no")
    return {"reported": answer, "kind": kind, "description": description}


def _page(request: Request, page: Page, *, values: dict | None = None, version=None,
          errors: dict | None = None, message: str = "", theirs: dict | None = None,
          keep_version: int | None = None, status_code: int = 200) -> Response:
    assessment = page.assessment
    saved = _values_of(assessment.injunction_reported, assessment.injunction_kind,
                       assessment.injunction_description)
    if values is None and errors is None:
        # A "yes" saved before its details were required: say at the fields what is missing.
        errors = {gap.field: gap.text() for gap in page.injunction_gaps}
    return render(request, "assessment/injunction.html", {
        **page_context(page, "injunction"), "values": values or saved,
        "version": assessment.version if version is None else version,
        "errors": errors or {}, "message": message, "theirs": theirs,
        "keep_version": keep_version, "kinds": list(InjunctionKind),
        "saved": request.query_params.get("saved") == "1",
        "previous": f"{page.base}/requirements/{page.view.requirements[-1].number}",
    }, status_code=status_code)


@router.get("/assessments/{assessment_id}/injunction")
def injunction_page(request: Request, assessment_id: RowId, user: WebUser,
                     session: SessionDep) -> Response:
    return _page(request, load_page(session, user, assessment_id))


@router.post("/assessments/{assessment_id}/injunction")
def save_injunction_report(request: Request, assessment_id: RowId, user: WebMember,
                           session: SessionDep, form: FormDep) -> Response:
    values = texts_of(form, ("reported", "kind", "description"))
    version, keep = text_of(form, "version"), text_of(form, "keep")
    try:
        save_injunction(session=session, assessment_id=assessment_id, user=user, data={
            "reported": _REPORTED.get(values["reported"], values["reported"]),
            "kind": values["kind"] if values["reported"] == "yes" else "",
            "description": values["description"], "version": keep or version})
    except Invalid as exc:
        return _page(request, load_page(session, user, assessment_id), values=values,
                     version=version, errors=field_errors(exc, aliases={"__root__": "reported"}),
                     message=exc.text(), status_code=refusal_status(exc))
    except Conflict as exc:
        page = load_page(session, user, assessment_id)
        current = exc.data.get("injunction")
        return _page(request, page, values=values, version=version, message=exc.text(),
                     theirs=_values_of(current["reported"], current["kind"],
                                       current["description"]) if current else None,
                     keep_version=page.assessment.version, status_code=refusal_status(exc))
    if keep:
        return RedirectResponse(f"/assessments/{assessment_id}/injunction?saved=1",
                                status_code=303)
    return RedirectResponse(f"/assessments/{assessment_id}/submit", status_code=303)
