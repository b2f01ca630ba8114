"""Colleagues: the member users of one organisation, managed by its leaders (member_admin)
without LOS' admin: invite, resend the invitation, remove, give access again, and make a
colleague a leader or not. LOS' admins may do the same for any organisation.

Every member user of the organisation reads the list. A leader manages member users of
its own organisation only, and can grant no role but member. The last active leader
cannot remove themself or stop being a leader, so no organisation loses its last one by
its own hand (LOS' admin still can, on the admin pages).
"""

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator
from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import N_
from app.models import Organisation, User
from app.models.vocabulary import Role
from app.services import audit, users
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.credentials import normalise_email
from app.services.errors import Forbidden, Invalid, NotFound
from app.services.fields import Text
from app.services.links import send_invitation
from app.services.validation import parse_input

NOT_FOUND = N_("Siden findes ikke, eller også har du ikke adgang til den.")
COLLEAGUE_NOT_FOUND = N_("Kollegaen findes ikke i jeres tilbud.")
LEADERS_ONLY = N_("Kun tilbuddets ledere kan invitere, fjerne og gøre kolleger til ledere. "
                  "Spørg en af dem.")
STAFF_NO = N_("Siden Kolleger er for tilbuddets egne brugere og LOS' administratorer. LOS' "
              "konsulenter og bestyrelsen har ikke adgang.")
LAST_LEADER = N_("Du er tilbuddets eneste leder. Gør først en kollega til leder.")
NOT_INVITED = N_("%(name)s har allerede valgt en adgangskode; der er ingen invitation at sende "
                 "igen.")
NOT_SENT = N_("Invitationen er ikke sendt. Ret felterne markeret nedenfor.")
REMOVED = N_("%(name)s er fjernet. Giv adgang igen først.")
ORGANISATION_INACTIVE = N_("Tilbuddet er ikke længere aktivt i etik, så der kan ikke inviteres "
                           "nye kolleger. Kontakt LOS.")


@dataclass(frozen=True)
class Colleagues:
    organisation: Organisation
    people: list[User]  # active first, then by name
    can_manage: bool  # the reader may invite, remove and make leaders


class ColleagueInput(BaseModel):
    """What a leader types: the role is always member, the organisation always its own."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: Text = Field(min_length=1, max_length=200)
    email: EmailStr = Field(max_length=254)

    @field_validator("email", mode="before")
    @classmethod
    def _lower(cls, value):
        return normalise_email(value) if isinstance(value, str) else value


def _organisation(session: Session, user: User, organisation_id: int) -> Organisation:
    """The organisation whose colleagues `user` may read: a member its own (another's is
    404, as a missing one), an admin any; advisors and the board none (403)."""
    if user.role not in (Role.MEMBER, Role.ADMIN):
        raise Forbidden(STAFF_NO)
    if user.role == Role.MEMBER and user.organisation_id != organisation_id:
        raise NotFound(NOT_FOUND)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(NOT_FOUND)
    return organisation


def _manageable(session: Session, user: User, organisation_id: int) -> Organisation:
    """As `_organisation`, for a write: a member who is not a leader is refused (403) before
    anything about the organisation is looked up."""
    if user.role == Role.MEMBER and not user.member_admin:
        raise Forbidden(LEADERS_ONLY)
    return _organisation(session, user, organisation_id)


def _colleague(session: Session, organisation: Organisation, user_id: int) -> User:
    """A member user of this organisation; anyone else is 404 here."""
    person = session.get(User, user_id)
    if person is None or person.organisation_id != organisation.id or \
            person.role != Role.MEMBER:
        raise NotFound(COLLEAGUE_NOT_FOUND)
    return person


def list_colleagues(*, session: Session, user: User, organisation_id: int) -> Colleagues:
    organisation = _organisation(session, user, organisation_id)
    people = users.users_of_organisation(session=session, organisation_id=organisation.id)
    can_manage = users.may_manage(user, Role.MEMBER, organisation.id)
    return Colleagues(organisation, [p for p in people if p.role == Role.MEMBER], can_manage)


def invite_colleague(*, session: Session, settings: Settings, user: User,
                     organisation_id: int, data: dict) -> User:
    """A new member user of the organisation, invited by mail as LOS' admin invites one."""
    organisation = _manageable(session, user, organisation_id)
    if not organisation.active and user.role != Role.ADMIN:
        raise Invalid(ORGANISATION_INACTIVE)
    values = parse_input(ColleagueInput, data, NOT_SENT)
    # Whatever else the form sent, the role is member and the organisation this one.
    return users.invite_user(session=session, settings=settings, user=user, data={
        "name": values.name, "email": values.email, "role": Role.MEMBER,
        "organisation_id": organisation.id})


def resend_invitation(*, session: Session, settings: Settings, user: User,
                      organisation_id: int, colleague_id: int) -> User:
    organisation = _manageable(session, user, organisation_id)
    person = _colleague(session, organisation, colleague_id)
    if not person.active:
        raise Invalid(REMOVED, params={"name": person.name})
    if person.password_hash:
        raise Invalid(NOT_INVITED, params={"name": person.name})
    audit.record(session, user=user, action=AuditAction.INVITE, entity=AuditEntity.USER,
                 entity_id=person.id, organisation_id=organisation.id,
                 changes={"invitation": [None, person.email]})
    send_invitation(session=session, settings=settings, user=person)  # commits the entry
    return person


def _active_leaders(session: Session, organisation_id: int) -> list[int]:
    return list(session.exec(select(User.id).where(
        User.organisation_id == organisation_id, User.role == Role.MEMBER,
        col(User.member_admin), col(User.active))))


def _refuse_losing_the_last_leader(session: Session, user: User, person: User) -> None:
    """A leader does not leave the organisation without one by their own hand."""
    if person.id == user.id and _active_leaders(session, person.organisation_id) == [user.id]:
        raise Invalid(LAST_LEADER)


def colleague_of(*, session: Session, user: User, organisation_id: int,
                 colleague_id: int) -> User:
    """A colleague `user` manages (a leader of the organisation, or an admin)."""
    organisation = _manageable(session, user, organisation_id)
    return _colleague(session, organisation, colleague_id)


def check_removable(*, session: Session, user: User, organisation_id: int,
                    colleague_id: int) -> User:
    """The colleague `user` may remove; the confirmation page asks this before it offers
    the button (and says why not, instead)."""
    person = colleague_of(session=session, user=user, organisation_id=organisation_id,
                          colleague_id=colleague_id)
    if person.active:
        _refuse_losing_the_last_leader(session, user, person)
    return person


def remove_colleague(*, session: Session, user: User, organisation_id: int,
                     colleague_id: int) -> User:
    """Deactivates the colleague: logged out at once, nothing deleted, can be undone."""
    person = check_removable(session=session, user=user, organisation_id=organisation_id,
                             colleague_id=colleague_id)
    if not person.active:
        return person
    return users.write_active(session=session, user=user, changed=person, active=False)


def give_access_again(*, session: Session, user: User, organisation_id: int,
                      colleague_id: int) -> User:
    organisation = _manageable(session, user, organisation_id)
    person = _colleague(session, organisation, colleague_id)
    if person.active:
        return person
    return users.write_active(session=session, user=user, changed=person, active=True)


def set_leader(*, session: Session, user: User, organisation_id: int, colleague_id: int,
               leader: bool | None) -> User:
    """Makes a colleague one of the organisation's leaders (member_admin), or not (None:
    the form said neither)."""
    organisation = _manageable(session, user, organisation_id)
    person = _colleague(session, organisation, colleague_id)
    if leader is None:
        raise Invalid(N_("Sig, om kollegaen skal være leder eller ej."))
    if person.member_admin == leader:
        return person
    if not leader:
        _refuse_losing_the_last_leader(session, user, person)
    before = fields_of(person, users.USER_FIELDS)
    person.member_admin = leader
    session.add(person)
    audit.record_fields(session, user=user, action=AuditAction.UPDATE, entity=AuditEntity.USER,
                        entity_id=person.id, organisation_id=organisation.id, row=person,
                        fields=users.USER_FIELDS, before=before)
    session.commit()
    return person
