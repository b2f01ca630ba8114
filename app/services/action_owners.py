"""Who may own an action: one of the organisation's own active users, chosen by name.

The action keeps the owner's email (`Action.owner_email`: notices go there, and the API
names the owner by it); the organisation's users are the only addresses accepted for a
new owner. Owners saved before that rule, outside addresses among them, stay as they are
until someone picks another owner, and show as "ekstern: address".
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import User
from app.models.vocabulary import Role

NOT_A_COLLEAGUE = N_("Vælg en ansvarlig blandt tilbuddets egne brugere.")


@dataclass(frozen=True)
class Owner:
    """One choice in the owner list."""

    email: str
    name: str


def owner_choices(*, session: Session, organisation_id: int) -> list[Owner]:
    """The organisation's active users, by name: whom an action may be given to."""
    rows = session.exec(
        select(User.email, User.name)
        .where(User.organisation_id == organisation_id, User.role == Role.MEMBER,
               col(User.active))
        .order_by(User.name, User.id))
    return [Owner(email, name) for email, name in rows]


def may_own(session: Session, organisation_id: int, email: str) -> bool:
    return session.exec(select(User.id).where(
        User.email == email.lower(), User.organisation_id == organisation_id,
        User.role == Role.MEMBER, col(User.active))).first() is not None


def owner_names(session: Session, owners: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """(organisation id, email) -> the name of that organisation's user with that email,
    active or not, in one query; an outside address has no entry."""
    wanted = {(organisation_id, email) for organisation_id, email in owners if email}
    if not wanted:
        return {}
    rows = session.exec(
        select(User.organisation_id, User.email, User.name)
        .where(col(User.email).in_({email for _, email in wanted}),
               col(User.organisation_id).in_({organisation_id for organisation_id, _ in wanted})))
    return {(organisation_id, email): name for organisation_id, email, name in rows
            if (organisation_id, email) in wanted}
