"""Forgotten passwords and invitations: one-time links by email, through the HTML pages."""

import re
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import select

from app.main import create_app
from app.models import OneTimeLink, OutboxMessage
from app.models.base import utcnow
from app.services.users import invite_user
from tests.conftest import csrf_from

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"http://testserver(/(?:password/reset|invitation)/[A-Za-z0-9_\-]+)")
SAME_ANSWER = "har vi nu sendt et link"
GONE = "Linket virker ikke længere"


def _outbox(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def _link_in(body: str) -> str:
    match = LINK.search(body)
    assert match, f"no link in {body!r}"
    return match.group(1)


def _ask_for_reset(client, email: str):
    token = csrf_from(client, "/password/forgot")
    return client.post("/password/forgot", data={"email": email, "csrf_token": token})


def _reset_link(client, session, email: str) -> str:
    assert _ask_for_reset(client, email).status_code == 200
    return _link_in(_outbox(session)[-1].body)


def _choose_password(client, path: str, password: str = NEW_PASSWORD,
                     repeated: str | None = None):
    token = csrf_from(client, "/password/forgot")
    return client.post(path, data={"password": password, "csrf_token": token,
                                   "password_repeat": password if repeated is None
                                   else repeated})


def _log_in(client, email: str, password: str):
    token = csrf_from(client, "/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token})


# --- forgotten password -----------------------------------------------------------------


def test_known_and_unknown_email_get_the_same_page(client, cast, session):
    known = _ask_for_reset(client, cast.alice.email)
    unknown = _ask_for_reset(client, "nobody@test.example")
    assert known.status_code == unknown.status_code == 200
    assert SAME_ANSWER in known.text and SAME_ANSWER in unknown.text
    # The same client, so the same CSRF token: the pages differ only in the email typed.
    assert known.text.replace(cast.alice.email, "EMAIL") == unknown.text.replace(
        "nobody@test.example", "EMAIL")


def test_only_a_known_email_gets_a_message_with_a_link(client, cast, session):
    _ask_for_reset(client, "nobody@test.example")
    assert _outbox(session) == []
    _ask_for_reset(client, cast.alice.email)
    messages = _outbox(session)
    assert [m.recipient for m in messages] == [cast.alice.email]
    assert _link_in(messages[0].body).startswith("/password/reset/")


def test_reset_link_sets_the_new_password_and_logs_in(client, cast, session):
    path = _reset_link(client, session, cast.alice.email)
    assert client.get(path).status_code == 200
    response = _choose_password(client, path)
    assert response.status_code == 303
    assert client.get("/").status_code == 200  # logged in
    client.cookies.clear()
    assert _log_in(client, cast.alice.email, NEW_PASSWORD).status_code == 303


def test_reset_link_works_only_once(client, cast, session):
    path = _reset_link(client, session, cast.alice.email)
    assert _choose_password(client, path).status_code == 303
    again = _choose_password(client, path, "yet another passphrase")
    assert again.status_code == 410
    assert GONE in again.text
    assert client.get(path).status_code == 410


def test_expired_reset_link_is_gone(client, cast, session):
    path = _reset_link(client, session, cast.alice.email)
    session.exec(update(OneTimeLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    page = client.get(path)
    assert page.status_code == 410
    assert GONE in page.text
    assert _choose_password(client, path).status_code == 410


def test_too_short_password_is_shown_at_its_field_and_the_link_still_works(client, cast,
                                                                           session):
    path = _reset_link(client, session, cast.alice.email)
    response = _choose_password(client, path, "short")
    assert response.status_code == 422
    assert 'id="password-error"' in response.text
    assert 'aria-describedby="password-hint password-error"' in response.text
    assert "mindst 10 tegn" in response.text
    assert _choose_password(client, path).status_code == 303


def test_mismatched_passwords_are_shown_at_the_repeat_field_and_the_link_still_works(
        client, cast, session):
    path = _reset_link(client, session, cast.alice.email)
    response = _choose_password(client, path, NEW_PASSWORD, "something else entirely")
    assert response.status_code == 422
    assert 'id="password_repeat-error"' in response.text
    assert 'aria-describedby="password_repeat-error"' in response.text
    assert "ikke ens" in response.text
    assert _choose_password(client, path).status_code == 303


def test_reset_ends_every_older_session(client, login, cast, session):
    elsewhere = login(cast.alice)
    assert elsewhere.get("/").status_code == 200
    path = _reset_link(client, session, cast.alice.email)
    assert _choose_password(client, path).status_code == 303
    assert elsewhere.get("/").status_code == 303  # sent to the login page


def test_a_newer_reset_link_replaces_the_older_one(client, cast, session):
    older = _reset_link(client, session, cast.alice.email)
    newer = _reset_link(client, session, cast.alice.email)
    assert client.get(older).status_code == 410
    assert client.get(newer).status_code == 200


# --- invitations ------------------------------------------------------------------------


@pytest.fixture
def invited(session, settings, cast):
    return invite_user(session=session, settings=settings, user=None, data={
        "email": "carl@test.example", "name": "Carl Ny", "role": "member",
        "organisation_id": cast.org_a.id})


def _invitation_link(session) -> str:
    path = _link_in(_outbox(session)[-1].body)
    assert path.startswith("/invitation/")
    return path


def test_invited_user_cannot_log_in_before_choosing_a_password(client, invited):
    assert _log_in(client, invited.email, NEW_PASSWORD).status_code == 401


def test_invitation_link_greets_the_person_and_sets_the_password_and_logs_in(
        client, invited, session):
    path = _invitation_link(session)
    page = client.get(path)
    assert page.status_code == 200
    assert "Carl Ny" in page.text
    assert _choose_password(client, path).status_code == 303
    assert "Alfa Opholdssted" in client.get("/").text
    client.cookies.clear()
    assert _log_in(client, invited.email, NEW_PASSWORD).status_code == 303


def test_invitation_link_works_only_once(client, invited, session):
    path = _invitation_link(session)
    assert _choose_password(client, path).status_code == 303
    again = _choose_password(client, path, "yet another passphrase")
    assert again.status_code == 410
    assert GONE in again.text


def test_expired_invitation_link_is_gone(client, invited, session):
    path = _invitation_link(session)
    session.exec(update(OneTimeLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert client.get(path).status_code == 410
    assert _choose_password(client, path).status_code == 410


def test_too_short_invitation_password_is_shown_at_its_field_and_the_link_still_works(
        client, invited, session):
    path = _invitation_link(session)
    response = _choose_password(client, path, "short")
    assert response.status_code == 422
    assert 'id="password-error"' in response.text
    assert _choose_password(client, path).status_code == 303


def test_reset_link_does_not_open_the_invitation_page(client, cast, session):
    path = _reset_link(client, session, cast.alice.email)
    token = path.rsplit("/", 1)[1]
    assert client.get(f"/invitation/{token}").status_code == 410


# --- a real SMTP server -----------------------------------------------------------------


class _Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, smtp_session, envelope):  # the name aiosmtpd calls
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, collector
    controller.stop()


def test_reset_mail_goes_through_a_real_smtp_server(smtp_server, settings, engine, cast,
                                                    session):
    controller, collector = smtp_server
    mailing = settings.model_copy(update={"smtp_host": "127.0.0.1",
                                          "smtp_port": controller.port})
    with TestClient(create_app(mailing, engine=engine), follow_redirects=False) as client:
        assert _ask_for_reset(client, cast.alice.email).status_code == 200
        assert len(collector.messages) == 1
        message = collector.messages[0]
        assert message["To"] == cast.alice.email
        assert message["From"] == mailing.mail_from
        path = _link_in(message.get_content())
        assert client.get(path).status_code == 200
    [row] = _outbox(session)
    assert row.sent_at is not None and row.error == ""


def test_when_the_smtp_server_is_down_the_outbox_records_the_error_and_the_page_answers(
        settings, engine, cast, session):
    down = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": _free_port()})
    with TestClient(create_app(down, engine=engine), follow_redirects=False) as client:
        response = _ask_for_reset(client, cast.alice.email)
    assert response.status_code == 200
    assert SAME_ANSWER in response.text
    [row] = _outbox(session)
    assert row.sent_at is None
    assert row.error.startswith("ConnectionRefusedError")
    assert _link_in(row.body).startswith("/password/reset/")
