"""Admin: the sector reference figures – the list, a form for one figure, a CSV import with
a preview (as the member import), and deleting a figure."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.auth.deps import SessionDep, WebAdmin
from app.i18n import N_, gettext
from app.models import SectorReference
from app.models.vocabulary import ProviderGroup
from app.services import reference_import, sector_reference
from app.services.csv_import import ImportRefused
from app.services.errors import Conflict, Invalid
from app.services.fields import MAX_ROW_ID, NoNul, RowId
from app.web.forms import FormDep, field_errors, text_of
from app.web.templating import render

router = APIRouter(prefix="/admin/references")

MAX_FILE_BYTES = 300_000
EXAMPLE_FILENAME = "referencetal-eksempel.csv"
FIELDS = ("source", "year", "theme_key", "provider_group", "mean")
NOTICES = {
    "created": N_("Referencetallet er gemt."),
    "updated": N_("Referencetallet fandtes allerede; gennemsnittet er rettet."),
    "deleted": N_("Referencetallet er slettet."),
}
# What each column holds, shown on the page: (column, required, description).
COLUMN_HELP = [
    ("source", True, N_("Hvor tallet kommer fra, fx »Socialstyrelsen, Tilbudsportalen«.")),
    ("year", True, N_("Det år, tallet gælder for.")),
    ("theme", True, N_("Temaet i kvalitetsmodellen: id'et eller navnet, se listen.")),
    ("provider_group", False, N_("Hvilke tilbud tallet dækker: all, public eller "
                                 "non_public (eller navnet). Tom betyder alle tilbud.")),
    ("mean", True, N_("Gennemsnitlig score på skalaen 1–5, med komma eller punktum.")),
]


def _example(session: Session) -> str:
    themes = sector_reference.quality_themes(session)[:2]
    lines = ["source;year;theme;provider_group;mean"]
    for theme, (group, mean) in zip(themes, [("public", "3,6"), ("non_public", "3,9")],
                                    strict=False):
        lines.append(f"Eksempelkilde;2025;{theme.key};{group};{mean}")
    return "\r\n".join(lines) + "\r\n"


def _series(rows: list[SectorReference], themes) -> list[list[SectorReference]]:
    """The figures by year, source and provider group (newest first), each in theme order."""
    order = {t.key: t.number for t in themes}
    groups: dict[tuple, list[SectorReference]] = {}
    for row in rows:
        groups.setdefault((row.year, row.source, row.provider_group), []).append(row)
    return [sorted(g, key=lambda r: order.get(r.theme_key, 99)) for g in groups.values()]


def _page(request: Request, session: Session, *, values=None, error: Invalid | None = None,
          check=None, summary=None, upload_error: str = "", status_code: int = 200
          ) -> Response:
    themes = sector_reference.quality_themes(session)
    rows = sector_reference.list_references(session=session, user=None)
    notice = next((gettext(text) for key, text in NOTICES.items()
                   if key in request.query_params), "")
    return render(request, "admin/references.html", {
        "references": _series(rows, themes), "reference_count": len(rows),
        "themes": themes, "theme_titles": {t.key: t.title for t in themes},
        "theme_options": [(t.key, f"{t.number}. {t.title}") for t in themes],
        "groups": [(g.value, g.label) for g in ProviderGroup],
        "values": values or {"provider_group": ProviderGroup.ALL.value},
        "errors": field_errors(error), "error": error.text() if error else "",
        "notice": notice, "check": check, "summary": summary, "upload_error": upload_error,
        "columns": [(name, required, gettext(text), sorted(
            a for a, c in reference_import.COLUMN_ALIASES.items() if c == name))
            for name, required, text in COLUMN_HELP],
        "max_rows": reference_import.MAX_ROWS,
    }, status_code=status_code)


Count = Annotated[int | None, Query(ge=0, le=MAX_ROW_ID)]


@router.get("")
def references_page(request: Request, _admin: WebAdmin, session: SessionDep,
                    created_count: Count = None, updated_count: Count = None) -> Response:
    summary = None
    if created_count is not None or updated_count is not None:
        summary = reference_import.ReferenceImportSummary(created_count or 0,
                                                          updated_count or 0)
    return _page(request, session, summary=summary)


@router.post("")
def save_reference(request: Request, admin: WebAdmin, session: SessionDep,
                   form: FormDep) -> Response:
    values = {name: text_of(form, name).strip() for name in FIELDS}
    data = {name: value for name, value in values.items() if value}
    try:
        _row, created = sector_reference.save_reference(session=session, user=admin, data=data)
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _page(request, session, values=values, error=exc,
                     status_code=exc.status_code)
    return RedirectResponse(f"{router.prefix}?{'created' if created else 'updated'}=1",
                            status_code=303)


@router.post("/{reference_id:int}/delete")
def delete_reference(admin: WebAdmin, session: SessionDep, reference_id: RowId) -> Response:
    sector_reference.delete_reference(session=session, user=admin, reference_id=reference_id)
    return RedirectResponse(f"{router.prefix}?deleted=1", status_code=303)


@router.get(f"/{EXAMPLE_FILENAME}")
def example_file(_admin: WebAdmin, session: SessionDep) -> Response:
    content = "\ufeff" + _example(session)  # the BOM: Excel reads it as UTF-8
    return Response(content.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="{EXAMPLE_FILENAME}"'})


@router.post("/import")
def preview(request: Request, _admin: WebAdmin, session: SessionDep,
            file: Annotated[UploadFile | None, File()] = None) -> Response:
    """Checks the uploaded file and shows what would be saved; writes nothing."""
    if file is None or not file.filename:
        return _page(request, session, upload_error=gettext("Vælg en CSV-fil."),
                     status_code=422)
    content = file.file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        return _page(request, session, upload_error=gettext(
            "Filen er for stor (højst %(kb)s kB). Del den op i flere filer.",
            kb=MAX_FILE_BYTES // 1000), status_code=422)
    check = reference_import.check_references_csv(session=session, content=content)
    return _page(request, session, check=check, status_code=200 if check.ok else 422)


@router.post("/import/confirm")
def confirm(request: Request, admin: WebAdmin, session: SessionDep,
            content: Annotated[str, Form(max_length=MAX_FILE_BYTES), NoNul]) -> Response:
    """Saves the previewed file: all rows or none, checked again against the database."""
    try:
        summary = reference_import.import_references_csv(
            session=session, user=admin, content=content.encode("utf-8"))
    except ImportRefused as exc:
        check = reference_import.ReferenceImportCheck([], exc.problems)
        return _page(request, session, check=check, status_code=422)
    except Conflict as exc:
        return _page(request, session, upload_error=exc.text(), status_code=409)
    return RedirectResponse(f"{router.prefix}?created_count={summary.created}"
                            f"&updated_count={summary.updated}#import", status_code=303)
