"""Who the client is, and how often one may ask for a password-reset mail.

X-Forwarded-For is believed only from the proxies in ETIK_TRUSTED_PROXIES (none by
default), so a client cannot pick a fresh address once its own is throttled. Reset mails
are limited per account, silently (an unknown email gets the same answer), and per
address with a 429 that says nothing about any account.
"""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.config import Settings
from app.main import create_app
from app.models import OutboxMessage
from tests.conftest import csrf_from

SAME_ANSWER = "har vi nu sendt et link"


@pytest.fixture
def serve_app(settings, engine) -> Iterator:
    clients = []

    def make(peer: str = "10.1.2.3", **changes) -> TestClient:
        app = create_app(settings.model_copy(update=changes), engine=engine)
        client = TestClient(app, follow_redirects=False, client=(peer, 40000))
        clients.append(client.__enter__())
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _wrong_login(client: TestClient, email: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/api/v1/auth/token", json={"email": email, "password": "wrong"},
                       headers=headers)


def test_a_throttled_address_cannot_escape_by_sending_x_forwarded_for(serve_app, cast):
    client = serve_app(login_failure_ip_limit=2)
    for n in range(2):
        assert _wrong_login(client, f"guess{n}@test.example").status_code == 401
    assert _wrong_login(client, "guess9@test.example").status_code == 429
    assert _wrong_login(client, "guess9@test.example", "203.0.113.7").status_code == 429


def test_forwarded_addresses_are_believed_from_a_trusted_proxy_only(serve_app, cast):
    client = serve_app(peer="10.0.0.5", trusted_proxies="10.0.0.0/24",
                       login_failure_ip_limit=2)
    for n in range(2):
        assert _wrong_login(client, f"g{n}@test.example", "203.0.113.7").status_code == 401
    assert _wrong_login(client, "g3@test.example", "203.0.113.7").status_code == 429
    # Another person behind the same proxy is someone else.
    assert _wrong_login(client, "g4@test.example", "198.51.100.9").status_code == 401


def test_trusted_proxies_must_be_addresses_or_networks():
    with pytest.raises(ValueError, match="not an IP address"):
        Settings(trusted_proxies="proxy.example.org")
    assert Settings(trusted_proxies=" 127.0.0.1, 172.16.0.0/12 ").trusted_proxy_list() == [
        "127.0.0.1", "172.16.0.0/12"]


def test_etik_serve_leaves_forwarded_headers_to_the_app(monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from app.cli import cli

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    assert CliRunner().invoke(cli, ["serve"]).exit_code == 0
    assert seen["proxy_headers"] is False


def _ask_for_reset(client: TestClient, email: str):
    token = csrf_from(client, "/password/forgot")
    return client.post("/password/forgot", data={"email": email, "csrf_token": token})


def _mails(session, recipient: str) -> int:
    session.expire_all()
    return len(session.exec(select(OutboxMessage).where(
        OutboxMessage.recipient == recipient)).all())


def test_twenty_reset_requests_for_one_account_send_no_more_mails_than_the_limit(
        serve_app, session, cast, settings):
    client = serve_app()
    answers = {_ask_for_reset(client, cast.alice.email).status_code for _ in range(20)}
    assert answers == {200}
    assert _mails(session, cast.alice.email) == settings.password_reset_limit


def test_a_limited_account_and_an_unknown_email_get_the_same_answer(serve_app, cast,
                                                                    settings):
    client = serve_app()
    for _ in range(settings.password_reset_limit):
        _ask_for_reset(client, cast.alice.email)
    limited = _ask_for_reset(client, cast.alice.email)
    unknown = _ask_for_reset(client, "nobody@test.example")
    assert limited.status_code == unknown.status_code == 200
    assert SAME_ANSWER in limited.text and SAME_ANSWER in unknown.text
    assert limited.text.replace(cast.alice.email, "X") == unknown.text.replace(
        "nobody@test.example", "X")


def test_too_many_reset_requests_from_one_address_are_429_known_email_or_not(
        serve_app, session, cast):
    client = serve_app(password_reset_ip_limit=4)
    for n in range(4):
        assert _ask_for_reset(client, f"person{n}@test.example").status_code == 200
    known = _ask_for_reset(client, cast.bob.email)
    unknown = _ask_for_reset(client, "someone@test.example")
    assert known.status_code == unknown.status_code == 429
    assert "For mange" in known.text
    assert _mails(session, cast.bob.email) == 0
    other_address = serve_app(peer="10.9.9.9")
    assert _ask_for_reset(other_address, cast.bob.email).status_code == 200
    assert _mails(session, cast.bob.email) == 1
