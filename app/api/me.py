"""GET /api/v1/me: who the token belongs to; PATCH /api/v1/me: change one's own name."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.auth.deps import ApiUser, SessionDep
from app.models import User
from app.services import account
from app.services.overview import organisation_of

router = APIRouter(tags=["account"])


class OrganisationRef(BaseModel):
    id: int
    name: str
    cvr: str


class Me(BaseModel):
    email: str
    name: str
    role: str
    # A member's leader: may invite and remove the organisation's other member users.
    member_admin: bool
    organisation: OrganisationRef | None


def _me(session, user: User) -> Me:
    organisation = organisation_of(session=session, user=user)
    return Me(
        email=user.email,
        name=user.name,
        role=user.role,
        member_admin=user.member_admin,
        organisation=OrganisationRef(id=organisation.id, name=organisation.name,
                                     cvr=organisation.cvr) if organisation else None,
    )


@router.get("/me")
def read_me(user: ApiUser, session: SessionDep) -> Me:
    return _me(session, user)


@router.patch("/me")
def patch_me(body: account.NameInput, user: ApiUser, session: SessionDep) -> Me:
    """The caller's own name, as on the My account page; the change is in the audit trail.
    (A new email is confirmed by a link, and a password needs the current one: both on
    the page, not here.)"""
    return _me(session, account.change_name(session=session, user=user, data=body))
