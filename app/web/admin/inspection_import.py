"""Admin: inspection scores of several members from CSV – the format, an example file, a
preview, then the import (as the member import: the preview carries the file's text in
its confirm form, so importing needs no second upload and no server-side storage)."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.auth.deps import SessionDep, WebAdmin
from app.clock import TodayDep
from app.i18n import N_, gettext
from app.services import inspection_import
from app.services.csv_import import ImportRefused
from app.services.fields import MAX_ROW_ID, NoNul
from app.services.inspection_import_values import (
    AUTHORITY_NAMES,
    COLUMN_ALIASES,
    SANCTION_NAMES,
    VISIT_KIND_NAMES,
    theme_columns,
)
from app.web.exports import download
from app.web.templating import render

router = APIRouter(prefix="/admin/inspections/import")

MAX_FILE_BYTES = 900_000  # under the request body limit, with room for the form around it
EXAMPLE_FILENAME = "tilsyn-eksempel.csv"
# The example's members are made up; (cvr, name) of each, for the page to say so.
EXAMPLE_MEMBERS = [("12345678", "Egebo Opholdssted"), ("12345678", "Fjordhuset"),
                   ("87654321", "Kildebo Kostskole")]
# Each example row: cvr, name, visited_on, authority, kind, framework_version, theme scores
# by column (the rest empty), sanction, its description and deadline.
EXAMPLE_ROWS = [
    ("12345678", "Egebo Opholdssted", "12-09-2024", "Socialtilsyn Midt", "Anmeldt", "2017",
     {"maalgrupper_metoder_resultater": "3,8", "sundhed_trivsel": "3,2",
      "organisation_ledelse": "4", "kompetencer": "4,2"},
     ("påbud", "Magtanvendelser skal indberettes inden for fristen.", "15-12-2024")),
    ("12345678", "Egebo Opholdssted", "12-09-2024", "Socialtilsyn Midt", "Anmeldt", "2017",
     {"maalgrupper_metoder_resultater": "3,8", "sundhed_trivsel": "3,2",
      "organisation_ledelse": "4", "kompetencer": "4,2"},
     ("skærpet tilsyn", "Skærpet tilsyn i tre måneder.", "")),
    ("12345678", "Fjordhuset", "2025-03-04", "midt", "uanmeldt", "2025",
     {"sundhed_trivsel": "4,5", "fysiske_rammer": "4,8"}, ("", "", "")),
    ("87654321", "", "20-11-2025", "Nord", "Skriftligt", "2025",
     {"maalgrupper_metoder_resultater": "4,1", "organisation_ledelse": "3,9",
      "kompetencer": "4", "fysiske_rammer": "4,4"}, ("", "", "")),
]

# What each column holds, shown on the page: (column, required, description).
COLUMN_HELP = [
    ("cvr", True, N_("Medlemmets CVR-nummer, 8 cifre. Mellemrum og »DK« foran er i orden.")),
    ("name", False, N_("Tilbuddets navn, som det står hos LOS. Skal udfyldes, når flere "
                       "medlemmer har samme CVR-nummer.")),
    ("visited_on", True, N_("Datoen for tilsynet, fx 15-03-2025 eller 2025-03-15.")),
    ("authority", True, N_("Socialtilsynet, der førte tilsynet: koden eller navnet, se "
                           "listen.")),
    ("kind", True, N_("Typen af tilsyn: koden eller navnet, se listen.")),
    ("framework_version", True, N_("Kvalitetsmodellen i tilsynsrapporten: 2017 eller 2025.")),
    ("sanction", False, N_("En sanktion i rapporten: påbud eller skærpet tilsyn. Tom: ingen.")),
    ("sanction_description", False, N_("Hvad sanktionen går ud på, med rapportens ord.")),
    ("sanction_deadline", False, N_("Fristen for et påbud (skal udfyldes ved et påbud).")),
    ("note", False, N_("En bemærkning til tilsynet, højst 2000 tegn.")),
]


def _example(session: Session) -> str:
    themes = [t.column for t in theme_columns(session)]
    columns = [*inspection_import.VISIT_COLUMNS, *themes,
               *inspection_import.SANCTION_COLUMNS, "note"]
    lines = [";".join(columns)]
    for *visit, scores, sanction in EXAMPLE_ROWS:
        lines.append(";".join([*visit, *(scores.get(t, "") for t in themes), *sanction, ""]))
    return "\r\n".join(lines) + "\r\n"


def _values(names: dict) -> list[tuple[str, str, list[str]]]:
    """(code, name, other names) of each member of a code list: the Danish names a file
    may use, whatever the page's language."""
    return [(code.value, spellings[0], list(spellings[1:])) for code, spellings in names.items()]


def _page(request: Request, session: Session, *, check=None, summary=None,
          error: str = "", status_code: int = 200) -> Response:
    aliases: dict[str, list[str]] = {}
    for alias, column in COLUMN_ALIASES.items():
        aliases.setdefault(column, []).append(alias)
    return render(request, "admin/inspection_import.html", {
        "check": check, "summary": summary, "error": error,
        "columns": [(name, required, gettext(text), aliases.get(name, []))
                    for name, required, text in COLUMN_HELP],
        "themes": theme_columns(session),
        "authorities": _values(AUTHORITY_NAMES), "visit_kinds": _values(VISIT_KIND_NAMES),
        "sanction_kinds": _values(SANCTION_NAMES),
        "example_members": EXAMPLE_MEMBERS,
        "max_rows": inspection_import.MAX_ROWS,
        "example_url": f"{router.prefix}/{EXAMPLE_FILENAME}",
    }, status_code=status_code)


Count = Annotated[int | None, Query(ge=0, le=MAX_ROW_ID)]


@router.get("")
def import_page(request: Request, _admin: WebAdmin, session: SessionDep,
                inspections: Count = None, members: Count = None,
                sanctions: Count = None) -> Response:
    summary = None
    if inspections is not None:
        summary = inspection_import.InspectionImportSummary(inspections, members or 0,
                                                            sanctions or 0)
    return _page(request, session, summary=summary)


@router.get(f"/{EXAMPLE_FILENAME}")
def example_file(_admin: WebAdmin, session: SessionDep) -> Response:
    # The BOM: Excel reads it as UTF-8. exports.download names the attachment.
    return download(("\ufeff" + _example(session)).encode("utf-8"),
                    "text/csv; charset=utf-8", EXAMPLE_FILENAME)


@router.post("")
def preview(request: Request, _admin: WebAdmin, session: SessionDep, today: TodayDep,
            file: Annotated[UploadFile | None, File()] = None) -> Response:
    """Checks the uploaded file and shows what would be saved; saves nothing."""
    if file is None or not file.filename:
        return _page(request, session, error=gettext("Vælg en CSV-fil."), status_code=422)
    content = file.file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        return _page(request, session, error=gettext(
            "Filen er for stor (højst %(kb)s kB). Del den op i flere filer.",
            kb=MAX_FILE_BYTES // 1000), status_code=422)
    check = inspection_import.check_inspections_csv(session=session, content=content,
                                                    today=today)
    return _page(request, session, check=check, status_code=200 if check.ok else 422)


@router.post("/confirm")
def confirm(request: Request, admin: WebAdmin, session: SessionDep, today: TodayDep,
            content: Annotated[str, Form(max_length=MAX_FILE_BYTES), NoNul]) -> Response:
    """Saves the previewed file: all rows or none, checked again against the database."""
    try:
        summary = inspection_import.import_inspections_csv(
            session=session, content=content.encode("utf-8"), today=today, user=admin)
    except ImportRefused as exc:
        check = inspection_import.InspectionImportCheck([], exc.problems)
        return _page(request, session, check=check, status_code=422)
    return RedirectResponse(f"{router.prefix}?inspections={summary.inspections}"
                            f"&members={summary.members}&sanctions={summary.sanctions}",
                            status_code=303)
