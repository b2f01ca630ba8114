"""The safety net under every page: CSRF, security headers, body limits, error pages,
health check, production settings and the request log."""

import json
import logging

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings, get_settings
from app.db import create_db_engine
from app.logging_setup import JsonFormatter
from app.main import create_app
from tests.conftest import PASSWORD, csrf_from

CSRF_REFUSED = "Siden var forældet. Indlæs den igen, og prøv en gang til."


def _still_logged_in(client) -> bool:
    return client.get("/").status_code == 200


# --- CSRF -------------------------------------------------------------------------------


def test_post_without_csrf_token_is_refused_with_a_danish_page_and_changes_nothing(login,
                                                                                   cast):
    alice = login(cast.alice)
    refused = alice.post("/logout", data={})
    assert refused.status_code == 403
    assert '<html lang="da">' in refused.text
    assert CSRF_REFUSED in refused.text
    assert _still_logged_in(alice)


def test_post_with_a_wrong_csrf_token_is_refused_and_changes_nothing(login, cast):
    alice = login(cast.alice)
    refused = alice.post("/logout", data={"csrf_token": "0" * 64})
    assert refused.status_code == 403
    assert CSRF_REFUSED in refused.text
    assert _still_logged_in(alice)


def test_post_with_another_sessions_csrf_token_is_refused_and_changes_nothing(login, cast):
    alice, bob = login(cast.alice), login(cast.bob)
    bobs_token = csrf_from(bob, "/")
    refused = alice.post("/logout", data={"csrf_token": bobs_token})
    assert refused.status_code == 403
    assert CSRF_REFUSED in refused.text
    assert _still_logged_in(alice)


def test_login_form_without_csrf_token_is_refused_and_logs_nobody_in(client, cast):
    refused = client.post("/login", data={"email": cast.alice.email, "password": PASSWORD})
    assert refused.status_code == 403
    assert "etik_session" not in refused.headers.get("set-cookie", "")


def test_csrf_token_in_the_htmx_header_is_accepted(login, cast):
    alice = login(cast.alice)
    token = csrf_from(alice, "/")
    response = alice.post("/logout", headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert response.status_code == 303
    assert not _still_logged_in(alice)


# --- security headers -------------------------------------------------------------------


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def _assert_security_headers(response) -> None:
    policy = _directives(response.headers["content-security-policy"])
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts is not None and "'unsafe-inline'" not in scripts
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]


@pytest.mark.parametrize("path", ["/login", "/api/v1/me", "/healthz", "/no-such-page"])
def test_answers_carry_the_security_headers(client, path):
    _assert_security_headers(client.get(path))


def test_security_headers_are_sent_on_the_unexpected_error_page_too(broken_app):
    with TestClient(broken_app, raise_server_exceptions=False) as client:
        _assert_security_headers(client.get("/test-only/boom"))


def test_hsts_is_sent_only_in_production(engine, settings):
    with TestClient(create_app(settings, engine=engine)) as client:
        assert "strict-transport-security" not in client.get("/login").headers
    production = settings.model_copy(update={"env": "production"})
    with TestClient(create_app(production, engine=engine)) as client:
        hsts = client.get("/login").headers["strict-transport-security"]
    assert "max-age=" in hsts


# --- request body limit -----------------------------------------------------------------

SMALL_LIMIT = 2_000


@pytest.fixture
def small_limit_client(engine, settings):
    small = settings.model_copy(update={"max_body_bytes": SMALL_LIMIT})
    with TestClient(create_app(small, engine=engine), follow_redirects=False) as client:
        yield client


def _chunks(total: int, size: int = 500):
    for _ in range(total // size):
        yield b"a" * size


@pytest.mark.parametrize("path", ["/login", "/api/v1/auth/token"])
def test_body_over_the_limit_is_refused_with_413(small_limit_client, path):
    response = small_limit_client.post(path, content=b"a" * (SMALL_LIMIT + 1),
                                       headers={"content-type": "application/json"})
    assert response.status_code == 413


@pytest.mark.parametrize("path", ["/login", "/api/v1/auth/token"])
def test_chunked_body_over_the_limit_is_refused_with_413(small_limit_client, path):
    token = csrf_from(small_limit_client)
    response = small_limit_client.post(
        path, content=_chunks(SMALL_LIMIT * 2),
        headers={"content-type": "application/x-www-form-urlencoded", "X-CSRF-Token": token})
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


def test_body_under_the_limit_is_served(small_limit_client, cast):
    token = csrf_from(small_limit_client)
    response = small_limit_client.post("/login", data={
        "email": cast.alice.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303


# --- error pages ------------------------------------------------------------------------


def test_unknown_path_gets_a_friendly_danish_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="da">' in response.text
    assert "Siden findes ikke" in response.text


def test_unknown_api_path_gets_a_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert "detail" in response.json()


@pytest.fixture
def broken_app(settings, engine):
    """A throw-away app with one extra route that fails; the product has no such route."""
    app = create_app(settings, engine=engine)

    @app.get("/test-only/boom")
    @app.get("/api/test-only/boom")
    def boom():
        raise RuntimeError("a bug")

    return app


def test_unexpected_error_page_says_that_nothing_was_lost(broken_app):
    with TestClient(broken_app, raise_server_exceptions=False) as client:
        response = client.get("/test-only/boom")
    assert response.status_code == 500
    assert '<html lang="da">' in response.text
    assert "Der gik noget galt hos os" in response.text
    assert "Det, du allerede har gemt, er ikke gået tabt." in response.text
    assert "a bug" not in response.text


def test_unexpected_error_under_the_api_is_a_json_500_that_tells_nothing(broken_app):
    with TestClient(broken_app, raise_server_exceptions=False) as client:
        response = client.get("/api/test-only/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "Der gik noget galt hos os. Fejlen er skrevet i vores "
                                         "log.", "code": "internal_error"}


# --- health check -----------------------------------------------------------------------


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("unreachable_url", [
    "sqlite:////nonexistent-directory/etik.db",
    "postgresql+psycopg://postgres@127.0.0.1:1/etik?connect_timeout=2",
])
def test_healthz_answers_503_when_the_database_does_not(settings, unreachable_url):
    engine = create_db_engine(unreachable_url)
    try:
        with TestClient(create_app(settings, engine=engine)) as client:
            response = client.get("/healthz")
    finally:
        engine.dispose()
    assert response.status_code == 503


# --- production settings ----------------------------------------------------------------


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    monkeypatch.setenv("ETIK_ENV", "production")
    monkeypatch.setenv("ETIK_DATABASE_URL", f"sqlite:///{tmp_path / 'production.db'}")
    monkeypatch.delenv("ETIK_SECRET_KEY", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env file
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_production_without_a_secret_key_refuses_to_start(production_env):
    with pytest.raises(ValidationError, match="ETIK_SECRET_KEY"):
        Settings()
    with pytest.raises(ValidationError, match="ETIK_SECRET_KEY"):
        create_app()


def test_demo_data_is_refused_in_production(production_env, monkeypatch):
    monkeypatch.setenv("ETIK_SECRET_KEY", "a-production-secret")
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 1
    assert "refused" in result.output
    assert not (production_env / "production.db").exists()


# --- request log ------------------------------------------------------------------------


@pytest.fixture
def request_log(caplog, monkeypatch):
    # create_app() replaces the handlers of the non-propagating "etik" logger, so caplog
    # listens on the request logger itself, and only there.
    logger = logging.getLogger("etik.request")
    monkeypatch.setattr(logger, "propagate", False)
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def test_each_request_is_logged_as_one_json_line_with_user_id_and_no_email(client, cast,
                                                                             request_log):
    token = csrf_from(client)
    request_log.clear()
    client.post("/login", data={"email": cast.alice.email, "password": PASSWORD,
                                "csrf_token": token})
    client.get("/")
    records = [r for r in request_log.records if r.name == "etik.request"]
    lines = [JsonFormatter().format(r) for r in records]
    assert all("\n" not in line and "@" not in line for line in lines)
    entries = [json.loads(line) for line in lines]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/login", 303), ("GET", "/", 200)]
    assert entries[1]["user_id"] == cast.alice.id
    assert all(isinstance(e["duration_ms"], (int, float)) for e in entries)
