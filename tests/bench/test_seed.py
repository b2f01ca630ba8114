"""The benchmark's bulk seed follows the same rules as the services."""

from sqlalchemy import func, select

from app.db import create_db_engine
from app.models import Answer, Assessment, Cycle, Organisation, RequirementScore
from bench.seed import is_seeded, seed


def test_bulk_seed_gives_every_organisation_an_assessment_per_cycle(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    engine = create_db_engine(url)
    seed(engine, url, members=12, cycles=3)
    assert is_seeded(engine, 12)
    with engine.connect() as connection:
        count = lambda model: connection.execute(  # noqa: E731
            select(func.count()).select_from(model)).scalar()
        assert count(Organisation) == 12
        assert count(Cycle) == 3
        assert count(Assessment) == 36
        assert count(Answer) > 0
        # Progress counts agree with the answers stored.
        mismatched = connection.execute(
            select(Assessment.id).where(Assessment.answered_count != select(func.count())
                                        .where(Answer.assessment_id == Assessment.id)
                                        .scalar_subquery())).all()
        assert mismatched == []
        scores = connection.execute(select(RequirementScore.score)).scalars().all()
        assert all(score is None or 1 <= score <= 5 for score in scores)
    engine.dispose()
