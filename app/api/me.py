"""GET /api/v1/me: who the token belongs to."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.auth.deps import ApiUser, SessionDep
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
    organisation: OrganisationRef | None


@router.get("/me")
def read_me(user: ApiUser, session: SessionDep) -> Me:
    organisation = organisation_of(session=session, user=user)
    return Me(
        email=user.email,
        name=user.name,
        role=user.role,
        organisation=OrganisationRef(id=organisation.id, name=organisation.name,
                                     cvr=organisation.cvr) if organisation else None,
    )
