"""The inspection form's view: its theme fields, its values from a saved inspection or a
posted form, its refusals at their fields, and the page that shows it (the new-inspection
and correction pages in app/web/inspections.py, and the report's routes in
app/web/inspection_report.py, which show it again with a refusal)."""

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from app.i18n import N_, gettext, localised
from app.models import User
from app.models.vocabulary import Authority, SanctionKind, VisitKind
from app.services import inspection_report, inspections
from app.services.errors import Invalid
from app.web.forms import text_of
from app.web.templating import render

EMPTY_SANCTION_ROWS = 2
# After the report's form redirects back: ?report=saved or ?report=removed.
REPORT_NOTICES = {"saved": N_("Rapporten er gemt."), "removed": N_("Rapporten er fjernet.")}


@dataclass(frozen=True)
class ThemeField:
    key: str
    title: str
    versions: tuple[str, ...]  # the model versions that have the theme


def theme_fields(session) -> list[ThemeField]:
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


def values_of(record: inspections.InspectionRecord | None) -> dict:
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


def posted_values(form: FormData, themes: list[ThemeField]) -> tuple[dict, dict, list[str]]:
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


def field_errors_in_order(exc: Invalid, order: list[str]) -> dict[str, str]:
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


def report_notice(request: Request) -> str:
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
    values = typed or values_of(record)
    rows = [*values["sanctions"],
            *[{"kind": "", "description": "", "deadline": ""}] * EMPTY_SANCTION_ROWS]
    return render(request, "inspections/form.html", {
        "organisation": organisation, "record": record, "values": values,
        "sanction_rows": rows, "errors": errors or {}, "message": message,
        "version": version if version is not None else (
            record.inspection.version if record else None),
        "themes": theme_fields(session), "authorities": _options(Authority),
        "visit_kinds": _options(VisitKind), "sanction_kinds": _options(SanctionKind),
        "framework_versions": [(v, v) for v in inspections.frameworks(session)],
        "base": f"/organisations/{organisation_id}/inspections",
        "report": inspection_report.report_of(session, record.inspection.id) if record else None,
        "report_errors": report_errors or {},
        "report_notice": report_notice(request),
        "upload_limit": request.app.state.settings.max_upload_bytes,
    }, status_code=status_code)
