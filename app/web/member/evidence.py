"""Evidence on the requirement page: add a file or a link, remove one, download a file.

htmx posts the small forms and swaps the evidence block it gets back (refusals at 422/409
with what was typed). Without htmx a success redirects to the requirement page and a
refusal shows the whole page again with the error in the block.
"""

from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import UploadFile

from app.auth.deps import SessionDep, SettingsDep, WebMember, WebUser
from app.i18n import gettext
from app.models import Requirement, User
from app.models.vocabulary import EvidenceKind
from app.services.assessment.evidence import (
    add_file_evidence,
    add_link_evidence,
    download_content_type,
    download_headers,
    evidence_for_download,
    remove_evidence,
)
from app.services.assessment.file_types import ACCEPT
from app.services.errors import Conflict, Invalid, NotFound
from app.services.fields import RowId
from app.web.forms import FormDep, refusal_status, text_of
from app.web.member.view import Page, load_page, requirement_context
from app.web.templating import is_htmx, render

router = APIRouter()

PARTIAL = "assessment/_evidence.html"
PAGE = "assessment/requirement.html"


@dataclass
class EvidenceForm:
    """What the evidence block shows beyond the saved list: a refusal with what was typed,
    or a confirmation. `kind` says which of the two forms it belongs to."""

    requirement_key: str
    kind: EvidenceKind = EvidenceKind.FILE
    url: str = ""
    title: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""
    notice: str = ""


def _requirement(page: Page, key: str) -> Requirement:
    for requirement in page.view.requirements:
        if requirement.key == key:
            return requirement
    raise NotFound(gettext("Fordringen findes ikke."))


def anchor(requirement: Requirement) -> str:
    return "evidence-" + requirement.key.replace(".", "_")


def _back(page: Page, requirement: Requirement) -> RedirectResponse:
    return RedirectResponse(f"{page.base}/requirements/{requirement.number}#{anchor(requirement)}",
                            status_code=303)


def _refused(form: EvidenceForm, exc: Invalid | Conflict) -> EvidenceForm:
    """The form as typed, with each error at its field; the rest as one message."""
    shown = ("file", "url", "title")
    errors: dict[str, str] = {}
    for error in exc.errors:
        errors.setdefault(error.field.split(".")[-1], error.text())
    form.errors = {name: text for name, text in errors.items() if name in shown}
    others = [text for name, text in errors.items() if name not in shown]
    form.message = " ".join(others) or ("" if form.errors else exc.text())
    return form


def _block(request: Request, session: Session, user: User, assessment_id: int,
           requirement: Requirement, form: EvidenceForm | None, status_code: int = 200
           ) -> Response:
    """The evidence block alone for htmx; the whole requirement page otherwise."""
    page = load_page(session, user, assessment_id)
    context = {"view": page.view, "requirement": requirement, "editable": page.editable,
               "evidence_form": form, "evidence_accept": ACCEPT}
    if is_htmx(request):
        return render(request, PARTIAL, context, status_code=status_code)
    full = requirement_context(session, page, requirement)
    return render(request, PAGE, {**full, **context}, status_code=status_code)


@router.post("/assessments/{assessment_id}/requirements/{requirement_key}/evidence")
def add_evidence(request: Request, assessment_id: RowId, requirement_key: str, user: WebMember,
                 session: SessionDep, settings: SettingsDep, form: FormDep) -> Response:
    page = load_page(session, user, assessment_id)
    requirement = _requirement(page, requirement_key)
    kind = EvidenceKind.LINK if text_of(form, "kind") == EvidenceKind.LINK else EvidenceKind.FILE
    title = text_of(form, "title")
    state = EvidenceForm(requirement.key, kind=kind, url=text_of(form, "url"), title=title)
    try:
        if kind is EvidenceKind.LINK:
            added = add_link_evidence(session=session, assessment_id=assessment_id,
                                      requirement_key=requirement.key, user=user,
                                      url=state.url, title=title)
        else:
            upload = form.get("file")
            chosen = isinstance(upload, UploadFile) and bool(upload.filename)
            added = add_file_evidence(
                session=session, settings=settings, assessment_id=assessment_id,
                requirement_key=requirement.key, user=user,
                filename=upload.filename if chosen else "",
                content=upload.file if chosen else b"", title=title)
    except (Invalid, Conflict) as exc:
        status = refusal_status(exc)
        if status == 409 and not is_htmx(request):
            raise
        return _block(request, session, user, assessment_id, requirement,
                      _refused(state, exc), status)
    if not is_htmx(request):
        return _back(page, requirement)
    notice = gettext("«%(title)s» er tilføjet.", title=added.title)
    return _block(request, session, user, assessment_id, requirement,
                  EvidenceForm(requirement.key, kind=kind, notice=notice))


@router.post("/assessments/{assessment_id}/evidence/{evidence_id}/delete")
def delete_evidence(request: Request, assessment_id: RowId, evidence_id: RowId, user: WebMember,
                    session: SessionDep, settings: SettingsDep) -> Response:
    page = load_page(session, user, assessment_id)
    by_id = {r.id: r for r in page.view.requirements}
    items = {e.id: e for group in page.view.evidence.values() for e in group}
    if evidence_id not in items:
        raise NotFound(gettext("Dokumentationen findes ikke."))
    requirement = by_id[items[evidence_id].requirement_id]
    try:
        removed = remove_evidence(session=session, settings=settings, user=user,
                                  evidence_id=evidence_id, assessment_id=assessment_id)
    except Conflict as exc:
        if not is_htmx(request):
            raise
        return _block(request, session, user, assessment_id, requirement,
                      _refused(EvidenceForm(requirement.key), exc), 409)
    if not is_htmx(request):
        return _back(page, requirement)
    notice = gettext("«%(title)s» er fjernet.", title=removed.title)
    return _block(request, session, user, assessment_id, requirement,
                  EvidenceForm(requirement.key, notice=notice))


@router.get("/evidence/{evidence_id}/download")
def download_evidence(evidence_id: RowId, user: WebUser, session: SessionDep,
                      settings: SettingsDep) -> Response:
    evidence, path = evidence_for_download(session=session, settings=settings, user=user,
                                           evidence_id=evidence_id)
    return FileResponse(path, media_type=download_content_type(evidence),
                        headers=download_headers(evidence))
