"""Member import from CSV: check every row, then create all organisations and contacts or none.

The format is documented to admins on /admin/organisations/import: UTF-8 with or without BOM,
semicolon, comma or tab separated (Danish Excel saves "CSV" with semicolons), a header row
naming the columns, one row per organisation (a row may repeat an organisation with the same
values to add another contact). Line numbers are the file's own, the header being line 1.
"""

import re
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import N_
from app.models import Organisation, User
from app.models.vocabulary import Role
from app.services import audit
from app.services.access import require_admin
from app.services.audit import AuditAction, AuditEntity
from app.services.csv_import import CsvFormat, ImportRefused, Problem, read_csv
from app.services.errors import Conflict, Invalid
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


def _rows(records: list[tuple[int, dict[str, str]]]
          ) -> tuple[list[MemberRow], list[Problem]]:
    rows: dict[tuple[str, str], MemberRow] = {}
    problems: list[Problem] = []
    emails: dict[str, int] = {}
    for line, values in records:
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
    table = read_csv(content, CsvFormat(COLUMNS, REQUIRED_COLUMNS, COLUMN_ALIASES, MAX_ROWS))
    if not table.rows:
        return MemberImportCheck([], table.problems, table.text)
    rows, problems = _rows(table.rows)
    problems += table.problems + _clashes_with_database(session, rows)
    problems.sort(key=lambda p: p.line)
    return MemberImportCheck(rows, problems, table.text)


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
