"""Members in bulk for the advisor pages' tests: submitted scores without the services.

The services' own tests build assessments answer by answer; a thousand members that way
would take minutes, so these rows go in directly with one insert per table.
"""

import random
from itertools import count

from sqlalchemy import insert
from sqlmodel import Session, select

from app.models import Assessment, Cycle, Organisation, Requirement, RequirementScore
from app.models.base import utcnow
from app.models.vocabulary import Region, ServiceType

_numbers = count(50_000_000)


def bulk_members(session: Session, cycle: Cycle, n: int, *, seed: int = 1) -> None:
    """`n` members with a submitted assessment scoring every requirement 1.0-5.0."""
    chance = random.Random(seed)
    first = next(_numbers)
    for _ in range(n):
        next(_numbers)
    session.execute(insert(Organisation), [
        {"name": f"Bulk {first + i}", "cvr": f"{first + i:08d}", "company_name": "",
         "service_type": ServiceType.DOEGNTILBUD, "region": Region.SJAELLAND, "places": 12,
         "active": True, "created_at": utcnow()} for i in range(n)])
    ids = session.exec(select(Organisation.id).where(
        Organisation.cvr >= f"{first:08d}", Organisation.cvr < f"{first + n:08d}")).all()
    now = utcnow()
    session.execute(insert(Assessment), [
        {"organisation_id": organisation_id, "cycle_id": cycle.id,
         "catalogue_version_id": cycle.catalogue_version_id, "status": "submitted",
         "version": 2, "answered_count": 1, "in_scope_count": 1, "injunction_kind": "",
         "injunction_description": "", "injunction_version": 0, "submitted_at": now,
         "created_at": now, "updated_at": now} for organisation_id in ids])
    assessments = session.exec(select(Assessment.id).where(
        Assessment.cycle_id == cycle.id,
        Assessment.organisation_id.in_(ids))).all()  # type: ignore[union-attr]
    requirements = session.exec(select(Requirement.id).where(
        Requirement.catalogue_version_id == cycle.catalogue_version_id)).all()
    session.execute(insert(RequirementScore), [
        {"assessment_id": assessment_id, "requirement_id": requirement_id,
         "score": chance.randint(10, 50) / 10, "scored_count": 1, "answered_count": 1,
         "in_scope_count": 1} for assessment_id in assessments for requirement_id in requirements])
    session.commit()
