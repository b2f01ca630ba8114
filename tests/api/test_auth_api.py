"""Bearer tokens for the JSON API: POST /api/v1/auth/token and GET /api/v1/me."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from app.db import create_db_engine
from app.main import create_app
from app.models import ApiToken, User
from app.models.base import utcnow
from tests.conftest import PASSWORD, api_token

TOKEN_URL = "/api/v1/auth/token"


def _ask_token(client, email: str, password: str):
    return client.post(TOKEN_URL, json={"email": email, "password": password})


def test_token_call_answers_the_token_its_type_and_lifetime(client, cast, settings):
    response = _ask_token(client, cast.alice.email, PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.api_token_ttl_minutes * 60
    assert len(body["access_token"]) >= 32


def test_unknown_email_and_wrong_password_get_the_same_401(client, cast):
    wrong = _ask_token(client, cast.alice.email, "not the password")
    unknown = _ask_token(client, "nobody@test.example", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert set(wrong.json()) >= {"detail"}


def test_repeated_failures_are_answered_429_even_with_the_right_password(client, cast,
                                                                          settings):
    for _ in range(settings.login_failure_limit):
        assert _ask_token(client, cast.alice.email, "wrong").status_code == 401
    throttled = _ask_token(client, cast.alice.email, PASSWORD)
    assert throttled.status_code == 429
    assert "detail" in throttled.json()


def test_failure_count_is_kept_in_the_database_so_another_app_instance_also_answers_429(
        client, cast, settings, database_url):
    for _ in range(settings.login_failure_limit):
        assert _ask_token(client, cast.alice.email, "wrong").status_code == 401
    second_engine = create_db_engine(database_url)
    try:
        with TestClient(create_app(settings, engine=second_engine)) as second:
            assert _ask_token(second, cast.alice.email, PASSWORD).status_code == 429
    finally:
        second_engine.dispose()


def test_expired_token_is_refused_with_401(client, cast, session):
    headers = api_token(client, cast.alice.email)
    session.exec(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_token_of_a_deactivated_user_is_refused_with_401(client, cast, session):
    headers = api_token(client, cast.alice.email)
    session.exec(update(User).where(User.id == cast.alice.id).values(active=False))
    session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_me_describes_a_member_with_its_organisation(client, cast):
    response = client.get("/api/v1/me", headers=api_token(client, cast.alice.email))
    assert response.status_code == 200
    assert response.json() == {
        "email": "alice@test.example", "name": "Alice Medlem", "role": "member",
        "member_admin": False, "organisation": {"id": cast.org_a.id, "name": "Alfa Opholdssted",
                         "cvr": cast.org_a.cvr},
    }


def test_me_describes_an_advisor_without_an_organisation(client, cast):
    response = client.get("/api/v1/me", headers=api_token(client, cast.advisor.email))
    assert response.status_code == 200
    assert response.json() == {"email": "advisor@test.example", "name": "Anders Konsulent",
                               "role": "advisor", "member_admin": False,
                               "organisation": None}


def test_call_without_authorization_header_is_401_json_asking_for_a_bearer_token(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert "detail" in response.json()


def test_made_up_bearer_token_is_refused_with_401(client, cast):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer made-up"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_session_cookie_alone_does_not_authenticate_the_api(login, cast):
    browser = login(cast.alice)
    assert browser.get("/").status_code == 200  # the cookie does log in the web pages
    assert browser.get("/api/v1/me").status_code == 401


def test_bad_token_request_is_422_json_naming_the_missing_field(client):
    response = client.post(TOKEN_URL, json={"email": "alice@test.example"})
    assert response.status_code == 422
    locations = [error["loc"] for error in response.json()["detail"]]
    assert ["body", "password"] in locations


def test_token_request_that_is_not_json_is_422(client):
    response = client.post(TOKEN_URL, content=b"{not json",
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "detail" in response.json()
