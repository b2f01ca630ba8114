"""Logging in and out through the HTML form."""

from tests.conftest import PASSWORD, csrf_from


def _post_login(client, email, password, next_path="/"):
    token = csrf_from(client)
    return client.post("/login", data={"email": email, "password": password,
                                       "next": next_path, "csrf_token": token})


def test_login_page_is_danish_and_labels_its_fields(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="da">' in page.text
    assert '<label for="email">E-mail</label>' in page.text
    assert '<label for="password">Adgangskode</label>' in page.text


def test_member_logs_in_and_lands_on_the_member_home_page(client, cast):
    response = _post_login(client, "alice@test.example", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Alfa Opholdssted" in home.text


def test_email_is_matched_case_insensitively(client, cast):
    response = _post_login(client, "  Alice@Test.Example ", PASSWORD)
    assert response.status_code == 303


def test_each_role_lands_on_its_own_home_page(client, cast):
    expected = {"advisor@test.example": "Dine medlemmer",
                "board@test.example": "Medlemmer pr. tilbudstype",
                "admin@test.example": "Administration"}
    for email, heading in expected.items():
        client.cookies.clear()
        assert _post_login(client, email, PASSWORD).status_code == 303
        assert heading in client.get("/").text


def test_wrong_password_and_unknown_email_get_the_same_answer(client, cast):
    wrong = _post_login(client, "alice@test.example", "not the password")
    unknown = _post_login(client, "nobody@test.example", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Forkert e-mail eller adgangskode." in wrong.text
    assert "Forkert e-mail eller adgangskode." in unknown.text
    assert 'value="alice@test.example"' in wrong.text  # what was typed is kept


def test_deactivated_user_cannot_log_in(client, factory, session):
    user = factory.user(email="gone@test.example", active=False)
    assert _post_login(client, user.email, PASSWORD).status_code == 401


def test_anonymous_visitor_is_sent_to_login_with_the_page_remembered(client):
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


def test_login_returns_to_the_page_asked_for_but_never_off_site(client, cast):
    assert _post_login(client, "alice@test.example", PASSWORD,
                       "/password/forgot").headers["location"] == "/password/forgot"
    client.cookies.clear()
    assert _post_login(client, "alice@test.example", PASSWORD,
                       "//evil.example/x").headers["location"] == "/"


def test_session_cookie_is_http_only_and_same_site_lax(client, cast):
    response = _post_login(client, "alice@test.example", PASSWORD)
    cookie = response.headers["set-cookie"]
    assert "etik_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie.replace("Lax", "lax")


def test_logout_ends_the_session_on_the_server(client, cast):
    _post_login(client, "alice@test.example", PASSWORD)
    stolen_cookie = client.cookies.get("etik_session")
    token = csrf_from(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    client.cookies.set("etik_session", stolen_cookie)
    assert client.get("/").status_code == 303  # the old cookie no longer logs anyone in


def test_repeated_failures_are_throttled_with_429(client, cast, settings):
    for _ in range(settings.login_failure_limit):
        assert _post_login(client, "alice@test.example", "wrong").status_code == 401
    throttled = _post_login(client, "alice@test.example", PASSWORD)
    assert throttled.status_code == 429
    assert "For mange mislykkede forsøg" in throttled.text


def test_attempts_older_than_the_window_are_swept_by_the_next_one(client, cast, session,
                                                                   settings):
    from datetime import timedelta

    from sqlmodel import select

    from app.models import LoginAttempt, ResetRequest
    from app.models.base import utcnow

    window = timedelta(minutes=settings.login_failure_window_minutes)
    old = utcnow() - window - timedelta(minutes=1)
    session.add_all([LoginAttempt(email="gammel@test.example", client="198.51.100.1",
                                  attempted_at=old),
                     LoginAttempt(email="ny@test.example", client="198.51.100.2",
                                  attempted_at=utcnow() - window / 2),
                     ResetRequest(email="gammel@test.example", client="198.51.100.1",
                                  requested_at=utcnow() - timedelta(days=30))])
    session.commit()
    _post_login(client, cast.alice.email, "forkert adgangskode")
    token = csrf_from(client, "/password/forgot")
    client.post("/password/forgot", data={"email": "nogen@test.example", "csrf_token": token})
    session.expire_all()
    emails = {a.email for a in session.exec(select(LoginAttempt))}
    assert emails == {"ny@test.example", cast.alice.email}
    assert [r.email for r in session.exec(select(ResetRequest))] == ["nogen@test.example"]
