"""The Alembic migrations: they go up and down, match the models, and stay in one line.

These tests share the database with every other test, so each one leaves the schema at
head, as the session fixture built it.
"""

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import app.models  # noqa: F401  (registers every table on the metadata)
from app.cli import alembic_config
from app.db import create_db_engine, metadata

DATED_NAME = re.compile(r"^(\d{8})_\w+\.py$")


@pytest.fixture
def database(database_url):
    """An engine of its own (not the `engine` fixture), and the schema at head afterwards."""
    engine = create_db_engine(database_url)
    yield engine, alembic_config(database_url)
    command.upgrade(alembic_config(database_url), "head")
    engine.dispose()


def _refilled(database, session, rows, revision: str):
    """rows() as the services wrote them, and as the next revision's fill writes them anew
    after going down to `revision` and back up."""
    written = rows()
    session.close()
    _engine, config = database
    command.downgrade(config, revision)
    command.upgrade(config, "head")
    return written, rows()


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_migrations_go_up_to_head_down_to_base_and_up_again(database):
    engine, config = database
    command.upgrade(config, "head")
    assert _tables(engine) == set(metadata.tables)
    command.downgrade(config, "base")
    assert _tables(engine) == set()
    command.upgrade(config, "head")
    assert _tables(engine) == set(metadata.tables)


def test_autogenerate_finds_no_difference_between_models_and_migrations(database):
    engine, config = database
    command.upgrade(config, "head")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == [], (
        "the models and the migrations differ; add a revision with "
        f"`alembic revision --autogenerate`: {differences}")


def _revision_files() -> list[Path]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [Path(revision.path) for revision in script.walk_revisions()]


def test_every_revision_file_name_starts_with_its_date():
    files = _revision_files()
    assert files
    for path in files:
        match = DATED_NAME.match(path.name)
        assert match, f"{path.name} does not start with YYYYMMDD_"
        datetime.strptime(match.group(1), "%Y%m%d")  # a real date


def test_migrations_have_exactly_one_head():
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"several heads, merge them: {heads}"


def test_the_latest_official_revision_fills_the_table_from_existing_inspections(
        database, session, cast, catalogue):
    from datetime import date

    from sqlmodel import select

    from app.services import official_scores
    from tests.services.test_calibration import THEME_4, THEME_5, _inspection

    _inspection(session, cast.org_a, date(2024, 5, 1), {THEME_4: 3.0, THEME_5: 4.0})
    _inspection(session, cast.org_a, date(2025, 9, 1), {THEME_4: 4.5})
    _inspection(session, cast.org_a, date(2025, 9, 1), {THEME_4: 3.5})
    _inspection(session, cast.org_b, date(2026, 1, 1), {THEME_5: 1.0})
    session.commit()
    session.close()
    _engine, config = database
    command.downgrade(config, "0014_account_self_service")
    command.upgrade(config, "head")

    def rows(subquery):
        return sorted((org, key, on, round(score, 6)) for org, key, on, score in
                      session.connection().execute(select(*subquery.c)))

    filled = rows(official_scores.stored())
    assert filled == rows(official_scores.computed())
    assert (cast.org_a.id, THEME_4, date(2025, 9, 1), 4.0) in filled and len(filled) == 3


def test_the_requirement_rollup_revision_fills_the_table_from_the_histogram(
        database, session, cast, catalogue):
    from sqlmodel import select

    from app.models import RequirementRollup
    from tests.services.test_results import fill_in, past_cycle

    cycle = past_cycle(session, catalogue, 1)
    fill_in(session, cast.org_a, cycle, {1: 2, 2: None, 3: 5})
    fill_in(session, cast.org_b, cycle, {1: 3, 4: 1})

    def rows():
        session.expire_all()
        return sorted((r.cycle_id, r.segment, r.group_value, r.requirement_id, r.scored,
                       round(r.score_sum, 9), r.meeting,
                       tuple(sorted((k, v) for k, v in r.distribution.items() if v)),
                       round(r.median, 9))
                      for r in session.exec(select(RequirementRollup)))

    written, filled = _refilled(database, session, rows, "0016_inspection_report")
    assert filled == written and len(filled) >= 4 * 10


def test_the_requirement_score_figures_revision_fills_lowest_and_previous_scores(
        database, session, cast, catalogue, open_cycle):
    from sqlmodel import select

    from app.models import RequirementScore
    from tests.services.test_results import fill_in, past_cycle

    fill_in(session, cast.org_a, past_cycle(session, catalogue, 2), {1: 5})
    fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {1: 4, 2: 1, 3: None})
    fill_in(session, cast.org_a, open_cycle, {1: 2, 2: 3}, user=cast.alice)
    fill_in(session, cast.org_b, open_cycle, {4: 1}, submitted=False)

    def rows():
        session.expire_all()
        return sorted(session.exec(select(RequirementScore.id, RequirementScore.lowest_score,
                                          RequirementScore.previous_score)).all())

    written, filled = _refilled(database, session, rows, "0017_requirement_rollup")
    assert filled == written
    assert {lowest for _, lowest, _ in filled} >= {1, 2, 4, 5}
    assert {previous for _, _, previous in filled} >= {None, 4.0, 5.0}


def test_the_theme_calibration_revision_fills_the_table_from_scores_and_inspections(
        database, session, cast, catalogue, open_cycle):
    from sqlmodel import select

    from app.models import ThemeCalibration
    from tests.services.test_calibration import THEME_4, THEME_5, _inspection
    from tests.services.test_results import fill_in, past_cycle

    fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {4: 2, 5: None})
    fill_in(session, cast.org_a, open_cycle, {4: 5}, user=cast.alice)
    fill_in(session, cast.org_b, open_cycle, {4: 3})
    _inspection(session, cast.org_a, date(2025, 9, 1), {THEME_4: 3.0, THEME_5: 4.0})

    def rows():
        session.expire_all()
        return sorted((r.assessment_id, r.theme_key, r.organisation_id, r.cycle_id,
                       round(r.self_score, 9), r.official_score, r.visited_on,
                       None if r.gap is None else round(r.gap, 9))
                      for r in session.exec(select(ThemeCalibration)))

    written, filled = _refilled(database, session, rows, "0018_requirement_score_figures")
    assert filled == written
    assert len({row[0] for row in filled}) == 3
    assert {row[5] for row in filled} >= {None, 3.0, 4.0}
