"""A member's inspection reports as pages: the list, a new one, and a correction.

Members reach their own; LOS' advisors and admins any member's (the service decides). The
form has a score field per theme of the quality model (empty: not covered), and rows for
sanctions, so it works without JavaScript; each refusal is shown at its field.
"""

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.auth.deps import SessionDep, WebUser
from app.clock import TodayDep
from app.i18n import N_, gettext, localised
from app.models import User
from app.models.vocabulary import Authority, SanctionKind, VisitKind
from app.services import inspection_report, inspections
from app.services.errors import Conflict, Invalid
from app.services.fields import RowId
from app.web.forms import FormDep, refusal_status, text_of
from app.web.templating import render

router = APIRouter()
EMPTY_SANCTION_ROWS = 2
# After the report's form redirects back: ?report=saved or ?report=removed.
REPORT_NOTICES = {"saved": N_("Rapporten er gemt."), "removed": N_("Rapporten er fjernet.")}


@dataclass(frozen=True)
class ThemeField:
    key: str
    title: str
    versions: tuple[str, ...]  # the model versions that have the theme


def _theme_fields(session) -> list[ThemeField]:
    """Every theme of every loaded version of the model, in the oldest version's order.

    Titles go without numbers: the 2025 model dropped themes 1 and 2 and numbers the rest
    anew, so a number would mean different themes in different reports (the ids are the
    same wherever a theme is in both).
    """
    themes: dict[str, ThemeField] = {}
    for version, (_id, model) in inspections.frameworks(session).items():
        for theme in model.themes:
            known = themes.get(theme.id)
            themes[theme.id] = ThemeField(theme.id, localised(theme, "title"),
                                          (*(known.versions if known else ()), version))
    return list(themes.values())


def _values_of(record: inspections.InspectionRecord | None) -> dict:
    if record is None:
        return {"visited_on": "", "authority": "", "kind": "", "framework_version": "2017",
                "note": "", "scores": {}, "sanctions": []}
    i = record.inspection
    return {"visited_on": i.visited_on.isoformat(), "authority": i.authority,
            "kind": i.visit_kind, "framework_version": record.framework_version,
            "note": i.note, "scores": {k: _score_text(v) for k, v in record.themes.items()},
            "sanctions": [{"kind": s.kind, "description": s.description,
                           "deadline": s.deadline.isoformat() if s.deadline else ""}
                          for s in record.sanctions]}


def _options(enum) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


def _score_text(score: float) -> str:
    return f"{score:g}".replace(".", ",")


def _posted(form: FormData, themes: list[ThemeField]) -> tuple[dict, dict, list[str]]:
    """(what was typed, to show again; the service's input; theme key per themes index)."""
    typed = {name: text_of(form, name).strip()
             for name in ("visited_on", "authority", "kind", "framework_version", "note")}
    typed["scores"] = {t.key: text_of(form, f"score-{t.key}").strip() for t in themes}
    rows = text_of(form, "sanction_rows")
    rows = int(rows) if rows.isdigit() else 0
    typed["sanctions"] = [{"kind": text_of(form, f"sanction-{n}-kind"),
                           "description": text_of(form, f"sanction-{n}-description").strip(),
                           "deadline": text_of(form, f"sanction-{n}-deadline").strip()}
                          for n in range(min(rows, 10 + EMPTY_SANCTION_ROWS))]
    covered = [(key, text) for key, text in typed["scores"].items() if text]
    data = {"visited_on": typed["visited_on"] or None, "authority": typed["authority"] or None,
            "kind": typed["kind"] or None, "framework_version": typed["framework_version"],
            "note": typed["note"],
            "themes": [{"theme_id": key, "score": _number(text)} for key, text in covered],
            "sanctions": [{"kind": s["kind"] or None, "description": s["description"],
                           "deadline": s["deadline"] or None}
                          for s in typed["sanctions"] if s["description"] or s["deadline"]]}
    sanction_rows = [n for n, s in enumerate(typed["sanctions"])
                     if s["description"] or s["deadline"]]
    return typed, data, [key for key, _ in covered] + [f"#{n}" for n in sanction_rows]


def _number(text: str):
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text  # the service refuses it at the field, in its own words


def _errors(exc: Invalid, order: list[str]) -> dict[str, str]:
    """Form field name -> message: a theme's score at "score-<theme id>", a sanction's part
    at "sanction-<row>-<part>" (a whole sanction's refusal at its deadline), the rest at
    their own names. `order` maps the service's list indexes back to the form's fields."""
    fields = {"themes": [f"score-{key}" for key in order if not key.startswith("#")],
              "sanctions": [f"sanction-{key[1:]}" for key in order if key.startswith("#")]}
    errors: dict[str, str] = {}
    for error in exc.errors:
        name, *rest = error.path or error.field.split(".")
        listed = fields.get(name, [])
        if rest and str(rest[0]).isdigit() and int(rest[0]) < len(listed):
            name = listed[int(rest[0])]
            if name.startswith("sanction-"):
                name = f"{name}-{rest[1] if len(rest) > 1 else 'deadline'}"
        errors.setdefault(name, error.text())
    return errors


def _report_notice(request: Request) -> str:
    notice = REPORT_NOTICES.get(request.query_params.get("report", ""))
    return gettext(notice) if notice else ""


def form_page(request: Request, session, user: User, organisation_id: int, *,
              record: inspections.InspectionRecord | None = None, typed: dict | None = None,
              errors: dict | None = None, message: str = "", version: int | None = None,
              report_errors: dict | None = None, status_code: int = 200) -> Response:
    """The new-inspection form, or with `record` an inspection's page: its form and its
    report's PDF (app/web/inspection_report.py posts there; `report_errors` by field)."""
    organisation = inspections.member_for(session=session, user=user,
                                          organisation_id=organisation_id)
    values = typed or _values_of(record)
    rows = [*values["sanctions"],
            *[{"kind": "", "description": "", "deadline": ""}] * EMPTY_SANCTION_ROWS]
    return render(request, "inspections/form.html", {
        "organisation": organisation, "record": record, "values": values,
        "sanction_rows": rows, "errors": errors or {}, "message": message,
        "version": version if version is not None else (
            record.inspection.version if record else None),
        "themes": _theme_fields(session), "authorities": _options(Authority),
        "visit_kinds": _options(VisitKind), "sanction_kinds": _options(SanctionKind),
        "framework_versions": [(v, v) for v in inspections.frameworks(session)],
        "base": f"/organisations/{organisation_id}/inspections",
        "report": inspection_report.report_of(session, record.inspection.id) if record else None,
        "report_errors": report_errors or {},
        "report_notice": _report_notice(request),
        "upload_limit": request.app.state.settings.max_upload_bytes,
    }, status_code=status_code)


@router.get("/organisations/{organisation_id}/inspections")
def inspections_page(request: Request, organisation_id: RowId, user: WebUser,
                     session: SessionDep) -> Response:
    organisation = inspections.member_for(session=session, user=user,
                                          organisation_id=organisation_id)
    found = inspections.list_inspections(session=session, user=user,
                                         organisation_id=organisation_id)
    return render(request, "inspections/list.html", {
        "organisation": organisation, "records": found,
        "reports": inspection_report.reports_of(session, [r.inspection.id for r in found]),
        "themes": [
            t for t in _theme_fields(session) if any(t.key in r.themes for r in found)],
        "saved": request.query_params.get("saved") == "1",
        "base": f"/organisations/{organisation_id}/inspections"})


@router.get("/organisations/{organisation_id}/inspections/new")
def new_inspection_page(request: Request, organisation_id: RowId, user: WebUser,
                        session: SessionDep) -> Response:
    return form_page(request, session, user, organisation_id)


@router.post("/organisations/{organisation_id}/inspections/new")
def create_inspection(request: Request, organisation_id: RowId, user: WebUser,
                      session: SessionDep, form: FormDep, today: TodayDep) -> Response:
    themes = _theme_fields(session)
    typed, data, order = _posted(form, themes)
    try:
        inspections.record_inspection(session=session, user=user,
                                      organisation_id=organisation_id, data=data, today=today)
    except Invalid as exc:
        session.rollback()
        return form_page(request, session, user, organisation_id, typed=typed,
                          errors=_errors(exc, order), message=exc.text(),
                          status_code=refusal_status(exc))
    return RedirectResponse(f"/organisations/{organisation_id}/inspections?saved=1",
                            status_code=303)


@router.get("/organisations/{organisation_id}/inspections/{inspection_id}")
def inspection_page(request: Request, organisation_id: RowId, inspection_id: RowId,
                    user: WebUser, session: SessionDep) -> Response:
    record = inspections.get_inspection(session=session, user=user,
                                        organisation_id=organisation_id,
                                        inspection_id=inspection_id)
    return form_page(request, session, user, organisation_id, record=record)


@router.post("/organisations/{organisation_id}/inspections/{inspection_id}")
def correct_inspection(request: Request, organisation_id: RowId, inspection_id: RowId,
                       user: WebUser, session: SessionDep, form: FormDep,
                       today: TodayDep) -> Response:
    themes = _theme_fields(session)
    typed, data, order = _posted(form, themes)
    version = text_of(form, "version")
    try:
        inspections.update_inspection(session=session, user=user,
                                      organisation_id=organisation_id,
                                      inspection_id=inspection_id,
                                      data=data | {"version": version or None}, today=today)
    except (Invalid, Conflict) as exc:
        session.rollback()
        record = inspections.get_inspection(session=session, user=user,
                                            organisation_id=organisation_id,
                                            inspection_id=inspection_id)
        errors = _errors(exc, order) if isinstance(exc, Invalid) else {}
        # After a conflict the form keeps what was typed, with the saved version's number:
        # saving again overwrites deliberately, once the reader has seen the message.
        return form_page(request, session, user, organisation_id, record=record,
                          typed=typed, errors=errors, message=exc.text(),
                          version=record.inspection.version if isinstance(exc, Conflict)
                          else (int(version) if version.isdigit() else None),
                          status_code=refusal_status(exc))
    return RedirectResponse(f"/organisations/{organisation_id}/inspections?saved=1",
                            status_code=303)
