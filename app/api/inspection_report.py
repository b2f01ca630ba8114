"""An inspection's report as a PDF, in the JSON API: upload or replace, download, remove."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel

from app.api.inspections import MemberReachable
from app.auth.deps import ApiUser, SessionDep, SettingsDep
from app.models import InspectionReport
from app.services import inspection_report, uploads
from app.services.fields import RowId

router = APIRouter(tags=["inspections"])
PATH = "/organisations/{organisation_id}/inspections/{inspection_id}/report"


class InspectionReportOut(BaseModel):
    inspection_id: int
    filename: str
    content_type: str
    size_bytes: int
    uploaded_at: datetime
    download_url: str


def _out(report: InspectionReport, organisation_id: int) -> InspectionReportOut:
    return InspectionReportOut(
        inspection_id=report.inspection_id, filename=report.filename,
        content_type=report.content_type, size_bytes=report.size_bytes,
        uploaded_at=report.uploaded_at,
        download_url=f"/api/v1{PATH}".format(organisation_id=organisation_id,
                                             inspection_id=report.inspection_id))


@router.put(PATH, dependencies=MemberReachable, responses={
    413: {"description": "The request is larger than the upload limit"},
    422: {"description": "Not a PDF (judged by content), too large, or empty; at `file`"}})
def put_report(organisation_id: RowId, inspection_id: RowId, user: ApiUser,
               session: SessionDep, settings: SettingsDep,
               file: Annotated[UploadFile, File(description="The inspection report as a PDF; "
                                                           "checked by content")]
               ) -> InspectionReportOut:
    """Stores the report, replacing the inspection's earlier one if any."""
    report = inspection_report.put_report(
        session=session, settings=settings, user=user, organisation_id=organisation_id,
        inspection_id=inspection_id, filename=file.filename or "", content=file.file)
    return _out(report, organisation_id)


@router.get(PATH, response_class=FileResponse, responses={
    200: {"description": "The PDF, as an attachment",
          "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
    404: {"description": "No such inspection, no report, or its file was removed after "
                         "the retention period"}})
def download_report(organisation_id: RowId, inspection_id: RowId, user: ApiUser,
                    session: SessionDep, settings: SettingsDep) -> Response:
    report, path = inspection_report.report_for_download(
        session=session, settings=settings, user=user, organisation_id=organisation_id,
        inspection_id=inspection_id)
    return FileResponse(path, media_type="application/pdf",
                        headers=uploads.download_headers(report.filename))


@router.delete(PATH, status_code=204)
def delete_report(organisation_id: RowId, inspection_id: RowId, user: ApiUser,
                  session: SessionDep, settings: SettingsDep) -> Response:
    """Removes the report; the inspection's scores and sanctions stay."""
    inspection_report.delete_report(session=session, settings=settings, user=user,
                                    organisation_id=organisation_id,
                                    inspection_id=inspection_id)
    return Response(status_code=204)
