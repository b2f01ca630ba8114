"""Sector reference figures, JSON: read them (board, advisors, admins), record, correct and
delete them (admins). The same services as /admin/references."""

from datetime import datetime

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from app.auth.deps import ApiUser, SessionDep, api_role
from app.models import SectorReference
from app.models.vocabulary import ProviderGroup, Role
from app.services import sector_reference
from app.services.fields import RowId

router = APIRouter(tags=["reference figures"], dependencies=[
    Depends(api_role(Role.BOARD, Role.ADVISOR, Role.ADMIN))])


class ReferenceOut(BaseModel):
    id: int
    source: str
    year: int
    theme_key: str  # a theme of the quality model (`km.tema.…`)
    theme_title: str
    provider_group: ProviderGroup
    mean: float
    updated_at: datetime


def _out(row: SectorReference, titles: dict[str, str]) -> ReferenceOut:
    return ReferenceOut(id=row.id, source=row.source, year=row.year, theme_key=row.theme_key,
                        theme_title=titles.get(row.theme_key, row.theme_key),
                        provider_group=row.provider_group, mean=row.mean,
                        updated_at=row.updated_at)


def _titles(session) -> dict[str, str]:
    return {t.key: t.title for t in sector_reference.quality_themes(session)}


@router.get("/reference-figures")
def read_references(user: ApiUser, session: SessionDep) -> list[ReferenceOut]:
    """Newest year first."""
    titles = _titles(session)
    return [_out(row, titles) for row in
            sector_reference.list_references(session=session, user=user)]


# Refused before the body is read: a board member's or advisor's post is a 403, not a 422.
ADMIN_ONLY = [Depends(api_role(Role.ADMIN))]


@router.post("/reference-figures", status_code=201, dependencies=ADMIN_ONLY, responses={
    200: {"description": "A figure with the same source, year, theme and provider group "
                         "existed; its mean is corrected", "model": ReferenceOut}})
def save_reference(body: sector_reference.ReferenceInput, user: ApiUser, session: SessionDep,
                   response: Response) -> ReferenceOut:
    """Admin: records a figure, or corrects the mean of the one with the same identity."""
    row, created = sector_reference.save_reference(session=session, user=user,
                                                   data=body.model_dump())
    if not created:
        response.status_code = 200
    return _out(row, _titles(session))


@router.delete("/reference-figures/{reference_id}", status_code=204, dependencies=ADMIN_ONLY)
def delete_reference(reference_id: RowId, user: ApiUser, session: SessionDep) -> Response:
    """Admin: the audit trail keeps what was deleted."""
    sector_reference.delete_reference(session=session, user=user, reference_id=reference_id)
    return Response(status_code=204)
