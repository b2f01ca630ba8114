"""What production shows to strangers: the language cookie is Secure, and the API's
documentation (/docs, /openapi.json) needs a login unless ETIK_PUBLIC_API_DOCS says not."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import api_token, csrf_from, login_client


@pytest.fixture
def production(settings, engine) -> Iterator:
    clients = []

    def make(**changes) -> TestClient:
        app = create_app(settings.model_copy(update={"env": "production", **changes}),
                         engine=engine)
        client = TestClient(app, follow_redirects=False, base_url="https://testserver")
        clients.append(client.__enter__())
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _language_cookie(client: TestClient) -> str:
    token = csrf_from(client, "/login")
    response = client.post("/language", data={"language": "en", "csrf_token": token})
    assert response.status_code == 303
    return response.headers["set-cookie"]


def test_the_language_cookie_is_secure_in_production(production):
    cookie = _language_cookie(production())
    assert "etik_lang=en" in cookie
    assert "secure" in cookie.lower()


def test_the_language_cookie_works_over_plain_http_in_development(client):
    assert "secure" not in _language_cookie(client).lower()


def test_in_production_strangers_get_no_api_documentation(production):
    client = production()
    assert client.get("/docs").status_code == 303
    assert client.get("/docs").headers["location"].startswith("/login")
    assert client.get("/openapi.json").status_code == 303


def test_in_production_a_logged_in_person_or_a_token_reads_it(production, session, settings,
                                                               cast):
    browser = login_client(production(), session, settings, cast.alice)
    assert browser.get("/docs").status_code == 200
    assert browser.get("/openapi.json").json()["info"]["title"] == "etik API"
    with_token = production()
    headers = api_token(with_token, cast.board.email)
    assert with_token.get("/openapi.json", headers=headers).status_code == 200


def test_a_setting_publishes_the_documentation_in_production(production):
    client = production(public_api_docs=True)
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_outside_production_the_documentation_is_public(client):
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").status_code == 200
