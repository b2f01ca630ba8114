"""Inspection scores from CSV, for LOS' own records of several members at once: every row
checked by the inspection form's rules (check_inspection), then each saved through
record_inspection, all in one transaction or none.

One row per inspection: the member by CVR (and name, where one CVR covers several
services), the visit's date, authority and kind, the quality model's version, then a
column per theme of the model holding Socialtilsynet's score (empty: not covered). A
sanction has three columns; a row repeating an inspection with the same values adds
another sanction to it. A member's inspection on a date already recorded is refused, so
importing a file twice saves nothing twice. The format is documented to admins on
/admin/inspections/import; line numbers are the file's own, the header being line 1.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import Inspection, Organisation, User
from app.services.access import require_admin
from app.services.audit import AuditAction
from app.services.csv_import import CsvFormat, ImportRefused, Problem, read_csv
from app.services.errors import Invalid
from app.services.inspection_import_values import (
    COLUMN_ALIASES,
    ThemeColumn,
    authority_code,
    parsed_date,
    sanction_code,
    theme_columns,
    visit_kind_code,
)
from app.services.inspections import CheckedInspection, check_inspection, record_inspection
from app.services.member_import_values import fold
from app.services.versioning import lock_rows

MAX_ROWS = 2000
VISIT_COLUMNS = ("cvr", "name", "visited_on", "authority", "kind", "framework_version")
SANCTION_COLUMNS = ("sanction", "sanction_description", "sanction_deadline")
REQUIRED_COLUMNS = ("cvr", "visited_on", "authority", "kind", "framework_version")
THEMES = "themes"  # a problem of the theme columns together: none of them has a score
# The service's input field -> the column it comes from.
_PART_COLUMNS = {"kind": "sanction", "description": "sanction_description",
                 "deadline": "sanction_deadline"}
BAD_DATE = N_("Skriv datoen som 15-03-2025 eller 2025-03-15 (ikke »%(value)s«).")


@dataclass
class InspectionRow:
    """An inspection the file holds, as it would be saved."""

    line: int
    organisation_id: int
    organisation_name: str
    cvr: str
    visited_on: date
    authority: str
    kind: str
    framework_version: str
    themes: dict[str, float]  # theme id -> score
    sanctions: list[tuple[str, date | None]]  # (kind, deadline)


@dataclass
class InspectionImportCheck:
    rows: list[InspectionRow]
    problems: list[Problem]
    text: str = ""  # the decoded file, so a preview can be confirmed without a new upload

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def member_count(self) -> int:
        return len({row.organisation_id for row in self.rows})

    @property
    def sanction_count(self) -> int:
        return sum(len(row.sanctions) for row in self.rows)


@dataclass(frozen=True)
class InspectionImportSummary:
    inspections: int
    members: int
    sanctions: int


@dataclass
class _Group:
    """One inspection: its first row's line and input, and its sanctions' lines."""

    line: int
    organisation: Organisation | None
    data: dict
    signature: tuple  # what a row must repeat to add a sanction to it
    theme_columns: list[str]  # the column of each entry of data["themes"]
    sanctions: list[tuple[int, dict]] = field(default_factory=list)  # (line, input)
    problems: list[Problem] = field(default_factory=list)


def _columns(themes: list[ThemeColumn]) -> CsvFormat:
    aliases = dict(COLUMN_ALIASES)
    for theme in themes:
        aliases.update({alias: theme.column for alias in theme.aliases})
    return CsvFormat((*VISIT_COLUMNS, *(t.column for t in themes), *SANCTION_COLUMNS, "note"),
                     REQUIRED_COLUMNS, aliases, MAX_ROWS)


def _score(text: str) -> float | str:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text  # the service refuses it at the column, in its own words


class _RowReader:
    """One row's cells as the service's input, with what is wrong before the service sees
    them: the member, a date, a name of an authority, kind or sanction."""

    def __init__(self, line: int, values: dict[str, str], members: dict[str, list],
                 themes: list[ThemeColumn]):
        self.line, self.values = line, values
        self.problems: list[Problem] = []
        self.organisation = self._member(members)
        self.visited_on = self._date("visited_on")
        authority = self._code("authority", authority_code, N_(
            "Ukendt socialtilsyn »%(value)s«. Brug koden eller navnet, se listen på siden."))
        kind = self._code("kind", visit_kind_code, N_(
            "Ukendt type tilsyn »%(value)s«. Brug koden eller navnet, se listen på siden."))
        covered = [t for t in themes if values[t.column]]
        self.theme_columns = [t.column for t in covered]
        self.data = {"visited_on": self.visited_on, "authority": authority, "kind": kind,
                     "framework_version": values["framework_version"],
                     "themes": [{"theme_id": t.theme_id, "score": _score(values[t.column])}
                                for t in covered], "note": values["note"]}
        if not covered:
            self.problem(THEMES, N_("Rækken har ingen score. Skriv tilsynets score i "
                                    "kolonnen for hvert tema, tilsynet dækkede."))
        self.sanction = self._sanction()

    def problem(self, column: str, message: str, **params) -> None:
        self.problems.append(Problem(self.line, column, message, params))

    def _member(self, members: dict[str, list]) -> Organisation | None:
        cvr = re.sub(r"\s+", "", self.values["cvr"]).upper().removeprefix("DK")
        name = self.values["name"]
        if not re.fullmatch(r"\d{8}", cvr):
            self.problem("cvr", N_("CVR-nummeret skal være 8 cifre (ikke »%(value)s«)."),
                         value=self.values["cvr"])
            return None
        found = members.get(cvr, [])
        names = ", ".join(sorted(o.name for o in found))
        if not found:
            self.problem("cvr", N_("Intet medlem har CVR-nummeret %(cvr)s."), cvr=cvr)
        elif name:
            named = [o for o in found if fold(o.name) == fold(name)]
            if named:
                return named[0]
            self.problem("name", N_("Intet medlem med CVR-nummeret %(cvr)s hedder "
                                    "»%(value)s«. Medlemmerne med det hedder: %(names)s."),
                         cvr=cvr, value=name, names=names)
        elif len(found) > 1:
            self.problem("name", N_("CVR-nummeret %(cvr)s har flere medlemmer: %(names)s. "
                                    "Skriv tilbuddets navn i kolonnen name."),
                         cvr=cvr, names=names)
        else:
            return found[0]
        return None

    def _date(self, column: str) -> date | None:
        text = self.values[column]
        day = parsed_date(text) if text else None
        if text and day is None:
            self.problem(column, BAD_DATE, value=text)
        return day

    def _code(self, column: str, lookup, message: str) -> str | None:
        text = self.values[column]
        code = lookup(text) if text else None
        if text and code is None:
            self.problem(column, message, value=text)
        return code

    def _sanction(self) -> dict | None:
        if not any(self.values[c] for c in SANCTION_COLUMNS):
            return None
        kind = self._code("sanction", sanction_code, N_(
            "Ukendt sanktion »%(value)s«. Brug paabud (påbud) eller skaerpet_tilsyn "
            "(skærpet tilsyn)."))
        return {"kind": kind, "description": self.values["sanction_description"],
                "deadline": self._date("sanction_deadline")}

    def signature(self) -> tuple:
        inspection = {k: v for k, v in self.data.items() if k != "themes"}
        return (tuple(sorted(inspection.items(), key=lambda item: item[0])),
                tuple((s["theme_id"], s["score"]) for s in self.data["themes"]))


def _members_by_cvr(session: Session, rows: list[tuple[int, dict[str, str]]]
                    ) -> dict[str, list[Organisation]]:
    cvrs = {re.sub(r"\s+", "", v["cvr"]).upper().removeprefix("DK") for _line, v in rows}
    found: dict[str, list[Organisation]] = {}
    for organisation in session.exec(select(Organisation).where(
            col(Organisation.cvr).in_(list(cvrs))).order_by(col(Organisation.id))):
        found.setdefault(organisation.cvr, []).append(organisation)
    return found


def _groups(rows: list[tuple[int, dict[str, str]]], members: dict[str, list],
            themes: list[ThemeColumn]) -> list[_Group]:
    """The inspections of the file, a repeated row's sanction added to its inspection."""
    groups: list[_Group] = []
    by_visit: dict[tuple[int, date], _Group] = {}
    for line, values in rows:
        row = _RowReader(line, values, members, themes)
        key = (row.organisation.id, row.visited_on) if (
            row.organisation and row.visited_on) else None
        earlier = by_visit.get(key) if key else None
        if earlier is not None:
            if earlier.signature != row.signature():
                row.problem("visited_on", N_(
                    "Samme tilsyn (medlem og dato) står i linje %(line)s med andre "
                    "oplysninger. Gentag rækken med de samme oplysninger for at give "
                    "tilsynet endnu en sanktion."), line=earlier.line)
            elif row.sanction is None:
                row.problem("visited_on", N_("Tilsynet står også i linje %(line)s."),
                            line=earlier.line)
            elif not row.problems:
                earlier.sanctions.append((line, row.sanction))
                continue
            earlier.problems += row.problems
            continue
        group = _Group(line, row.organisation, row.data, row.signature(), row.theme_columns,
                       [(line, row.sanction)] if row.sanction else [], row.problems)
        groups.append(group)
        if key:
            by_visit[key] = group
    return groups


def _already_recorded(session: Session, groups: list[_Group]) -> None:
    """A problem on each inspection whose member has one on that date: one query."""
    wanted = {(g.organisation.id, g.data["visited_on"]): g for g in groups
              if g.organisation and g.data["visited_on"]}
    if not wanted:
        return
    for organisation_id, visited_on in session.exec(
            select(Inspection.organisation_id, Inspection.visited_on).where(
                col(Inspection.organisation_id).in_({o for o, _ in wanted}),
                col(Inspection.visited_on).in_({d for _, d in wanted}))):
        group = wanted.get((organisation_id, visited_on))
        if group is not None:
            group.problems.append(Problem(group.line, "visited_on", N_(
                "Medlemmet har allerede et tilsyn fra denne dato. Ret det på medlemmets "
                "side med tilsyn, eller tag rækken ud af filen.")))


def _service_problems(exc: Invalid, group: _Group) -> list[Problem]:
    """The service's refusals at the line and column they come from."""
    found = []
    for error in exc.errors:
        name, *rest = error.loc
        line, column = group.line, name
        index = int(rest[0]) if rest and str(rest[0]).isdigit() else None
        if name == "themes":
            column = group.theme_columns[index] if index is not None and index < len(
                group.theme_columns) else THEMES
        elif name == "sanctions" and index is not None and index < len(group.sanctions):
            line = group.sanctions[index][0]
            column = _PART_COLUMNS.get(str(rest[1]) if len(rest) > 1 else "deadline",
                                       "sanction")
        elif name == "sanctions":
            column = "sanction"
        found.append(Problem(line, column, error.message, error.params))
    return found


def _input(group: _Group) -> dict:
    return group.data | {"sanctions": [sanction for _line, sanction in group.sanctions]}


def _row(group: _Group, checked: CheckedInspection) -> InspectionRow:
    values, organisation = checked.values, group.organisation
    return InspectionRow(group.line, organisation.id, organisation.name, organisation.cvr,
                         values.visited_on, values.authority, values.kind,
                         values.framework_version,
                         {score.node_id: score.score for score in checked.scores},
                         [(s.kind, s.deadline) for s in values.sanctions])


def _checked(session: Session, content: bytes, today: date, *, lock: bool = False
             ) -> tuple[InspectionImportCheck, list[_Group]]:
    """Reads the file and checks each inspection by the form's rules (check_inspection),
    writing nothing; every problem, by line and column. A group with a problem of its own
    is checked too, so every problem of its line is told at once. With `lock`, the
    members named are locked before their inspections are looked up, so a second import
    of the same file at the same moment waits and then finds them recorded."""
    themes = theme_columns(session)
    table = read_csv(content, _columns(themes))
    if not table.rows:
        return InspectionImportCheck([], table.problems, table.text), []
    groups = _groups(table.rows, _members_by_cvr(session, table.rows), themes)
    if lock:
        lock_rows(session, Organisation, [g.organisation.id for g in groups if g.organisation])
    _already_recorded(session, groups)
    problems, rows = list(table.problems), []
    for group in groups:
        try:
            checked = check_inspection(session=session, data=_input(group), today=today)
        except Invalid as exc:
            told = {(p.line, p.field) for p in group.problems}
            group.problems += [p for p in _service_problems(exc, group)
                               if (p.line, p.field) not in told]
            checked = None
        problems += group.problems
        if checked is not None and group.organisation is not None and not group.problems:
            rows.append(_row(group, checked))
    problems.sort(key=lambda p: p.line)
    return InspectionImportCheck(rows, problems, table.text), groups


def check_inspections_csv(*, session: Session, content: bytes, today: date
                          ) -> InspectionImportCheck:
    """Reads and checks the whole file without writing anything."""
    return _checked(session, content, today)[0]


def import_inspections_csv(*, session: Session, content: bytes, today: date,
                           user: User | None = None) -> InspectionImportSummary:
    """All rows or none, in one transaction: each inspection through record_inspection,
    audited as imported. `user` is the admin importing (None: `etik inspections import`)."""
    require_admin(user)
    checked, groups = _checked(session, content, today, lock=True)
    if not checked.ok:
        session.rollback()  # lets go of the lock
        raise ImportRefused(checked.problems)
    for group in groups:
        record_inspection(session=session, user=user, organisation_id=group.organisation.id,
                          data=_input(group), today=today, commit=False,
                          action=AuditAction.IMPORT)
    session.commit()
    return InspectionImportSummary(len(checked.rows), checked.member_count,
                                   checked.sanction_count)
