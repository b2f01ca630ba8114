"""The audit trail: every write service records who changed what, in the change's transaction.

`record()` is the only writer of AuditEntry. An entry is never updated or deleted: the
session guard below refuses it before SQL is sent (and migration 0004 adds a trigger that
refuses UPDATE in the database).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from sqlalchemy import event, func
from sqlmodel import Session, col, select

from app.i18n import N_, TIMEZONE, gettext
from app.models import AuditEntry, User

# Writers of entries find the vocabulary here, beside record().
from app.models.vocabulary import AuditAction, AuditEntity, Role  # noqa: F401
from app.services.errors import Forbidden
from app.services.people import DELETED_USER

PAGE_SIZE = 50


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def fields_of(row, names: tuple[str, ...] | list[str]) -> dict:
    """The named attributes of a row as JSON values: what `changes_between` compares."""
    return {name: _plain(getattr(row, name)) for name in names}


def changes_between(before: dict, after: dict) -> dict:
    """{field: [before, after]} for each field whose value changed."""
    return {name: [before.get(name), value] for name, value in after.items()
            if before.get(name) != value}


def record(session: Session, *, user: User | None, action: str, entity: str,
           entity_id: int | str, organisation_id: int | None = None,
           changes: dict | None = None) -> None:
    """Adds the entry to the caller's transaction: it commits, or rolls back, with the change.

    `user` None is the command line (catalogue loading, member import, first admin).
    """
    session.add(AuditEntry(user_id=user.id if user else None,
                           user_email=user.email if user else "",
                           organisation_id=organisation_id, action=action, entity=entity,
                           entity_id=str(entity_id), changes=changes or {}))


def record_fields(session: Session, *, user: User | None, action: str, entity: str,
                  entity_id: int | str, row, fields, before: dict,
                  organisation_id: int | None = None) -> None:
    """`record()` for a row whose `fields` were `before` (empty when created) and are now set."""
    record(session, user=user, action=action, entity=entity, entity_id=entity_id,
           organisation_id=organisation_id,
           changes=changes_between(before, fields_of(row, fields)))


@event.listens_for(Session, "before_flush")
def _refuse_rewriting_history(session, _context, _instances) -> None:
    deleted = any(isinstance(row, AuditEntry) for row in session.deleted)
    changed = any(isinstance(row, AuditEntry) and session.is_modified(row)
                  for row in session.dirty)
    if deleted or changed:
        raise RuntimeError("audit_entry is append-only")


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    organisation_id: int | None = None
    user_id: int | None = None
    entity: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditLine:
    """An entry as shown: an actor deleted since is "slettet bruger", and so are the email
    and name an entry about that user recorded (the stored entry is never rewritten)."""

    id: int
    at: datetime
    user_id: int | None
    user_email: str  # "" for the command line
    organisation_id: int | None
    action: str
    entity: str
    entity_id: str
    changes: dict


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditLine]
    total: int
    offset: int
    limit: int


_PERSONAL_FIELDS = ("email", "name")


def _lines(session: Session, entries: list[AuditEntry]) -> list[AuditLine]:
    named = {e.user_id for e in entries if e.user_id is not None}
    named |= {int(e.entity_id) for e in entries
              if e.entity == AuditEntity.USER and e.entity_id.isdecimal()}
    existing = set(session.exec(select(User.id).where(col(User.id).in_(named)))) if named \
        else set()
    gone = named - existing
    deleted = gettext(DELETED_USER)

    def line(e: AuditEntry) -> AuditLine:
        actor = deleted if e.user_id in gone else e.user_email
        changes = e.changes or {}
        if (e.entity == AuditEntity.USER and e.entity_id.isdecimal()
                and int(e.entity_id) in gone):
            changes = {name: ([None if v is None else deleted for v in change]
                              if name in _PERSONAL_FIELDS else change)
                       for name, change in changes.items()}
        return AuditLine(e.id, e.at, e.user_id, actor, e.organisation_id, e.action, e.entity,
                         e.entity_id, changes)

    return [line(e) for e in entries]


def _authorize(user: User, wanted: AuditFilter) -> None:
    """Admins read all of it; an advisor one organisation at a time (its dossier)."""
    if user.role == Role.ADMIN:
        return
    if user.role == Role.ADVISOR and wanted.organisation_id is not None:
        return
    raise Forbidden(N_("Kun administratorer ser hele revisionssporet; en konsulent ser det for "
                       "én organisation ad gangen."))


def _where(statement, wanted: AuditFilter):
    if wanted.organisation_id is not None:
        statement = statement.where(AuditEntry.organisation_id == wanted.organisation_id)
    if wanted.user_id is not None:
        statement = statement.where(AuditEntry.user_id == wanted.user_id)
    if wanted.entity:
        statement = statement.where(AuditEntry.entity == wanted.entity)
    # Days as people in Denmark mean them: from local midnight to local midnight.
    if wanted.since is not None:
        statement = statement.where(col(AuditEntry.at) >= _midnight(wanted.since))
    if wanted.until is not None:
        statement = statement.where(
            col(AuditEntry.at) < _midnight(wanted.until + timedelta(days=1)))
    return statement


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(TIMEZONE))


def list_audit(*, session: Session, user: User, wanted: AuditFilter, offset: int = 0,
               limit: int = PAGE_SIZE) -> AuditPage:
    """Newest first, `limit` at a time: three queries whatever the size of the trail."""
    _authorize(user, wanted)
    total = session.exec(_where(select(func.count()).select_from(AuditEntry), wanted)).one()
    entries = list(session.exec(_where(select(AuditEntry), wanted)
                                .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
                                .offset(offset).limit(limit)))
    return AuditPage(_lines(session, entries), total, offset, limit)


def audit_entities(*, session: Session) -> list[str]:
    return list(session.exec(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))
