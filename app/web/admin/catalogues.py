"""Admin: catalogue versions, their load status, loading, and the diff between versions."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth.deps import SessionDep, SettingsDep, WebAdmin
from app.services.catalogue import versions as catalogues
from app.services.catalogue.diff import diff_versions
from app.services.catalogue.loading import load_catalogues
from app.web.templating import render

router = APIRouter(prefix="/admin/catalogues")


def _page(request: Request, session, settings, report=None, status_code: int = 200) -> Response:
    return render(request, "catalogue/admin_versions.html", {
        "versions": catalogues.list_versions(session=session),
        "files": catalogues.file_statuses(session=session, root=settings.catalogue_dir),
        "report": report,
    }, status_code=status_code)


@router.get("")
def versions_page(request: Request, _admin: WebAdmin, session: SessionDep,
                  settings: SettingsDep) -> Response:
    return _page(request, session, settings)


@router.post("/load")
def load(request: Request, admin: WebAdmin, session: SessionDep,
         settings: SettingsDep) -> Response:
    report = load_catalogues(session=session, root=settings.catalogue_dir, user=admin)
    return _page(request, session, settings, report, 200 if report.ok else 422)


@router.get("/diff")
def diff_page(request: Request, _admin: WebAdmin, session: SessionDep,
              old: str | None = None, new: str | None = None) -> Response:
    """Compare two stored versions, each given as KEY/VERSION."""
    versions = catalogues.list_versions(session=session)
    context = {"versions": versions, "old": old, "new": new, "diff": None}
    if old and new and "/" in old and "/" in new:
        old_version = catalogues.get_version(session=session, **_split(old))
        new_version = catalogues.get_version(session=session, **_split(new))
        context |= {"diff": diff_versions(old_version.model, new_version.model),
                    "old_version": old_version, "new_version": new_version}
    return render(request, "catalogue/admin_diff.html", context)


def _split(ident: str) -> dict[str, str]:
    key, version = ident.split("/", 1)
    return {"key": key, "version": version}
