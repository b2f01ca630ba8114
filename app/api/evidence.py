"""Evidence in the JSON API: list, add (a file or a link), download and remove."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel

from app.api.deps import OwnAssessment
from app.api.errors import documented_error
from app.auth.deps import ApiMember, ApiUser, SessionDep, SettingsDep
from app.models import Evidence
from app.services.assessment.evidence import (
    add_evidence,
    download_content_type,
    download_headers,
    evidence_for_download,
    list_evidence,
    remove_evidence,
)
from app.services.assessment.file_types import ALLOWED
from app.services.fields import RowId

router = APIRouter(tags=["evidence"])
# Every accepted type, and bytes for a stored file of a type no longer accepted.
DOWNLOAD_TYPES = [*(t.content_type for t in ALLOWED), "application/octet-stream"]


class EvidenceOut(BaseModel):
    id: int
    assessment_id: int
    requirement_id: str
    kind: str
    title: str
    url: str | None
    filename: str | None
    content_type: str | None
    size_bytes: int | None
    download_url: str | None  # null for a link, and for a file removed after retention
    created_at: datetime
    file_removed_at: datetime | None = None


def _out(evidence: Evidence, requirement_key: str) -> EvidenceOut:
    is_file = evidence.kind == "file"
    return EvidenceOut(
        id=evidence.id, assessment_id=evidence.assessment_id, requirement_id=requirement_key,
        kind=evidence.kind, title=evidence.title, url=None if is_file else evidence.url,
        filename=evidence.filename if is_file else None,
        content_type=evidence.content_type if is_file else None,
        size_bytes=evidence.size_bytes if is_file else None,
        download_url=(f"/api/v1/evidence/{evidence.id}"
                      if is_file and evidence.file_removed_at is None else None),
        created_at=evidence.created_at, file_removed_at=evidence.file_removed_at,
    )


@router.get("/assessments/{assessment_id}/evidence")
def read_evidence(assessment_id: RowId, user: ApiUser, session: SessionDep) -> list[EvidenceOut]:
    return [_out(evidence, key) for evidence, key in
            list_evidence(session=session, user=user, assessment_id=assessment_id)]


@router.post(
    "/assessments/{assessment_id}/evidence", status_code=201,
    responses={409: {"description": "The assessment is submitted"},
               413: {"description": "The request is larger than the upload limit"},
               422: {"description": "Not a PDF, Word, Excel, PNG or JPEG file, too large, "
                                    "empty, or a link that is not http(s)"}},
)
def post_evidence(
    own: OwnAssessment, user: ApiMember, session: SessionDep, settings: SettingsDep,
    requirement_id: Annotated[str, Form(description="The requirement's key")],
    file: Annotated[UploadFile | None, File(description="PDF, Word, Excel, PNG or JPEG; "
                                                        "checked by content")] = None,
    url: Annotated[str, Form(description="An http(s) link, instead of a file")] = "",
    title: Annotated[str, Form(description="Required for a link; a file's name otherwise",
                               max_length=1000)] = "",
) -> EvidenceOut:
    evidence = add_evidence(
        session=session, settings=settings, assessment_id=own.id,
        requirement_key=requirement_id, user=user, title=title,
        filename=file.filename if file else None, content=file.file if file else None,
        url=url or None)
    return _out(evidence, requirement_id)


@router.get("/evidence/{evidence_id}", response_class=FileResponse,
            responses={200: {"description": "The file, as an attachment, with its real type",
                             "content": {kind: {"schema": {"type": "string",
                                                           "format": "binary"}}
                                         for kind in DOWNLOAD_TYPES}}})
def download(evidence_id: RowId, user: ApiUser, session: SessionDep,
             settings: SettingsDep) -> Response:
    evidence, path = evidence_for_download(session=session, settings=settings, user=user,
                                           evidence_id=evidence_id)
    return FileResponse(path, media_type=download_content_type(evidence),
                        headers=download_headers(evidence))


@router.delete("/evidence/{evidence_id}", status_code=204,
               responses=documented_error(409, "The assessment is submitted"))
def delete(evidence_id: RowId, user: ApiMember, session: SessionDep,
           settings: SettingsDep) -> Response:
    remove_evidence(session=session, settings=settings, user=user, evidence_id=evidence_id)
    return Response(status_code=204)
