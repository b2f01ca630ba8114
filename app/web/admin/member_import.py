"""Admin: member import from CSV – the format, an example file, a preview, then the import.

The preview checks the uploaded file without writing; it carries the file's text in the
confirm form, so importing needs no second upload and no server-side storage.
"""

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from app.auth.deps import SessionDep, SettingsDep, WebAdmin
from app.i18n import N_, gettext
from app.services import member_import
from app.services.errors import Conflict
from app.services.fields import NoNul
from app.services.member_import_values import COLUMN_ALIASES, REGION_NAMES, SERVICE_TYPE_NAMES
from app.web.labels import REGION_LABELS, SERVICE_TYPE_LABELS
from app.web.templating import render

router = APIRouter(prefix="/admin/organisations/import")

MAX_FILE_BYTES = 900_000  # under the request body limit, with room for the form around it
EXAMPLE_FILENAME = "medlemmer-eksempel.csv"
EXAMPLE_ROWS = [
    "name;cvr;company_name;service_type;region;places;contact_name;contact_email",
    "Egebo Opholdssted;12345678;Egebo ApS;Døgntilbud;Midtjylland;12;Mette Jensen;"
    "mette@egebo.example",
    "Egebo Opholdssted;12345678;Egebo ApS;Døgntilbud;Midtjylland;12;Søren Hansen;"
    "soren@egebo.example",
    "Fjordhuset;12345678;Egebo ApS;midlertidigt_botilbud;Region Sjælland;6;Hanne Nielsen;"
    "hanne@fjordhuset.example",
    "Kildebo Kostskole;87654321;;Kostskole;Nordjylland;30;;",
]

# What each column holds, shown on the page: (column, required, description).
COLUMN_HELP = [
    ("name", True, N_("Tilbuddets (afdelingens) navn.")),
    ("cvr", True, N_("Selskabets CVR-nummer, 8 cifre. Mellemrum og »DK« foran er i orden.")),
    ("company_name", False, N_("Selskabets navn.")),
    ("service_type", True, N_("Tilbudstypen: koden eller navnet, se listen nedenfor.")),
    ("region", True, N_("Regionen: koden eller navnet, med eller uden »Region« foran.")),
    ("places", False, N_("Antal pladser, et helt tal fra 0 til 10000. Tom betyder 0.")),
    ("contact_name", False, N_("Kontaktpersonens navn. Kontaktpersonen bliver bruger hos "
                               "tilbuddet og får en invitation på e-mail.")),
    ("contact_email", False, N_("Kontaktpersonens e-mail. Skal udfyldes, hvis navnet er.")),
]


def _format_help() -> dict:
    aliases: dict[str, list[str]] = {}
    for alias, column in COLUMN_ALIASES.items():
        aliases.setdefault(column, []).append(alias)
    return {
        "columns": [(name, required, gettext(text), aliases.get(name, []))
                    for name, required, text in COLUMN_HELP],
        "service_types": [(code.value, gettext(SERVICE_TYPE_LABELS[code]),
                           [s for s in SERVICE_TYPE_NAMES[code]
                            if s != SERVICE_TYPE_LABELS[code]])
                          for code in SERVICE_TYPE_NAMES],
        "regions": [(code.value, gettext(REGION_LABELS[code]),
                     [s for s in REGION_NAMES[code] if s != REGION_LABELS[code]])
                    for code in REGION_NAMES],
        "max_rows": member_import.MAX_ROWS,
        "example_url": f"{router.prefix}/{EXAMPLE_FILENAME}",
    }


def _page(request: Request, *, check=None, summary=None, error: str = "",
          status_code: int = 200) -> Response:
    return render(request, "admin/import.html", {
        "check": check, "summary": summary, "error": error, **_format_help(),
    }, status_code=status_code)


@router.get("")
def import_page(
    request: Request,
    _admin: WebAdmin,
    organisations: Annotated[int | None, Query(ge=0)] = None,
    users: Annotated[int | None, Query(ge=0)] = None,
    invited: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    summary = None
    if organisations is not None:
        summary = member_import.MemberImportSummary(organisations, users or 0, invited or 0)
    return _page(request, summary=summary)


@router.get(f"/{EXAMPLE_FILENAME}")
def example_file(_admin: WebAdmin) -> Response:
    # With a BOM, Excel opens the file as UTF-8 and shows æ, ø and å as they are.
    content = "\ufeff" + "\r\n".join(EXAMPLE_ROWS) + "\r\n"
    return Response(content.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="{EXAMPLE_FILENAME}"'})


@router.post("")
def preview(request: Request, _admin: WebAdmin, session: SessionDep,
            file: Annotated[UploadFile | None, File()] = None) -> Response:
    """Checks the uploaded file and shows what would be created; writes nothing."""
    content = file.file.read(MAX_FILE_BYTES + 1) if file is not None else b""
    if file is None or not file.filename:
        return _page(request, error=gettext("Vælg en CSV-fil."), status_code=422)
    if len(content) > MAX_FILE_BYTES:
        return _page(request, error=gettext(
            "Filen er for stor (højst %(kb)s kB). Del den op i flere filer.",
            kb=MAX_FILE_BYTES // 1000), status_code=422)
    check = member_import.check_members_csv(session=session, content=content)
    return _page(request, check=check, status_code=200 if check.ok else 422)


@router.post("/confirm")
def confirm(request: Request, admin: WebAdmin, session: SessionDep, settings: SettingsDep,
            content: Annotated[str, Form(max_length=MAX_FILE_BYTES), NoNul]) -> Response:
    """Imports the previewed file: all rows or none, checked again against the database."""
    try:
        summary = member_import.import_members_csv(session=session, settings=settings,
                                                   content=content.encode("utf-8"), user=admin)
    except member_import.ImportRefused as exc:
        check = member_import.MemberImportCheck([], exc.problems)
        return _page(request, check=check, status_code=422)
    except Conflict as exc:
        return _page(request, error=exc.text(), status_code=409)
    return RedirectResponse(
        f"{router.prefix}?organisations={summary.organisations}&users={summary.users}"
        f"&invited={summary.invited}", status_code=303)
