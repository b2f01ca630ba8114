"""GET /api/v1/cycles."""

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import select

from app.auth.deps import ApiUser, SessionDep
from app.clock import TodayDep
from app.models import CatalogueVersion
from app.services.cycles import cycle_status, list_cycles

router = APIRouter(tags=["cycles"])


class CycleOut(BaseModel):
    id: int
    year: int
    catalogue_key: str
    catalogue_version: str
    opens_on: date
    deadline: date
    status: str


@router.get("/cycles")
def read_cycles(_user: ApiUser, session: SessionDep, today: TodayDep) -> list[CycleOut]:
    versions = {v.id: v for v in session.exec(select(CatalogueVersion))}
    return [
        CycleOut(id=c.id, year=c.year, catalogue_key=versions[c.catalogue_version_id].key,
                 catalogue_version=versions[c.catalogue_version_id].version,
                 opens_on=c.opens_on, deadline=c.deadline,
                 status=cycle_status(c, today).value)
        for c in list_cycles(session=session)
    ]
