"""Board test data: members with submitted assessments and their stored requirement scores,
written directly (the services that save answers are tested elsewhere), plus the raw
indicator scores each requirement score came from, so tests can compute figures on
their own."""

import random
from dataclasses import dataclass, field
from datetime import date
from itertools import count
from statistics import fmean

from sqlmodel import Session, col, select

from app.models import Assessment, Cycle, Organisation, Requirement, RequirementScore
from app.models.vocabulary import AssessmentStatus, Region, ServiceType
from app.services import theme_calibration
from app.services.board.histograms import rebuild_histogram

_numbers = count(1)


@dataclass
class Respondent:
    organisation: Organisation
    # requirement key -> raw indicator scores (empty: every indicator "not relevant")
    raw: dict[str, list[int]] = field(default_factory=dict)

    def score(self, key: str) -> float | None:
        values = self.raw.get(key) or []
        return round(fmean(values), 2) if values else None


@dataclass
class BoardData:
    cycle: Cycle
    requirements: list[Requirement]
    respondents: list[Respondent] = field(default_factory=list)
    non_respondents: list[Organisation] = field(default_factory=list)


def make_cycle(session: Session, catalogue, year: int) -> Cycle:
    cycle = Cycle(year=year, catalogue_version_id=catalogue.id, opens_on=date(year, 1, 1),
                  deadline=date(year, 3, 1))
    session.add(cycle)
    session.commit()
    return cycle


def requirements_of(session: Session, cycle: Cycle) -> list[Requirement]:
    return list(session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == cycle.catalogue_version_id
    ).order_by(Requirement.number)))


def make_member(session: Session, **overrides) -> Organisation:
    n = next(_numbers)
    values = {"name": f"Hemmeligt Tilbud {n}", "cvr": f"{30000000 + n:08d}",
              "company_name": f"Skjult Firma {n}", "service_type": ServiceType.DOEGNTILBUD,
              "region": Region.MIDTJYLLAND, "places": 12}
    organisation = Organisation(**(values | overrides))
    session.add(organisation)
    session.flush()
    return organisation


def submit_scores(session: Session, cycle: Cycle, organisation: Organisation,
                  requirements: list[Requirement], rng: random.Random,
                  level: float | None = None, status: str = AssessmentStatus.SUBMITTED
                  ) -> Respondent:
    """An assessment of `organisation` in `cycle` with random raw scores per requirement."""
    assessment = Assessment(organisation_id=organisation.id, cycle_id=cycle.id,
                            catalogue_version_id=cycle.catalogue_version_id, status=status)
    session.add(assessment)
    session.flush()
    respondent = Respondent(organisation)
    centre = level if level is not None else rng.uniform(1.5, 4.8)
    for requirement in requirements:
        if rng.random() < 0.1:
            raw: list[int] = []  # all "not relevant"
        else:
            raw = [max(1, min(5, round(rng.gauss(centre, 0.9)))) for _ in range(3)]
        respondent.raw[requirement.key] = raw
        if rng.random() < 0.05 and not raw:
            continue  # no row at all: the requirement was never saved
        session.add(RequirementScore(
            assessment_id=assessment.id, requirement_id=requirement.id,
            score=respondent.score(requirement.key), scored_count=len(raw),
            answered_count=3, in_scope_count=3))
    return respondent


def seed_groups(session: Session, cycle: Cycle, sizes: dict[str, int], *,
                attribute: str = "service_type", seed: int = 1, non_respondents: int = 0,
                ) -> BoardData:
    """`sizes` respondents per value of `attribute`; drafts and non-respondents around them."""
    rng = random.Random(seed)
    data = BoardData(cycle, requirements_of(session, cycle))
    for value, n in sizes.items():
        for _ in range(n):
            organisation = make_member(session, **{attribute: value})
            data.respondents.append(submit_scores(session, cycle, organisation,
                                                  data.requirements, rng))
        for _ in range(non_respondents):
            organisation = make_member(session, **{attribute: value})
            # A draft is not a response and must not count.
            submit_scores(session, cycle, organisation, data.requirements, rng,
                          status=AssessmentStatus.DRAFT)
            data.non_respondents.append(organisation)
    # Written beside the services, so the stored histogram and calibration are computed anew.
    rebuild_histogram(session)
    theme_calibration.rebuild(session)
    session.commit()
    return data


def seed_many(session: Session, cycles: list[Cycle], n: int, seed: int = 11) -> None:
    """`n` members with a submitted assessment in every cycle, in bulk (for scale tests)."""
    from sqlalchemy import insert

    rng = random.Random(seed)
    types, regions = list(ServiceType), list(Region)
    start = next(_numbers) * 10_000
    session.execute(insert(Organisation), [
        {"name": f"Masse {start}-{i}", "cvr": f"{40000000 + start + i:08d}"[-8:],
         "company_name": "", "service_type": types[i % len(types)],
         "region": regions[i % len(regions)], "places": rng.randint(0, 40), "active": True}
        for i in range(n)])
    ids = list(session.exec(select(Organisation.id).where(
        col(Organisation.name).startswith(f"Masse {start}-"))))
    for cycle in cycles:
        requirements = requirements_of(session, cycle)
        session.execute(insert(Assessment), [
            {"organisation_id": org_id, "cycle_id": cycle.id,
             "catalogue_version_id": cycle.catalogue_version_id,
             "status": AssessmentStatus.SUBMITTED} for org_id in ids])
        assessments = list(session.exec(select(Assessment.id).where(
            Assessment.cycle_id == cycle.id, col(Assessment.organisation_id).in_(ids))))
        session.execute(insert(RequirementScore), [
            {"assessment_id": a, "requirement_id": r.id, "score": round(rng.uniform(1, 5), 2),
             "scored_count": 3, "answered_count": 3, "in_scope_count": 3}
            for a in assessments for r in requirements])
    rebuild_histogram(session)
    theme_calibration.rebuild(session)
    session.commit()
