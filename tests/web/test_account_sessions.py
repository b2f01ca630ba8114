"""My account: the browsers a person is logged in with, and logging them out."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import AuditEntry, UserSession
from app.models.base import utcnow
from app.services.user_agents import describe_user_agent
from tests.conftest import PASSWORD, csrf_from

FIREFOX_ON_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 "
                      "Firefox/133.0")
SAFARI_ON_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 "
                    "(KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1")
END_BUTTON = re.compile(r'action="/account/sessions/(\d+)/end"')


def _sessions(session, user) -> list[UserSession]:
    session.expire_all()
    return list(session.exec(select(UserSession).where(UserSession.user_id == user.id)
                             .order_by(UserSession.id)))


def _log_in_with(client, email: str, user_agent: str):
    token = csrf_from(client, "/login")
    response = client.post("/login", headers={"User-Agent": user_agent},
                           data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303


def _post(client, path: str):
    return client.post(path, data={"csrf_token": csrf_from(client, "/account")})


def test_logging_in_keeps_the_browser_so_the_account_page_can_name_it(login, cast):
    browser = login(None)
    _log_in_with(browser, cast.alice.email, FIREFOX_ON_WINDOWS)
    page = browser.get("/account").text
    assert "Firefox på Windows" in page


def test_the_page_lists_each_login_and_marks_this_browser(login, cast, session):
    here = login(cast.alice)
    phone = login(None)
    _log_in_with(phone, cast.alice.email, SAFARI_ON_IPHONE)
    login(cast.bob)  # someone else's login is not listed
    page = here.get("/account").text
    logins = page.split('id="sessions-heading"')[1]
    assert logins.count('class="login-list__item') == 2
    assert "Safari på iPhone" in logins
    current = logins.split('login-list__item--current">')[1].split("</li>")[0]
    assert "Denne browser" in current and "/end" not in current  # no button for itself
    phone_id = _sessions(session, cast.alice)[-1].id
    assert END_BUTTON.findall(logins) == [str(phone_id)]


def test_a_logged_out_session_cookie_stops_working_at_once(login, cast, session):
    here, elsewhere = login(cast.alice), login(cast.alice)
    assert elsewhere.get("/account").status_code == 200
    other = _sessions(session, cast.alice)[-1]
    response = _post(here, f"/account/sessions/{other.id}/end")
    assert response.status_code == 303
    assert "Det login er logget ud." in here.get(response.headers["location"]).text
    refused = elsewhere.get("/account")
    assert refused.status_code == 303 and refused.headers["location"].startswith("/login")
    assert other.id not in [s.id for s in _sessions(session, cast.alice)]


def test_logging_out_all_others_keeps_this_browser(login, cast, session):
    here = login(cast.alice)
    others = [login(cast.alice) for _ in range(3)]
    response = _post(here, "/account/sessions/end-others")
    assert response.status_code == 303
    assert all(o.get("/").status_code == 303 for o in others)
    page = here.get(response.headers["location"]).text
    assert "Alle andre browsere er logget ud." in page
    assert "Du er ikke logget ind andre steder." in page
    assert len(_sessions(session, cast.alice)) == 1


def test_nobody_can_log_out_another_persons_session(login, cast, session):
    bob = login(cast.bob)
    bobs = _sessions(session, cast.bob)[0]
    response = _post(login(cast.alice), f"/account/sessions/{bobs.id}/end")
    assert response.status_code == 404
    assert bob.get("/").status_code == 200


def test_ending_this_browsers_own_session_logs_it_out(login, cast, session):
    here = login(cast.alice)
    own = _sessions(session, cast.alice)[0]
    response = _post(here, f"/account/sessions/{own.id}/end")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert here.get("/account").status_code == 303


def test_logging_sessions_out_is_in_the_audit_trail(login, cast, session):
    here = login(cast.alice)
    login(cast.alice), login(cast.alice)
    _post(here, "/account/sessions/end-others")
    entry = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "end_sessions" and entry.user_id == cast.alice.id
    assert entry.changes == {"sessions_ended": [None, 2]}


def test_last_seen_is_renewed_once_it_is_a_few_minutes_old(login, cast, session):
    client = login(cast.alice)
    row = _sessions(session, cast.alice)[0]
    row.last_seen_at = utcnow() - timedelta(hours=2)
    session.add(row)
    session.commit()
    client.get("/")
    renewed = _sessions(session, cast.alice)[0].last_seen_at
    assert renewed > utcnow() - timedelta(minutes=1)
    client.get("/")
    assert _sessions(session, cast.alice)[0].last_seen_at == renewed  # not on every request


def test_expired_sessions_are_not_listed(login, cast, session):
    here = login(cast.alice)
    login(cast.alice)
    old = _sessions(session, cast.alice)[-1]
    old.expires_at = utcnow() - timedelta(minutes=1)
    session.add(old)
    session.commit()
    assert f"/account/sessions/{old.id}/end" not in here.get("/account").text


@pytest.mark.parametrize(("user_agent", "expected"), [
    (FIREFOX_ON_WINDOWS, ("Firefox", "Windows")),
    (SAFARI_ON_IPHONE, ("Safari", "iPhone")),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", ("Edge", "macOS")),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Mobile Safari/537.36", ("Chrome", "Android")),
    ("curl/8.5.0", ("", "")),
])
def test_a_user_agent_is_named_as_a_person_knows_it(user_agent, expected):
    assert describe_user_agent(user_agent) == expected


def test_an_unknown_browser_is_said_to_be_unknown(login, cast):
    browser = login(None)
    _log_in_with(browser, cast.alice.email, "curl/8.5.0")
    assert "Ukendt browser" in browser.get("/account").text
