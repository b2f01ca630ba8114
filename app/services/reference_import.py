"""Sector reference figures from CSV: every row checked, then all saved or none.

One row per figure: source, year, theme, provider group and mean. The theme may be given
by its id (km.tema.sundhed-trivsel) or its title in Danish or English; the provider group
by its code or its name. A row whose figure exists (same source, year, theme and group)
corrects that figure's mean, so importing a corrected file again is safe.
"""

from dataclasses import dataclass

from sqlmodel import Session

from app.i18n import N_
from app.models import User
from app.models.vocabulary import ProviderGroup
from app.services.access import require_admin
from app.services.audit import AuditAction
from app.services.csv_import import CsvFormat, ImportRefused, Problem, read_csv
from app.services.errors import Invalid
from app.services.member_import_values import fold
from app.services.sector_reference import (
    QualityTheme,
    ReferenceInput,
    existing_references,
    parse_reference,
    quality_themes,
    refused_if_saved_meanwhile,
    store_references,
)

MAX_ROWS = 2000
COLUMNS = ("source", "year", "theme", "provider_group", "mean")
COLUMN_ALIASES = {
    "kilde": "source", "aar": "year", "år": "year", "tema": "theme", "theme_key": "theme",
    "gruppe": "provider_group", "tilbudsgruppe": "provider_group",
    "udbydergruppe": "provider_group", "gennemsnit": "mean", "score": "mean",
    "middelværdi": "mean",
}
PROVIDER_GROUP_NAMES: dict[ProviderGroup, tuple[str, ...]] = {
    ProviderGroup.ALL: ("Alle tilbud", "Alle", "All services", "All"),
    ProviderGroup.PUBLIC: ("Offentlige tilbud", "Offentlige", "Offentlig", "Public services",
                           "Public"),
    ProviderGroup.NON_PUBLIC: ("Private og selvejende tilbud", "Ikke-offentlige tilbud",
                               "Ikke-offentlige", "Ikke offentlige", "Private", "Privat",
                               "Selvejende", "Non-public services", "Non-public",
                               "Non public"),
}
_GROUPS = {fold(name): group.value for group, names in PROVIDER_GROUP_NAMES.items()
           for name in (group.value, *names)}
_CELL = {"theme": "theme_key"}  # the input field a column's cell becomes


@dataclass
class ReferenceImportCheck:
    rows: list[tuple[int, ReferenceInput]]
    problems: list[Problem]
    text: str = ""
    updates: int = 0  # rows that correct a stored figure rather than add one

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


@dataclass(frozen=True)
class ReferenceImportSummary:
    created: int
    updated: int


def _theme_lookup(themes: list[QualityTheme]) -> dict[str, str]:
    table = {}
    for theme in themes:
        table[theme.key.lower()] = theme.key
        table.update({fold(name): theme.key for name in theme.names})
    return table


def _row(session: Session, line: int, values: dict[str, str], themes: dict[str, str],
         problems: list[Problem]) -> ReferenceInput | None:
    theme = themes.get(values["theme"].lower()) or themes.get(fold(values["theme"]))
    group = _GROUPS.get(fold(values["provider_group"]))
    found = []
    if values["theme"] and theme is None:
        found.append(Problem(line, "theme", N_(
            "Ukendt tema »%(value)s«. Brug temaets id eller navn, se listen på siden."),
            {"value": values["theme"]}))
    if values["provider_group"] and group is None:
        found.append(Problem(line, "provider_group", N_(
            "Ukendt gruppe »%(value)s«. Brug all, public eller non_public."),
            {"value": values["provider_group"]}))
    data = {"source": values["source"], "year": values["year"] or None,
            "theme_key": theme or values["theme"], "provider_group": group or None,
            "mean": values["mean"] or None}
    try:
        reference = parse_reference(session, data, themes=set(themes.values()))
    except Invalid as exc:
        columns = {v: k for k, v in _CELL.items()}
        found += [Problem(line, columns.get(e.field, e.field), e.message, e.params)
                  for e in exc.errors
                  if not any(p.field == columns.get(e.field, e.field) for p in found)]
        reference = None
    problems += found
    return reference


def check_references_csv(*, session: Session, content: bytes) -> ReferenceImportCheck:
    """Reads and checks the whole file without writing anything."""
    table = read_csv(content, CsvFormat(COLUMNS, ("source", "year", "theme", "mean"),
                                        COLUMN_ALIASES, MAX_ROWS))
    if not table.rows:
        return ReferenceImportCheck([], table.problems, table.text)
    themes = _theme_lookup(quality_themes(session))
    problems, rows, seen = list(table.problems), [], {}
    for line, values in table.rows:
        values["provider_group"] = values["provider_group"] or ProviderGroup.ALL.value
        reference = _row(session, line, values, themes, problems)
        if reference is None:
            continue
        if reference.identity in seen:
            problems.append(Problem(line, "source", N_(
                "Samme tal (kilde, år, tema og gruppe) står også i linje %(line)s."),
                {"line": seen[reference.identity]}))
            continue
        seen[reference.identity] = line
        rows.append((line, reference))
    problems.sort(key=lambda p: p.line)
    stored = existing_references(session, [r for _, r in rows]) if rows else {}
    updates = len(set(stored) & set(seen))
    return ReferenceImportCheck(rows, problems, table.text, updates)


def import_references_csv(*, session: Session, user: User | None, content: bytes
                          ) -> ReferenceImportSummary:
    """All rows or none, in one transaction; `user` None is the command line."""
    require_admin(user)
    checked = check_references_csv(session=session, content=content)
    if not checked.ok:
        raise ImportRefused(checked.problems)
    rows, created = store_references(session, user, [r for _, r in checked.rows],
                                     AuditAction.IMPORT)
    with refused_if_saved_meanwhile(session):
        session.commit()
    return ReferenceImportSummary(created, len(rows) - created)
