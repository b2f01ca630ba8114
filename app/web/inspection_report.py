"""An inspection's report as a PDF on the inspection's page: upload or replace, download,
remove. Plain multipart posts that answer 303 back to the page with a confirmation, or the
page again with the refusal at its field (app/web/inspection_form.py renders it)."""

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from app.auth.deps import SessionDep, SettingsDep, WebUser
from app.i18n import N_, gettext
from app.services import inspection_report, inspections, uploads
from app.services.errors import Invalid, NotFound
from app.services.fields import RowId
from app.web.forms import FormDep, field_errors, refusal_status, text_of
from app.web.inspection_form import form_page

router = APIRouter()
PATH = "/organisations/{organisation_id}/inspections/{inspection_id}/report"
NOT_CONFIRMED = N_("Sæt flueben, hvis rapporten skal fjernes.")


def _back(organisation_id: int, inspection_id: int, notice: str) -> RedirectResponse:
    return RedirectResponse(f"/organisations/{organisation_id}/inspections/{inspection_id}"
                            f"?report={notice}#report", status_code=303)


def _refused(request: Request, session, user, organisation_id: int, inspection_id: int,
             errors: dict[str, str], status_code: int) -> Response:
    session.rollback()
    record = inspections.get_inspection(session=session, user=user,
                                        organisation_id=organisation_id,
                                        inspection_id=inspection_id)
    return form_page(request, session, user, organisation_id, record=record,
                     report_errors=errors, status_code=status_code)


@router.post(PATH)
def upload_report(request: Request, organisation_id: RowId, inspection_id: RowId,
                  user: WebUser, session: SessionDep, settings: SettingsDep,
                  form: FormDep) -> Response:
    upload = form.get("file")
    chosen = isinstance(upload, UploadFile) and bool(upload.filename)
    try:
        inspection_report.put_report(
            session=session, settings=settings, user=user, organisation_id=organisation_id,
            inspection_id=inspection_id, filename=upload.filename if chosen else "",
            content=upload.file if chosen else b"")
    except Invalid as exc:
        return _refused(request, session, user, organisation_id, inspection_id,
                        field_errors(exc), refusal_status(exc))
    return _back(organisation_id, inspection_id, "saved")


@router.get(PATH)
def download_report(organisation_id: RowId, inspection_id: RowId, user: WebUser,
                    session: SessionDep, settings: SettingsDep) -> Response:
    report, path = inspection_report.report_for_download(
        session=session, settings=settings, user=user, organisation_id=organisation_id,
        inspection_id=inspection_id)
    return FileResponse(path, media_type="application/pdf",
                        headers=uploads.download_headers(report.filename))


@router.post(PATH + "/delete")
def delete_report(request: Request, organisation_id: RowId, inspection_id: RowId,
                  user: WebUser, session: SessionDep, settings: SettingsDep,
                  form: FormDep) -> Response:
    # Without JavaScript there is no confirm dialog: a ticked box is the confirmation.
    if text_of(form, "confirm") != "yes":
        # Refuses a caller without access, or a missing report, the same way as removing.
        if inspection_report.get_report(session=session, user=user,
                                        organisation_id=organisation_id,
                                        inspection_id=inspection_id) is None:
            raise NotFound(inspection_report.NO_REPORT)
        return _refused(request, session, user, organisation_id, inspection_id,
                        {"confirm": gettext(NOT_CONFIRMED)}, 422)
    inspection_report.delete_report(session=session, settings=settings, user=user,
                                    organisation_id=organisation_id,
                                    inspection_id=inspection_id)
    return _back(organisation_id, inspection_id, "removed")
