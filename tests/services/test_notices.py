"""Notices: owners when assigned and before the due date, advisors' daily digest; never twice."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import cli
from app.clock import today
from app.config import get_settings
from app.models import Action, NoticeSent, OutboxMessage
from app.services.advisor.notices import send_due_notices
from tests.services.test_results import fill_in


def outbox(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def action(session, cast):
    row = Action(organisation_id=cast.org_a.id, title="Skriv rutine",
                 owner_email="ejer@alfa.example", due_on=today() + timedelta(days=20))
    session.add(row)
    session.commit()
    return row


def test_a_new_owner_hears_once_and_a_new_owner_after_that_hears_too(session, settings,
                                                                      cast, action):
    send_due_notices(session=session, settings=settings, today=today())
    send_due_notices(session=session, settings=settings, today=today())
    assert [(m.recipient, m.subject) for m in outbox(session)] == [
        ("ejer@alfa.example", "Du er ansvarlig for en handling: Skriv rutine")]
    action.owner_email = "ny@alfa.example"
    session.add(action)
    session.commit()
    send_due_notices(session=session, settings=settings, today=today())
    assert [m.recipient for m in outbox(session)][-1] == "ny@alfa.example"


def test_the_owner_is_reminded_once_a_few_days_before_the_due_date(session, settings, action):
    send_due_notices(session=session, settings=settings, today=today())
    reminder_day = action.due_on - timedelta(days=settings.notice_due_days)
    send_due_notices(session=session, settings=settings, today=reminder_day - timedelta(days=1))
    assert len(outbox(session)) == 1
    for _ in range(2):
        send_due_notices(session=session, settings=settings, today=reminder_day)
    subjects = [m.subject for m in outbox(session)]
    assert len(subjects) == 2 and subjects[1].startswith("Frist ")


def test_done_actions_send_nothing(session, settings, action):
    action.status = "done"
    session.add(action)
    session.commit()
    assert send_due_notices(session=session, settings=settings, today=today()).total == 0


def test_an_advisor_gets_one_digest_a_day_with_only_what_is_new(session, settings, cast,
                                                                open_cycle):
    fill_in(session, cast.org_a, open_cycle, {6: 2}, user=cast.alice)
    send_due_notices(session=session, settings=settings, today=today())
    send_due_notices(session=session, settings=settings, today=today())
    digests = [m for m in outbox(session) if m.recipient == cast.advisor.email]
    assert len(digests) == 1
    assert "Alfa Opholdssted: Fordring 6 ligger på 2,0 (under 3)." in digests[0].body
    # The next day nothing new: no digest. A new flag the day after: one, naming only it.
    send_due_notices(session=session, settings=settings, today=today() + timedelta(days=1))
    assert len([m for m in outbox(session) if m.recipient == cast.advisor.email]) == 1
    fill_in(session, cast.org_b, open_cycle, {7: 1}, user=cast.bob)
    send_due_notices(session=session, settings=settings, today=today() + timedelta(days=2))
    last = [m for m in outbox(session) if m.recipient == cast.advisor.email][-1]
    assert "Beta Bosted" in last.body and "Alfa Opholdssted" not in last.body


def test_runs_at_the_same_time_send_each_notice_once(session, settings, engine, cast):
    for n in range(8):
        session.add(Action(organisation_id=cast.org_a.id, title=f"Handling {n}",
                           owner_email=f"ejer{n}@alfa.example"))
    session.commit()
    barrier = threading.Barrier(4)

    def run():
        with Session(engine) as own:
            barrier.wait()
            send_due_notices(session=own, settings=settings, today=today())

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recipients = [m.recipient for m in outbox(session)]
    assert sorted(recipients) == sorted(f"ejer{n}@alfa.example" for n in range(8))
    assert len(session.exec(select(NoticeSent)).all()) == 8


def test_etik_notices_send_reports_what_it_sent_and_is_safe_to_repeat(
        monkeypatch, database_url, tmp_path, session, action):
    monkeypatch.setenv("ETIK_DATABASE_URL", database_url)
    monkeypatch.setenv("ETIK_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(cli, ["notices", "send"], catch_exceptions=False)
        again = runner.invoke(cli, ["notices", "send"], catch_exceptions=False)
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0 and "Sent 1 notices: 1 assigned" in first.output
    assert "Sent 0 notices" in again.output
