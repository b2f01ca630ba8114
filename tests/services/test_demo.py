"""The demo data: deterministic, every state of the product present, loaded once, never in
production."""

from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from app.auth.passwords import verify_password
from app.cli import alembic_config, cli
from app.config import get_settings
from app.db import create_db_engine
from app.models import (
    Action,
    Answer,
    Assessment,
    AssessmentRevision,
    Cycle,
    Indicator,
    Organisation,
    User,
)
from app.services.actions import is_overdue
from app.services.assessment.results import results_for
from app.services.assessment.view import load_view
from app.services.cycles import CycleStatus, cycle_status
from app.services.demo import DemoAlreadyLoaded, DemoRefused, load_demo
from tests.conftest import _empty_all_tables

TODAY = date(2026, 6, 15)
PASSWORD = "demo-pass-2026"


def _fingerprint(session: Session) -> list:
    """Everything the demo decides, by names and values (no ids or clock times)."""
    organisations = [(o.name, o.cvr, o.service_type, o.region, o.places) for o in
                     session.exec(select(Organisation).order_by(Organisation.name))]
    users = [(u.email, u.name, u.role) for u in session.exec(select(User).order_by(User.email))]
    answers = session.exec(
        select(Organisation.name, Cycle.year, Assessment.status, Indicator.key, Answer.score,
               Answer.not_applicable, Answer.comment, Answer.carried_over)
        .join(Assessment, col(Assessment.id) == col(Answer.assessment_id))
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .join(Cycle, col(Cycle.id) == col(Assessment.cycle_id))
        .join(Indicator, col(Indicator.id) == col(Answer.indicator_id))
        .order_by(Organisation.name, Cycle.year, Indicator.position)).all()
    actions = [(a.title, a.status, a.due_on, a.priority, a.owner_email) for a in
               session.exec(select(Action).order_by(Action.id))]
    return [organisations, users, list(answers), actions]


def _start_again(session: Session, engine) -> None:
    session.rollback()  # end the reading transaction: PostgreSQL's TRUNCATE would wait for it
    session.expunge_all()
    _empty_all_tables(engine)


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(session, engine):
    load_demo(session=session, password=PASSWORD, members=7, years=2, seed=7, today=TODAY)
    first = _fingerprint(session)
    _start_again(session, engine)
    load_demo(session=session, password=PASSWORD, members=7, years=2, seed=7, today=TODAY)
    assert _fingerprint(session) == first
    _start_again(session, engine)
    load_demo(session=session, password=PASSWORD, members=7, years=2, seed=8, today=TODAY)
    assert _fingerprint(session) != first


def test_loading_twice_is_refused(session):
    load_demo(session=session, password=PASSWORD, members=1, years=1, today=TODAY)
    with pytest.raises(DemoAlreadyLoaded):
        load_demo(session=session, password=PASSWORD, members=1, years=1, today=TODAY)


def test_production_is_refused_and_nothing_is_written(session):
    with pytest.raises(DemoRefused):
        load_demo(session=session, password=PASSWORD, production=True)
    assert session.exec(select(func.count()).select_from(User)).one() == 0


def test_the_command_refuses_production(monkeypatch, database_url, engine, tmp_path):
    monkeypatch.setenv("ETIK_DATABASE_URL", database_url)
    monkeypatch.setenv("ETIK_ENV", "production")
    monkeypatch.setenv("ETIK_SECRET_KEY", "a-production-secret")
    monkeypatch.setenv("ETIK_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["demo", "--members", "2"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "refused" in result.output


# --- every state, on one demo of 20 members over 3 years (built once, in its own file) ------


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Session:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('demo')) / 'demo.db'}"
    command.upgrade(alembic_config(url), "head")
    engine = create_db_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        load_demo(session=session, password=PASSWORD, members=20, years=3, today=TODAY)
        yield session
    engine.dispose()


def _this_year(demo: Session) -> Cycle:
    return demo.exec(select(Cycle).where(Cycle.year == TODAY.year)).one()


def _statuses(demo: Session, cycle: Cycle) -> dict[str, int]:
    return dict(demo.exec(select(Assessment.status, func.count()).where(
        Assessment.cycle_id == cycle.id).group_by(Assessment.status)).all())


def test_there_are_three_cycles_two_closed_and_one_open_now(demo):
    cycles = demo.exec(select(Cycle).order_by(Cycle.year)).all()
    assert [c.year for c in cycles] == [2024, 2025, 2026]
    assert [cycle_status(c, TODAY) for c in cycles] == [
        CycleStatus.CLOSED, CycleStatus.CLOSED, CycleStatus.OPEN]


def test_earlier_years_are_submitted_in_their_own_year(demo):
    for cycle in demo.exec(select(Cycle).where(Cycle.year < TODAY.year)):
        assessments = demo.exec(select(Assessment).where(Assessment.cycle_id == cycle.id)).all()
        assert assessments and {a.status for a in assessments} == {"submitted"}
        assert {a.submitted_at.year for a in assessments} == {cycle.year}


def test_this_year_has_every_state(demo):
    cycle = _this_year(demo)
    statuses = _statuses(demo, cycle)
    assert {"draft", "submitted", "reopened"} <= set(statuses)
    started = demo.exec(select(Assessment.organisation_id).where(
        Assessment.cycle_id == cycle.id)).all()
    assert len(started) < 20  # some have not started
    drafts = demo.exec(select(Assessment).where(Assessment.cycle_id == cycle.id,
                                                Assessment.status == "draft")).all()
    shares = {a.answered_count / a.in_scope_count for a in drafts}
    assert min(shares) < 0.3 and max(shares) > 0.7  # a few answers, and nearly done


def test_a_reopened_assessment_keeps_its_revision_and_reason(demo):
    reopened = demo.exec(select(Assessment).where(Assessment.status == "reopened")).first()
    revision = demo.exec(select(AssessmentRevision).where(
        AssessmentRevision.assessment_id == reopened.id)).one()
    assert revision.reopen_reason


def test_one_member_started_from_last_year_with_answers_still_to_confirm(demo):
    carried = demo.exec(select(func.count()).select_from(Answer).where(
        col(Answer.carried_over))).one()
    assert carried > 0


def test_a_pabud_is_reported(demo):
    reported = demo.exec(select(Assessment).where(col(Assessment.injunction_reported))).all()
    assert any(a.injunction_kind == "paabud" and a.injunction_description for a in reported)


def test_low_scores_have_comments(demo):
    low = demo.exec(select(Answer).where(col(Answer.score) <= 2)).all()
    assert low and all(a.comment for a in low)


def test_there_are_open_overdue_and_done_actions(demo):
    actions = demo.exec(select(Action)).all()
    assert any(is_overdue(a, TODAY) for a in actions)
    assert {"open", "in_progress", "done"} <= {a.status for a in actions}


def test_member1_shows_gaps_a_decline_and_the_peer_median(demo):
    member1 = demo.exec(select(User).where(User.email == "member1@example.org")).one()
    assessment = demo.exec(select(Assessment).where(
        Assessment.organisation_id == member1.organisation_id,
        Assessment.cycle_id == _this_year(demo).id)).one()
    assert assessment.status == "submitted"
    results = results_for(session=demo, view=load_view(session=demo, assessment=assessment),
                          threshold=3, anonymity_minimum=5)
    assert results.gaps
    assert any(r.last_year is not None and r.score is not None and r.last_year - r.score >= 1
               for r in results.rows)
    assert results.peers_shown


def test_several_service_types_are_present(demo):
    types = demo.exec(select(Organisation.service_type).distinct()).all()
    assert len(types) >= 3


def test_the_demo_logins_use_the_demo_password(demo):
    member = demo.exec(select(User).where(User.email == "member1@example.org")).one()
    admin = demo.exec(select(User).where(User.email == "admin@example.org")).one()
    assert verify_password(PASSWORD, member.password_hash)[0]
    assert admin.password_hash == member.password_hash  # hashed once, on purpose


def test_the_first_user_of_each_member_is_its_leader(demo):
    firsts = demo.exec(select(User).where(col(User.email).like("member%@example.org"))).all()
    assert len(firsts) == 20 and all(u.member_admin for u in firsts)
    staff = demo.exec(select(User).where(col(User.organisation_id).is_(None))).all()
    assert staff and not any(u.member_admin for u in staff)


def test_member1_has_a_colleague_who_is_no_leader_and_one_invited(demo):
    member1 = demo.exec(select(User).where(User.email == "member1@example.org")).one()
    others = demo.exec(select(User).where(User.organisation_id == member1.organisation_id,
                                          User.id != member1.id).order_by(User.email)).all()
    assert [(u.email, u.member_admin, u.password_hash is None) for u in others] == [
        ("kollega1@example.org", False, False), ("ny.kollega1@example.org", False, True)]
    assert verify_password(PASSWORD, others[0].password_hash)[0]


def test_advisors_have_open_monitored_and_closed_cases_with_contacts(demo):
    from app.models import ContactEntry, SupportCase

    cases = demo.exec(select(SupportCase)).all()
    assert {"open", "monitoring", "closed"} <= {c.status for c in cases}
    assert any(c.injunction_kind == "paabud" for c in cases)
    assert all(c.outcome for c in cases if c.status == "closed")
    assert demo.exec(select(ContactEntry)).all()


def test_the_demo_shows_every_flag_reason_in_one_cycle_or_another(demo):
    from app.models.vocabulary import FlagCode, Role
    from app.services.advisor.flags import FlagSettings, flagged_members
    from app.services.advisor.segments import MemberFilter

    admin = demo.exec(select(User).where(User.role == Role.ADMIN)).first()
    cycles = {c.year: c for c in demo.exec(select(Cycle))}
    codes = set()
    for cycle in cycles.values():
        for member in flagged_members(session=demo, user=admin, cycle=cycle, today=TODAY,
                                      rules=FlagSettings(), members=MemberFilter("")):
            codes |= set(member.codes)
    assert codes == set(FlagCode)


def test_the_demo_has_an_invented_reference_labelled_as_such(demo):
    from app.models import SectorReference
    from app.services.demo_reference import DEMO_SOURCE

    rows = demo.exec(select(SectorReference)).all()
    assert rows and {r.source for r in rows} == {DEMO_SOURCE}
    assert "ikke rigtige tal" in DEMO_SOURCE
    # The board's chart finds it: a year before this year's cycle, both provider groups.
    assert {r.provider_group for r in rows} == {"public", "non_public"}
    assert max(r.year for r in rows) == TODAY.year - 1
