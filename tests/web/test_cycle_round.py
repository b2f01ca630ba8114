"""The admin's view of a round: each member's status and progress, the filters, the CSV of
exactly the filtered members, and reminders sent now to the right users, once."""

import csv
import io
from datetime import timedelta

import pytest
from sqlmodel import select, update

from app.clock import today
from app.i18n import format_moment
from app.models import Assessment, AuditEntry, Cycle, NoticeSent, OutboxMessage
from app.models.base import utcnow
from app.models.vocabulary import Role
from app.services.assessment.answers import save_answer
from app.services.assessment.start import start_assessment
from app.services.assessment.submission import reopen
from tests.conftest import csrf_from
from tests.services.test_results import fill_in


@pytest.fixture
def members(session, cast, factory, open_cycle, indicator_keys):
    """Alfa in progress (one answer), Beta not started, Gamma submitted, Delta reopened,
    and a deactivated member without an assessment (not in the round)."""
    assessment, _ = start_assessment(session=session, user=cast.alice, cycle_id=open_cycle.id,
                                     today=today())
    save_answer(session=session, user=cast.alice, assessment_id=assessment.id,
                indicator_key=indicator_keys[0],
                data={"score": 4, "not_applicable": False, "comment": "",
                      "version": assessment.version})
    gamma = factory.organisation(name="Gamma Hus")
    gamma_user = factory.user(Role.MEMBER, organisation=gamma, email="gamma@test.example")
    fill_in(session, gamma, open_cycle, user=gamma_user)
    delta = factory.organisation(name="Delta Dagbehandling")
    delta_user = factory.user(Role.MEMBER, organisation=delta, email="delta@test.example")
    submitted = fill_in(session, delta, open_cycle, user=delta_user)
    reopen(session=session, user=cast.advisor, assessment_id=submitted.id, reason="Ret 3")
    factory.organisation(name="Lukket Sted", active=False)
    factory.user(Role.MEMBER, organisation=cast.org_b, email="bob2@test.example",
                 active=False)
    return {"alfa": cast.org_a, "beta": cast.org_b, "gamma": gamma, "delta": delta,
            "in_scope": len(indicator_keys)}


@pytest.fixture
def admin(login, cast):
    client = login(cast.admin)
    client.csrf = csrf_from(client, "/admin/cycles")
    return client


def _url(cycle, suffix="") -> str:
    return f"/admin/cycles/{cycle.id}/round{suffix}"


def _rows(html: str) -> dict[str, str]:
    """Member name -> its table row's HTML."""
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    rows = {}
    for row in body.split("<tr ")[1:]:
        name = row[row.index('">', row.index("/admin/organisations/")) + 2:row.index("</a>")]
        rows[name] = row
    return rows


def test_each_member_of_the_round_shows_its_status_and_progress(admin, open_cycle, members):
    html = admin.get(_url(open_cycle)).text
    rows = _rows(html)
    assert sorted(rows) == ["Alfa Opholdssted", "Beta Bosted", "Delta Dagbehandling",
                            "Gamma Hus"]
    total = members["in_scope"]
    assert "Ikke startet" in rows["Beta Bosted"] and "indikatorer" not in rows["Beta Bosted"]
    assert "I gang" in rows["Alfa Opholdssted"]
    assert f"1 af {total} indikatorer" in rows["Alfa Opholdssted"]
    assert "Indsendt" in rows["Gamma Hus"] and f"{total} af {total}" in rows["Gamma Hus"]
    assert "Genåbnet af LOS" in rows["Delta Dagbehandling"]
    assert "Lukket Sted" not in html
    assert "2 af 4 medlemmer har indsendt." not in html  # reopened is not submitted
    assert "1 af 4 medlemmer har indsendt." in html


def test_last_activity_is_the_assessments_last_save_and_the_last_login_is_shown(
        admin, session, open_cycle, members, cast):
    from app.models import User

    session.exec(update(User).where(User.id == cast.bob.id).values(last_login_at=utcnow()))
    session.commit()
    rows = _rows(admin.get(_url(open_cycle)).text)
    assert "Sidst logget ind" in rows["Beta Bosted"]
    assert "Aldrig logget ind" in rows["Gamma Hus"]
    activity = '<td data-label="Sidste aktivitet">'
    assert f"{activity}–" in rows["Beta Bosted"]
    alfa = session.exec(select(Assessment).where(
        Assessment.organisation_id == cast.org_a.id)).one()
    saved = format_moment(alfa.updated_at, "day_and_time")  # Danish, the default
    assert f"{activity}{saved}" in rows["Alfa Opholdssted"]


@pytest.mark.parametrize(("status", "expected"), [
    ("not_started", ["Beta Bosted"]),
    ("in_progress", ["Alfa Opholdssted"]),
    ("reopened", ["Delta Dagbehandling"]),
    ("submitted", ["Gamma Hus"]),
    ("not_submitted", ["Alfa Opholdssted", "Beta Bosted", "Delta Dagbehandling"]),
])
def test_the_status_filter_in_the_url_shows_only_those_members(admin, open_cycle, members,
                                                               status, expected):
    response = admin.get(_url(open_cycle), params={"status": status})
    assert response.status_code == 200
    assert sorted(_rows(response.text)) == expected
    assert f'href="{_url(open_cycle)}?status={status}" aria-current="true"' in response.text


def test_an_unknown_status_filter_is_refused(admin, open_cycle, members):
    assert admin.get(_url(open_cycle), params={"status": "halvvejs"}).status_code == 422


def test_the_csv_holds_exactly_the_filtered_members(admin, open_cycle, members):
    response = admin.get(_url(open_cycle, ".csv"), params={"status": "not_submitted"})
    assert response.status_code == 200
    assert f"runde-{open_cycle.year}-not_submitted.csv" in response.headers[
        "content-disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:6] == ["Medlem", "CVR", "Status", "Besvaret", "Indikatorer i alt",
                            "Besvaret (%)"]
    assert [line[0] for line in lines[1:]] == ["Alfa Opholdssted", "Beta Bosted",
                                               "Delta Dagbehandling"]
    alfa = lines[1]
    assert (alfa[2], alfa[3], alfa[4]) == ("I gang", "1", str(members["in_scope"]))
    assert lines[2][2:5] == ["Ikke startet", "0", "0"]


def test_the_page_is_linked_from_the_cycle_list_and_the_cycle_page(admin, open_cycle):
    assert f'href="{_url(open_cycle)}"' in admin.get("/admin/cycles").text
    assert f'href="{_url(open_cycle)}"' in admin.get(f"/admin/cycles/{open_cycle.id}").text


def _remind(client, cycle, **fields):
    return client.post(_url(cycle, "/reminders"), data={"csrf_token": client.csrf, **fields})


def _mails(session) -> list[str]:
    session.expire_all()
    return sorted(session.exec(select(OutboxMessage.recipient)).all())


def test_a_reminder_to_one_member_goes_to_its_active_users_only(admin, session, open_cycle,
                                                                members, cast):
    response = _remind(admin, open_cycle, organisation_id=str(cast.org_b.id),
                       status="not_started")
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"{_url(open_cycle)}?status=not_started")
    assert _mails(session) == ["bob@test.example"]  # bob2 is deactivated
    [message] = session.exec(select(OutboxMessage)).all()
    assert "Selvevalueringen skal indsendes om 30 dage" in message.subject
    assert "I har ikke startet selvevalueringen endnu." in message.body
    html = admin.get(response.headers["location"]).text
    assert "Påmindelsen er sendt til 1 bruger hos 1 medlem." in html
    assert "Påmindet" in _rows(html)["Beta Bosted"]


def test_a_reminder_to_everyone_the_filter_shows_skips_those_who_submitted(
        admin, session, open_cycle, members):
    response = _remind(admin, open_cycle, status="not_submitted")
    assert response.status_code == 303
    assert _mails(session) == ["alice@test.example", "bob@test.example", "delta@test.example"]


def test_a_reminder_for_the_non_starters_reaches_only_them(admin, session, open_cycle,
                                                           members):
    _remind(admin, open_cycle, status="not_started")
    assert _mails(session) == ["bob@test.example"]


def test_a_second_click_within_the_resend_window_sends_nothing_twice(admin, session,
                                                                     open_cycle, members,
                                                                     cast):
    _remind(admin, open_cycle, organisation_id=str(cast.org_b.id))
    again = _remind(admin, open_cycle, status="not_started")
    assert _mails(session) == ["bob@test.example"]
    html = admin.get(again.headers["location"]).text
    assert "Der blev ikke sendt nogen påmindelse." in html
    assert "1 bruger fik en påmindelse for nylig og fik ikke en til." in html


def test_after_the_resend_window_a_reminder_may_go_again(admin, session, open_cycle, members,
                                                         cast, settings):
    _remind(admin, open_cycle, organisation_id=str(cast.org_b.id))
    earlier = utcnow() - timedelta(minutes=settings.reminder_resend_minutes + 1)
    [claim] = session.exec(select(NoticeSent)).all()  # as if sent that long ago
    session.exec(update(NoticeSent).values(
        created_at=earlier, key=claim.key.rsplit(":", 1)[0] + earlier.strftime(":%Y%m%dT%H%M")))
    session.commit()
    _remind(admin, open_cycle, organisation_id=str(cast.org_b.id))
    assert _mails(session) == ["bob@test.example", "bob@test.example"]


def test_a_reminder_is_audited_per_member(admin, session, open_cycle, members, cast):
    _remind(admin, open_cycle, status="not_submitted")
    entries = session.exec(select(AuditEntry).where(AuditEntry.action == "remind")).all()
    assert sorted(e.organisation_id for e in entries) == sorted(
        [cast.org_a.id, cast.org_b.id, members["delta"].id])
    assert all(e.user_id == cast.admin.id and e.entity == "organisation" for e in entries)
    assert {e.changes["recipients"][1] for e in entries} == {1}


def test_a_member_that_has_submitted_gets_no_reminder_even_when_named(admin, session,
                                                                       open_cycle, members):
    _remind(admin, open_cycle, organisation_id=str(members["gamma"].id))
    assert _mails(session) == []


def test_no_reminder_goes_out_for_a_round_that_is_not_open(admin, session, catalogue,
                                                            cast, members):
    closed = Cycle(year=2001, catalogue_version_id=catalogue.id,
                   opens_on=today() - timedelta(days=400), deadline=today() - timedelta(days=300))
    session.add(closed)
    session.commit()
    assert "Send påmindelse" not in admin.get(_url(closed)).text
    assert _remind(admin, closed, organisation_id=str(cast.org_b.id)).status_code == 422
    assert _mails(session) == []


def test_more_than_a_page_of_members_is_paged_and_the_filter_is_kept(admin, factory,
                                                                     open_cycle):
    for n in range(55):
        factory.organisation(name=f"Medlem {n:02d}")
    first = admin.get(_url(open_cycle), params={"status": "not_started"}).text
    assert len(_rows(first)) == 50
    assert f'href="{_url(open_cycle)}?status=not_started&amp;page=2"' in first
    second = admin.get(_url(open_cycle), params={"status": "not_started", "page": 2}).text
    assert len(_rows(second)) == 7  # 55, alfa and beta


@pytest.mark.parametrize("role", ["advisor", "member", "board"])
def test_only_admins_see_a_round_or_send_reminders(login, cast, session, open_cycle, role):
    client = login(cast.by_role(role))
    assert client.get(_url(open_cycle)).status_code == 403
    token = csrf_from(client, "/")
    assert client.post(_url(open_cycle, "/reminders"),
                       data={"csrf_token": token, "status": "not_started"}).status_code == 403
    assert _mails(session) == []
