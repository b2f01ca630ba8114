"""All of an organisation's data as a ZIP: from the member's home page and the admin's
organisation page (the service decides who may have which organisation's)."""

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from app.auth.deps import SessionDep, SettingsDep, WebUser
from app.services.data_export import export_organisation
from app.services.fields import RowId

router = APIRouter()


@router.get("/organisations/{organisation_id}/data.zip", response_class=FileResponse)
def download_organisation_data(organisation_id: RowId, user: WebUser, session: SessionDep,
                               settings: SettingsDep) -> FileResponse:
    export = export_organisation(session=session, settings=settings, user=user,
                                 organisation_id=organisation_id)
    # Streamed from the temporary file, which goes once it has been sent (or the send failed).
    return FileResponse(
        export.path, media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"; '
                                        f"filename*=UTF-8''{quote(export.filename)}",
                 "Cache-Control": "private, no-store"},
        background=BackgroundTask(export.path.unlink, missing_ok=True))
