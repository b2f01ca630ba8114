"""The demo at scale: members beyond the story ones are written in bulk with the same rules
as the services, every state present, the board's histogram true to the scores, and their
inspections as the form would take them."""

from datetime import date

import pytest
from sqlmodel import Session, col, func, select

from app.models import (
    Action,
    Answer,
    Assessment,
    AssessmentRevision,
    Cycle,
    Inspection,
    Organisation,
    RequirementScore,
    RespondentCount,
    ScoreHistogram,
    User,
)
from app.models.vocabulary import ActionStatus
from app.services import official_scores
from app.services.board.histograms import computed_histogram, computed_respondents
from app.services.board.segments import Segment
from app.services.board.themes import theme_map
from app.services.calibration import members_above_official
from app.services.demo import STORY_MEMBERS, load_demo
from app.services.inspections import check_inspection, records

TODAY = date(2026, 6, 15)
MEMBERS = STORY_MEMBERS + 80


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Session:
    from alembic import command

    from app.cli import alembic_config
    from app.db import create_db_engine, session_scope

    url = f"sqlite:///{tmp_path_factory.mktemp('bulk') / 'demo.db'}"
    command.upgrade(alembic_config(url), "head")
    engine = create_db_engine(url)
    with session_scope(engine) as session:
        load_demo(session=session, password="demo-pass-2026", members=MEMBERS, years=3,
                  today=TODAY)
        yield session
    engine.dispose()


def _bulk(demo: Session) -> list[int]:
    story = {u.organisation_id for u in demo.exec(select(User).where(
        col(User.email).in_([f"member{n}@example.org" for n in range(1, STORY_MEMBERS + 1)])))}
    return [o for o in demo.exec(select(Organisation.id)) if o not in story]


def test_every_member_has_a_login_and_the_count_is_as_asked(demo):
    assert demo.exec(select(func.count()).select_from(Organisation)).one() == MEMBERS
    assert demo.exec(select(User).where(User.email == f"member{MEMBERS}@example.org")).one()
    assert len(_bulk(demo)) == MEMBERS - STORY_MEMBERS


def test_each_bulk_members_one_user_is_its_leader(demo):
    bulk = demo.exec(select(User.member_admin).where(
        col(User.organisation_id).in_(_bulk(demo)))).all()
    assert len(bulk) == MEMBERS - STORY_MEMBERS and all(bulk)


def test_counts_and_scores_follow_the_services_rules(demo):
    # (A story member's answers carried over from last year count once confirmed.)
    mismatched = demo.exec(select(Assessment.id).where(
        col(Assessment.organisation_id).in_(_bulk(demo)),
        Assessment.answered_count != select(func.count()).where(
            Answer.assessment_id == Assessment.id).scalar_subquery())).all()
    assert mismatched == []
    scores = demo.exec(select(RequirementScore.score)).all()
    assert all(s is None or 1 <= s <= 5 for s in scores)
    # A low score always has its justification, as submitting requires.
    assert not demo.exec(select(Answer).where(col(Answer.score) <= 2,
                                              Answer.comment == "")).first()


def test_every_state_is_present_in_bulk(demo):
    bulk = _bulk(demo)
    this_year = demo.exec(select(Cycle).order_by(col(Cycle.year).desc())).first()
    statuses = dict(demo.exec(select(Assessment.organisation_id, Assessment.status).where(
        Assessment.cycle_id == this_year.id, col(Assessment.organisation_id).in_(bulk))).all())
    assert {"draft", "submitted"} <= set(statuses.values())
    assert len(statuses) < len(bulk)  # some have not started
    past = demo.exec(select(func.count()).select_from(Assessment).where(
        Assessment.cycle_id != this_year.id, col(Assessment.organisation_id).in_(bulk))).one()
    assert past < 2 * len(bulk)  # some past submissions are missing
    assert demo.exec(select(Assessment).where(Assessment.injunction_kind == "paabud",
                                              col(Assessment.organisation_id).in_(bulk))).first()
    states = set(demo.exec(select(Action.status).where(
        col(Action.organisation_id).in_(bulk))).all())
    assert states == set(ActionStatus)


def test_each_bulk_submission_has_its_revision_with_the_answers(demo):
    submitted = demo.exec(select(Assessment).where(
        Assessment.status == "submitted", col(Assessment.organisation_id).in_(_bulk(demo)))).all()
    revisions = {r.assessment_id: r for r in demo.exec(select(AssessmentRevision))}
    for assessment in submitted:
        snapshot = revisions[assessment.id].snapshot
        assert len(snapshot["answers"]) == assessment.answered_count


def test_the_board_histogram_is_what_the_scores_say(demo):
    stored = {(h.cycle_id, h.segment, h.group_value, h.requirement_id, h.score, h.respondents)
              for h in demo.exec(select(ScoreHistogram))}
    computed = {tuple(row) for segment in (None, *Segment)
                for row in demo.exec(computed_histogram(segment))}
    assert stored == computed != set()
    counted = {(r.cycle_id, r.segment, r.group_value, r.respondents)
               for r in demo.exec(select(RespondentCount))}
    assert counted == {tuple(row) for segment in (None, *Segment)
                       for row in demo.exec(computed_respondents(segment))} != set()


def test_most_bulk_members_have_inspections_each_as_the_form_would_take_it(demo):
    bulk = _bulk(demo)
    inspections = demo.exec(select(Inspection).where(
        col(Inspection.organisation_id).in_(bulk))).all()
    assert len({i.organisation_id for i in inspections}) > 0.6 * len(bulk)
    assert {len([i for i in inspections if i.visited_on.year == year])
            for year in (2024, 2025, 2026)} != {0}
    for found in records(demo, inspections):
        check_inspection(session=demo, today=TODAY, data={
            "visited_on": found.inspection.visited_on, "authority": found.inspection.authority,
            "kind": found.inspection.visit_kind, "framework_version": found.framework_version,
            "themes": [{"theme_id": key, "score": score} for key, score in found.themes.items()],
            "sanctions": [{"kind": s.kind, "description": s.description,
                           "deadline": s.deadline} for s in found.sanctions]})
    sanctioned = [found for found in records(demo, inspections) if found.sanctions]
    assert 0 < len(sanctioned) < 0.05 * len(inspections)


def test_the_stored_latest_official_scores_are_the_rules_and_some_members_see_themselves_kindly(
        demo):
    def rows(subquery):
        return sorted(tuple(row) for row in demo.connection().execute(select(*subquery.c)))

    assert rows(official_scores.stored()) == rows(official_scores.computed()) != []
    this_year = demo.exec(select(Cycle).order_by(col(Cycle.year).desc())).first()
    above = members_above_official(
        demo, cycle_id=this_year.id, themes=theme_map(demo, this_year.catalogue_version_id),
        threshold=1.0)
    assert {a.organisation_id for a in above} & set(_bulk(demo))


def test_the_demo_keeps_every_statement_under_sqlites_limit_of_bound_variables(
        tmp_path, monkeypatch):
    """At 50,000 members the seeder once selected its new rows with an IN list of every
    member, over SQLite's limit (32,766). Here the limit is 250 and batches are 100, so a
    list of every bulk member (300) fails as it would at scale."""
    import sqlite3

    from alembic import command
    from sqlalchemy import event

    from app.cli import alembic_config
    from app.db import create_db_engine, session_scope
    from app.services import demo_bulk, demo_bulk_inspections

    monkeypatch.setattr(demo_bulk, "BATCH", 100)
    monkeypatch.setattr(demo_bulk_inspections, "BATCH", 100)
    url = f"sqlite:///{tmp_path / 'limited.db'}"
    command.upgrade(alembic_config(url), "head")
    engine = create_db_engine(url)
    event.listen(engine, "connect", lambda connection, _record: connection.setlimit(
        sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 250))
    with session_scope(engine) as session:
        load_demo(session=session, password="demo-pass-2026", members=STORY_MEMBERS + 300,
                  years=2, today=TODAY)
        assert session.exec(select(func.count()).select_from(Organisation)).one() == (
            STORY_MEMBERS + 300)
        assert session.exec(select(func.count()).select_from(Inspection)).one() > 0
    engine.dispose()


def test_the_stored_lowest_and_previous_scores_are_what_the_services_keep(demo):
    from app.services.assessment import previous_scores
    from app.services.assessment.answers import refresh_scores

    def stored():
        demo.expire_all()
        return sorted(demo.exec(select(RequirementScore.id, RequirementScore.lowest_score,
                                       RequirementScore.previous_score)).all())

    written = stored()
    for assessment in demo.exec(select(Assessment)).all():
        requirement_ids = demo.exec(select(RequirementScore.requirement_id).where(
            RequirementScore.assessment_id == assessment.id)).all()
        refresh_scores(demo, assessment, list(requirement_ids))
    for organisation_id in demo.exec(select(Organisation.id)).all():
        previous_scores.refresh(demo, organisation_id)
    demo.flush()
    try:
        assert stored() == written
        assert sum(1 for _, _, previous in written if previous is not None) > MEMBERS
        assert sum(1 for _, lowest, _ in written if lowest is not None and lowest <= 2) > 10
    finally:
        demo.rollback()


def test_the_stored_theme_calibration_is_the_rule_over_story_and_bulk_members(demo):
    from app.models import ThemeCalibration
    from app.services import theme_calibration

    demo.expire_all()
    stored = sorted((r.assessment_id, r.theme_key, r.organisation_id, r.cycle_id,
                     pytest.approx(r.self_score), r.official_score, r.visited_on,
                     None if r.gap is None else pytest.approx(r.gap))
                    for r in demo.exec(select(ThemeCalibration)))
    computed = sorted(tuple(row) for row in demo.connection().execute(
        theme_calibration.computed(demo)))
    assert stored == computed
    assert sum(1 for row in computed if row[5] is not None) > MEMBERS
