"""Member import from CSV: check every row, then create all organisations and contacts or none.

The format is documented to admins on /admin/organisations/import: UTF-8 with or without BOM,
semicolon, comma or tab separated (Danish Excel saves "CSV" with semicolons), a header row
naming the columns, one row per organisation (a row may repeat an organisation with the same
values to add another contact). Line numbers are the file's own, the header being line 1.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import N_, gettext
from app.models import Organisation, User
from app.models.vocabulary import Role
from app.services import audit
from app.services.access import require_admin
from app.services.audit import AuditAction, AuditEntity
from app.services.errors import Conflict, FieldError, Invalid
from app.services.links import send_invitation
from app.services.member_import_values import (
    COLUMN_ALIASES,
    fold,
    region_code,
    service_type_code,
)
from app.services.organisations import OrganisationInput
from app.services.users import UserInput
from app.services.validation import parse_input

MAX_ROWS = 5000
COLUMNS = ("name", "cvr", "company_name", "service_type", "region", "places", "contact_name",
           "contact_email")
REQUIRED_COLUMNS = ("name", "cvr", "service_type", "region")
BAD_EMAIL = N_("»%(value)s« er ikke en gyldig e-mailadresse.")
NOT_IMPORTED = N_("Intet blev importeret. Ret linjerne nedenfor, og prøv igen.")


@dataclass(frozen=True)
class Problem:
    """Why one line (or the file) cannot be imported; `message` is a Danish msgid."""

    line: int
    field: str
    message: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def text(self) -> str:
        return gettext(self.message, **self.params)

    def __str__(self) -> str:
        return f"LINE {self.line}: {self.field}: {self.text()}"


@dataclass
class Contact:
    line: int
    user: UserInput


@dataclass
class MemberRow:
    line: int
    organisation: OrganisationInput
    contacts: list[Contact] = field(default_factory=list)


@dataclass
class MemberImportCheck:
    rows: list[MemberRow]
    problems: list[Problem]
    text: str = ""  # the decoded file, so a preview can be confirmed without a new upload

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def contact_count(self) -> int:
        return sum(len(row.contacts) for row in self.rows)


@dataclass
class MemberImportSummary:
    organisations: int
    users: int
    invited: int


class ImportRefused(Invalid):
    """Nothing was imported; `problems` says which lines and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__(NOT_IMPORTED, [FieldError(f"line {p.line}.{p.field}", p.message,
                                                   p.params) for p in problems])
        self.problems = problems


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise ImportRefused([Problem(line, "file", N_(
            "Filen er ikke gemt som UTF-8. Gem den i Excel som »CSV UTF-8« og prøv igen."))]
        ) from None


def _delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ";"


def _column_name(header: str) -> str:
    key = re.sub(r"[\s\-]+", "_", header.strip().lower())
    return COLUMN_ALIASES.get(key, key)


def _read_header(cells: list[str]) -> tuple[list[str], list[Problem]]:
    """The column each position holds ("" for none), and what is wrong with the header."""
    columns: list[str] = []
    problems = []
    for cell in cells:
        name = _column_name(cell) if cell.strip() else ""
        if name and name not in COLUMNS:
            problems.append(Problem(1, cell.strip(), N_(
                "Ukendt kolonne. Kolonnerne hedder: %(columns)s."),
                {"columns": ", ".join(COLUMNS)}))
        elif name and name in columns:
            problems.append(Problem(1, name, N_("Kolonnen står to gange.")))
        columns.append(name)
    problems += [Problem(1, name, N_("Kolonnen mangler."))
                 for name in REQUIRED_COLUMNS if name not in columns]
    return columns, problems


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, cells) for every record, blank lines and empty rows skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records, last_line = [], 0
    try:
        for cells in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                records.append((first_line, cells))
    except csv.Error as exc:
        raise ImportRefused([Problem(reader.line_num, "file", N_(
            "Filen kan ikke læses som CSV (%(error)s)."), {"error": str(exc)})]) from None
    return records


class _RowChecker:
    """Checks one row's cells into an organisation and maybe a contact."""

    def __init__(self, line: int, values: dict[str, str]):
        self.line, self.values = line, values
        self.problems: list[Problem] = []

    def problem(self, column: str, message: str, **params) -> None:
        self.problems.append(Problem(self.line, column, message, params))

    def organisation(self) -> OrganisationInput | None:
        v = self.values
        if not v["name"]:
            self.problem("name", N_("Navnet mangler."))
        cvr = re.sub(r"\s+", "", v["cvr"]).upper().removeprefix("DK")
        if not re.fullmatch(r"\d{8}", cvr):
            self.problem("cvr", N_("CVR-nummeret skal være 8 cifre (ikke »%(value)s«)."),
                         value=v["cvr"])
        service_type = service_type_code(v["service_type"])
        if service_type is None:
            self.problem("service_type", N_(
                "Ukendt tilbudstype »%(value)s«. Se de gyldige værdier på importsiden."),
                value=v["service_type"])
        region = region_code(v["region"])
        if region is None:
            self.problem("region", N_(
                "Ukendt region »%(value)s«. Brug en af de fem regioner."), value=v["region"])
        places = v["places"].replace(" ", "") or "0"
        if not re.fullmatch(r"[0-9]+", places) or not 0 <= int(places) <= 10_000:
            self.problem("places", N_(
                "Antal pladser skal være et helt tal fra 0 til 10000 (ikke »%(value)s«)."),
                value=v["places"])
        if self.problems:
            return None
        return self._parse(OrganisationInput, {
            "name": v["name"], "cvr": cvr, "company_name": v["company_name"],
            "service_type": service_type, "region": region, "places": int(places)})

    def contact(self) -> UserInput | None:
        name, email = self.values["contact_name"], self.values["contact_email"]
        if not name and not email:
            return None
        if not email:
            self.problem("contact_email", N_("Kontaktpersonens e-mail mangler."))
        if not name:
            self.problem("contact_name", N_("Kontaktpersonens navn mangler."))
        if not (name and email):
            return None
        # The organisation gets its id when stored; 0 stands in for it until then.
        contact = self._parse(UserInput, {"email": email, "name": name, "role": Role.MEMBER,
                                          "organisation_id": 0},
                              rename={"email": "contact_email", "name": "contact_name"})
        # Pydantic only says "invalid value" about a bad address; say which address.
        self.problems = [Problem(self.line, p.field, BAD_EMAIL, {"value": email})
                         if p.field == "contact_email" and p.message == N_("Ugyldig værdi.")
                         else p for p in self.problems]
        return contact

    def _parse(self, model, data: dict, rename: dict | None = None):
        try:
            return parse_input(model, data)
        except Invalid as exc:
            for error in exc.errors:
                column = (rename or {}).get(error.field, error.field)
                self.problems.append(Problem(self.line, column, error.message, error.params))
            return None


def _org_key(organisation: OrganisationInput) -> tuple[str, str]:
    return organisation.cvr, fold(organisation.name)


def _rows(records: list[tuple[int, list[str]]], columns: list[str]
          ) -> tuple[list[MemberRow], list[Problem]]:
    rows: dict[tuple[str, str], MemberRow] = {}
    problems: list[Problem] = []
    emails: dict[str, int] = {}
    for line, cells in records:
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            problems.append(Problem(line, "file", N_(
                "Rækken har flere værdier end overskriften har kolonner. Står der et "
                "skilletegn i en værdi, så sæt værdien i anførselstegn.")))
            continue
        values = dict.fromkeys(COLUMNS, "")
        for name, cell in zip(columns, cells, strict=False):
            if name in values:
                values[name] = cell.strip()
        checker = _RowChecker(line, values)
        organisation, contact = checker.organisation(), checker.contact()
        if contact is not None:
            if contact.email in emails:
                checker.problem("contact_email", N_("E-mailen står også i linje %(line)s."),
                                line=emails[contact.email])
            emails.setdefault(contact.email, line)
        if organisation is not None:
            earlier = rows.get(_org_key(organisation))
            if earlier is None:
                rows[_org_key(organisation)] = MemberRow(line, organisation)
            elif earlier.organisation != organisation:
                checker.problem("name", N_(
                    "Samme tilbud (navn og CVR) står i linje %(line)s med andre oplysninger."),
                    line=earlier.line)
            elif contact is None:
                checker.problem("name", N_("Tilbuddet står også i linje %(line)s."),
                                line=earlier.line)
            if contact is not None and not checker.problems:
                rows[_org_key(organisation)].contacts.append(Contact(line, contact))
        problems.extend(checker.problems)
    return list(rows.values()), problems


def _clashes_with_database(session: Session, rows: list[MemberRow]) -> list[Problem]:
    """Emails and organisations that already exist: two queries whatever the file's size."""
    emails = {c.user.email: c.line for row in rows for c in row.contacts}
    taken = set(session.exec(select(User.email).where(col(User.email).in_(list(emails)))))
    keys = {_org_key(row.organisation): row.line for row in rows}
    cvrs = list({cvr for cvr, _name in keys})
    existing = session.exec(select(Organisation.cvr, Organisation.name)
                            .where(col(Organisation.cvr).in_(cvrs))).all()
    problems = [Problem(line, "contact_email",
                        N_("Der findes allerede en bruger med denne e-mail."))
                for email, line in emails.items() if email in taken]
    for cvr, name in existing:
        line = keys.get((cvr, fold(name)))
        if line is not None:
            problems.append(Problem(line, "name", N_(
                "Tilbuddet findes allerede (samme navn og CVR).")))
    return problems


def check_members_csv(*, session: Session, content: bytes) -> MemberImportCheck:
    """Reads and checks the whole file without writing anything."""
    try:
        text = _decode(content)
        records = _records(text)
    except ImportRefused as exc:
        return MemberImportCheck([], exc.problems)
    if not records:
        return MemberImportCheck([], [Problem(1, "file", N_("Filen er tom."))], text)
    columns, problems = _read_header(records[0][1])
    if problems:
        return MemberImportCheck([], problems, text)
    data = records[1:]
    if not data:
        return MemberImportCheck([], [Problem(1, "file", N_(
            "Filen har ingen rækker under overskriften."))], text)
    if len(data) > MAX_ROWS:
        return MemberImportCheck([], [Problem(data[MAX_ROWS][0], "file", N_(
            "Filen har mere end %(max)s rækker. Del den op i flere filer."),
            {"max": MAX_ROWS})], text)
    rows, problems = _rows(data, columns)
    problems += _clashes_with_database(session, rows)
    problems.sort(key=lambda p: p.line)
    return MemberImportCheck(rows, problems, text)


def import_members_csv(*, session: Session, settings: Settings, content: bytes,
                       invite: bool = True, user: User | None = None) -> MemberImportSummary:
    """All rows or none: one transaction; invitations are sent only after it is committed.

    `user` is the admin importing (None: `etik members import`)."""
    require_admin(user)
    checked = check_members_csv(session=session, content=content)
    if not checked.ok:
        raise ImportRefused(checked.problems)
    users: list[User] = []
    try:
        organisations = [Organisation(**row.organisation.model_dump()) for row in checked.rows]
        session.add_all(organisations)
        session.flush()
        for organisation, row in zip(organisations, checked.rows, strict=True):
            users += [User(**(contact.user.model_dump() | {"organisation_id": organisation.id}))
                      for contact in row.contacts]
        session.add_all(users)
        session.flush()
        for organisation in organisations:
            audit.record(session, user=user, action=AuditAction.IMPORT,
                         entity=AuditEntity.ORGANISATION,
                         entity_id=organisation.id, organisation_id=organisation.id,
                         changes={"name": [None, organisation.name],
                                  "cvr": [None, organisation.cvr]})
        for created in users:
            audit.record(session, user=user, action=AuditAction.IMPORT, entity=AuditEntity.USER,
                         entity_id=created.id, organisation_id=created.organisation_id,
                         changes={"email": [None, created.email], "role": [None, created.role]})
        session.commit()
    except IntegrityError:
        # Someone created one of these users between the check and the commit.
        session.rollback()
        raise Conflict(N_("Nogen har ændret medlemmerne imens. Indlæs filen igen.")) from None
    if invite:
        for user in users:
            send_invitation(session=session, settings=settings, user=user)
    return MemberImportSummary(len(organisations), len(users), len(users) if invite else 0)
