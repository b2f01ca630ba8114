"""What each role's home page shows before the yearly cycle has begun."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import OneTimeLink, Organisation, OutboxMessage, User
from app.models.base import utcnow
from app.models.vocabulary import Role
from app.services.board.suppression import hidden_groups


@dataclass
class AdminOverview:
    active_organisations: int
    users_by_role: dict[str, int]
    pending_invitations: int
    outbox_messages: int


def admin_overview(*, session: Session) -> AdminOverview:
    organisations = session.exec(
        select(func.count()).select_from(Organisation).where(col(Organisation.active))
    ).one()
    by_role = dict(session.exec(
        select(User.role, func.count()).where(col(User.active)).group_by(User.role)
    ).all())
    pending = session.exec(
        select(func.count()).select_from(OneTimeLink).where(
            OneTimeLink.purpose == "invitation",
            col(OneTimeLink.used_at).is_(None),
            OneTimeLink.expires_at > utcnow(),
        )
    ).one()
    outbox = session.exec(select(func.count()).select_from(OutboxMessage)).one()
    return AdminOverview(organisations, {r.value: by_role.get(r.value, 0) for r in Role},
                         pending, outbox)


def organisation_of(*, session: Session, user: User) -> Organisation | None:
    return session.get(Organisation, user.organisation_id) if user.organisation_id else None


def colleagues_of(*, session: Session, user: User) -> list[User]:
    if user.organisation_id is None:
        return []
    return list(session.exec(
        select(User)
        .where(User.organisation_id == user.organisation_id, col(User.active))
        .order_by(User.name)
    ))


def members_by_service_type(*, session: Session, minimum: int) -> list[tuple[str, int | None]]:
    """Active members per service type; groups below `minimum` are not counted out, nor
    those hidden with them so the total minus the rest does not give them away."""
    rows = session.exec(
        select(Organisation.service_type, func.count())
        .where(col(Organisation.active))
        .group_by(Organisation.service_type)
        .order_by(Organisation.service_type)
    ).all()
    hidden = hidden_groups(dict(rows), minimum)
    return [(service_type, None if service_type in hidden else n) for service_type, n in rows]
