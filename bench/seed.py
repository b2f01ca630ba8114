"""Seeds a benchmark database fast, with bulk inserts rather than the per-save services.

The figures follow the services' rules (app.services.assessment.scoring), so pages see the same data
shape as in production: every organisation has an assessment in every cycle, the past
ones submitted, this year's a mix of drafts and submissions.
"""

import random
from datetime import timedelta

from alembic import command
from sqlalchemy import Engine, func, insert, select
from sqlmodel import Session

from app.auth.passwords import hash_password
from app.cli import alembic_config
from app.clock import today
from app.config import PROJECT_ROOT
from app.models import (
    Answer,
    Assessment,
    CatalogueVersion,
    Cycle,
    Indicator,
    Organisation,
    RequirementScore,
    User,
)
from app.models.base import utcnow
from app.models.vocabulary import Region, Role, ServiceType
from app.services.assessment.scoring import AnswerState, requirement_result
from app.services.board.histograms import rebuild_histogram
from app.services.catalogue.loading import load_catalogues

CHUNK = 5_000
BENCH_PASSWORD = "bench-pass-2026"


def is_seeded(engine: Engine, members: int) -> bool:
    try:
        with engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(Organisation)).scalar()
            return count == members
    except Exception:
        return False


def seed(engine: Engine, url: str, members: int, cycles: int, seed_value: int = 7) -> None:
    config = alembic_config(url)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    rng = random.Random(seed_value)
    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        assert load_catalogues(session=session, root=PROJECT_ROOT / "catalogue").ok
        version = session.scalars(select(CatalogueVersion).where(
            CatalogueVersion.kind == "assessment")).one()
        indicators = list(session.scalars(select(Indicator).where(
            Indicator.catalogue_version_id == version.id).order_by(Indicator.position)))
    password = hash_password(BENCH_PASSWORD)
    types, regions = list(ServiceType), list(Region)
    with engine.begin() as connection:
        connection.execute(insert(User), [
            {"email": f"{name}@bench.example", "name": name, "role": role,
             "password_hash": password, "active": True, "created_at": now}
            for name, role in (("admin", Role.ADMIN), ("advisor", Role.ADVISOR),
                               ("board", Role.BOARD))])
        _chunked(connection, Organisation, [
            {"name": f"Tilbud {n}", "cvr": f"{20000000 + n:08d}", "company_name": f"Firma {n}",
             "service_type": types[n % len(types)], "region": regions[n % len(regions)],
             "places": rng.randint(4, 40), "active": True, "created_at": now}
            for n in range(1, members + 1)])
        org_rows = connection.execute(
            select(Organisation.id, Organisation.service_type).order_by(Organisation.id)).all()
        _chunked(connection, User, [
            {"email": f"member{n}@bench.example", "name": f"Medlem {n}", "role": Role.MEMBER,
             "organisation_id": org_id, "password_hash": password, "active": True,
             "created_at": now}
            for n, (org_id, _type) in enumerate(org_rows, start=1)])
        first_year = today().year - cycles + 1
        for offset in range(cycles):
            year = first_year + offset
            is_open = year == today().year
            opens = today() - timedelta(days=30) if is_open else today().replace(year=year)
            cycle_id = connection.execute(insert(Cycle).values(
                year=year, catalogue_version_id=version.id, opens_on=opens,
                deadline=opens + timedelta(days=60), created_at=now)).inserted_primary_key[0]
            _seed_cycle(connection, rng, cycle_id, version.id, org_rows, indicators, is_open,
                        now)
    with Session(engine) as session:
        rebuild_histogram(session)  # the bulk inserts went beside the services
        session.commit()


def _seed_cycle(connection, rng, cycle_id, version_id, org_rows, indicators, is_open, now):
    """One cycle: plan every organisation's answers first, so counts go in with the rows."""
    plans = {}
    first_org_id = org_rows[0][0]
    for org_id, service_type in org_rows:
        in_scope = [i for i in indicators if service_type in i.service_types]
        # The first organisation's open assessment is always a draft: the benchmark saves
        # answers into it, also at a tiny scale where chance could leave no draft.
        draft = is_open and (org_id == first_org_id or rng.random() < 0.6)
        share = rng.random() if draft else 1.0
        level = rng.uniform(2.2, 4.8)
        given = [(i, max(1, min(5, round(rng.gauss(level, 0.8)))))
                 for i in in_scope if rng.random() <= share]
        plans[org_id] = (draft, in_scope, given)
    _chunked(connection, Assessment, [
        {"organisation_id": org_id, "cycle_id": cycle_id, "catalogue_version_id": version_id,
         "status": "draft" if draft else "submitted", "version": 1,
         "answered_count": len(given), "in_scope_count": len(in_scope),
         "injunction_kind": "", "injunction_description": "", "injunction_version": 0,
         "submitted_at": None if draft else now, "created_at": now, "updated_at": now}
        for org_id, (draft, in_scope, given) in plans.items()])
    ids = dict(connection.execute(select(Assessment.organisation_id, Assessment.id)
                                  .where(Assessment.cycle_id == cycle_id)).all())
    answers, scores = [], []
    for org_id, (_draft, in_scope, given) in plans.items():
        assessment_id = ids[org_id]
        answers += [{"assessment_id": assessment_id, "indicator_id": indicator.id,
                     "score": score, "not_applicable": False,
                     "comment": "" if score > 2 else "Vi arbejder på det.",
                     "carried_over": False, "saved_at_version": 1, "updated_at": now}
                    for indicator, score in given]
        for requirement_id in {i.requirement_id for i in in_scope}:
            states = [AnswerState(score, False) for i, score in given
                      if i.requirement_id == requirement_id]
            total = sum(1 for i in in_scope if i.requirement_id == requirement_id)
            result = requirement_result(states, total)
            scores.append({"assessment_id": assessment_id, "requirement_id": requirement_id,
                           "score": result.score, "scored_count": result.scored_count,
                           "answered_count": result.answered_count,
                           "in_scope_count": result.in_scope_count})
    _chunked(connection, Answer, answers)
    _chunked(connection, RequirementScore, scores)


def _chunked(connection, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(model), rows[start:start + CHUNK])
