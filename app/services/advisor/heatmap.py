"""The gap heatmap: members x requirements for one cycle, a page at a time, sorted in SQL.

Sorting by a requirement puts the lowest scores first (the biggest gaps), members without
a score for it last; sorting by name is alphabetical. Three queries whatever the number of
members: the count, one page of members in order, and that page's scores.
"""

from dataclasses import dataclass

from sqlalchemy import and_, func, nulls_last
from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import Assessment, Cycle, Organisation, Requirement, RequirementScore, User
from app.services.access import require_staff
from app.services.advisor.segments import MemberFilter
from app.services.errors import FieldError, Invalid

BY_NAME = "name"


@dataclass(frozen=True)
class HeatmapRow:
    organisation: Organisation
    assessment_id: int | None  # None: nothing submitted this cycle
    scores: list[float | None]  # one per requirement, in catalogue order


@dataclass(frozen=True)
class Heatmap:
    requirements: list[Requirement]
    rows: list[HeatmapRow]
    total: int


def heatmap(*, session: Session, user: User, cycle: Cycle, members: MemberFilter,
            sort: str = BY_NAME, offset: int = 0, limit: int = 50) -> Heatmap:
    require_staff(user)
    requirements = list(session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == cycle.catalogue_version_id
    ).order_by(Requirement.number)))
    where = members.where(user)
    submitted = (select(Assessment.id, Assessment.organisation_id)
                 .where(Assessment.cycle_id == cycle.id,
                        col(Assessment.submitted_at).is_not(None)).subquery())
    total = session.exec(select(func.count()).select_from(Organisation).where(where)).one()
    statement = (select(Organisation, submitted.c.id)
                 .join(submitted, submitted.c.organisation_id == Organisation.id, isouter=True)
                 .where(where))
    if sort == BY_NAME:
        statement = statement.order_by(func.lower(Organisation.name), Organisation.id)
    else:
        requirement = next((r for r in requirements if str(r.number) == sort), None)
        if requirement is None:
            raise Invalid(N_("Der kan ikke sorteres sådan."),
                          [FieldError("sort", N_("Vælg en af mulighederne."))])
        statement = (statement.join(RequirementScore, and_(
            RequirementScore.assessment_id == submitted.c.id,
            RequirementScore.requirement_id == requirement.id), isouter=True)
            .order_by(nulls_last(col(RequirementScore.score).asc()),
                      func.lower(Organisation.name), Organisation.id))
    page = session.exec(statement.offset(offset).limit(limit)).all()
    assessment_ids = [assessment_id for _, assessment_id in page if assessment_id]
    scores: dict[tuple[int, int], float | None] = {
        (assessment_id, requirement_id): score for assessment_id, requirement_id, score in
        session.exec(select(RequirementScore.assessment_id, RequirementScore.requirement_id,
                            RequirementScore.score)
                     .where(col(RequirementScore.assessment_id).in_(assessment_ids)))
    } if assessment_ids else {}
    rows = [HeatmapRow(organisation, assessment_id,
                       [scores.get((assessment_id, r.id)) for r in requirements])
            for organisation, assessment_id in page]
    return Heatmap(requirements, rows, total)
