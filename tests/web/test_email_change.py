"""My account: a new email address, confirmed by a link mailed to it."""

import re
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from app.models import AuditEntry, OneTimeLink, OutboxMessage, User
from app.models.base import utcnow
from tests.conftest import PASSWORD, csrf_from

NEW_EMAIL = "alice.andersen@test.example"
LINK = re.compile(r"http://testserver(/account/email/[A-Za-z0-9_\-]+)")


def _outbox(session, recipient: str | None = None) -> list[OutboxMessage]:
    session.expire_all()
    statement = select(OutboxMessage).order_by(OutboxMessage.id)
    if recipient:
        statement = statement.where(OutboxMessage.recipient == recipient)
    return list(session.exec(statement))


def _email_of(session, user) -> str:
    session.expire_all()
    return session.get(User, user.id).email


def _ask(client, email: str = NEW_EMAIL, password: str = PASSWORD):
    return client.post("/account/email", data={
        "email": email, "current_password": password,
        "csrf_token": csrf_from(client, "/account")})


def _link(session, recipient: str = NEW_EMAIL) -> str:
    match = LINK.search(_outbox(session, recipient)[-1].body)
    assert match, "no confirmation link in the mail"
    return match.group(1)


def _confirm(client, path: str):
    return client.post(path, data={"csrf_token": csrf_from(client, "/account")})


def test_asking_mails_a_link_to_the_new_address_and_changes_nothing_yet(login, cast, session):
    client = login(cast.alice)
    response = _ask(client)
    assert response.status_code == 303
    assert [m.recipient for m in _outbox(session)] == [NEW_EMAIL]
    assert _link(session).startswith("/account/email/")
    assert _email_of(session, cast.alice) == cast.alice.email
    page = client.get(response.headers["location"]).text
    assert "Vi har sendt et link til den nye e-mail" in page
    assert f"Venter på bekræftelse: {NEW_EMAIL}" in page


def test_opening_the_link_asks_before_changing_anything(login, cast, session):
    client = login(cast.alice)
    _ask(client)
    page = client.get(_link(session))
    assert page.status_code == 200
    assert f"Skift til {NEW_EMAIL}" in page.text
    assert _email_of(session, cast.alice) == cast.alice.email


def test_confirming_changes_the_email_and_tells_the_old_address(login, cast, session):
    client = login(cast.alice)
    _ask(client)
    response = _confirm(client, _link(session))
    assert response.status_code == 303
    assert _email_of(session, cast.alice) == NEW_EMAIL
    notice = _outbox(session, "alice@test.example")
    assert len(notice) == 1
    assert "ændret fra alice@test.example til " + NEW_EMAIL in notice[0].body
    assert "Din e-mail er ændret" in client.get(response.headers["location"]).text


def test_the_new_address_logs_in_afterwards_and_the_old_one_not(login, client, cast, session):
    account = login(cast.alice)
    _ask(account)
    _confirm(account, _link(session))
    token = csrf_from(client, "/login")
    old = client.post("/login", data={"email": "alice@test.example", "password": PASSWORD,
                                      "csrf_token": token})
    assert old.status_code == 401
    new = client.post("/login", data={"email": NEW_EMAIL.upper(), "password": PASSWORD,
                                      "csrf_token": token})
    assert new.status_code == 303


def test_the_link_works_only_once(login, cast, session):
    client = login(cast.alice)
    _ask(client)
    path = _link(session)
    _confirm(client, path)
    again = _confirm(client, path)
    assert again.status_code == 410
    assert "Din e-mail er ikke ændret" in again.text
    assert client.get(path).status_code == 410


def test_an_expired_link_changes_nothing(login, cast, session):
    client = login(cast.alice)
    _ask(client)
    session.exec(update(OneTimeLink).values(expires_at=utcnow() - timedelta(minutes=1)))
    session.commit()
    assert _confirm(client, _link(session)).status_code == 410
    assert _email_of(session, cast.alice) == cast.alice.email


def test_the_link_expires_after_the_configured_hours(login, cast, session, settings):
    _ask(login(cast.alice))
    link = session.exec(select(OneTimeLink).where(OneTimeLink.purpose == "email_change")).one()
    lifetime = link.expires_at - link.created_at
    assert abs(lifetime - timedelta(hours=settings.email_change_ttl_hours)) < timedelta(minutes=1)


def test_a_newer_request_makes_the_older_link_stop_working(login, cast, session):
    client = login(cast.alice)
    _ask(client)
    first = _link(session)
    _ask(client, "third@test.example")
    assert _confirm(client, first).status_code == 410
    assert _confirm(client, _link(session, "third@test.example")).status_code == 303
    assert _email_of(session, cast.alice) == "third@test.example"


def test_the_link_needs_its_own_person_logged_in(login, cast, session):
    _ask(login(cast.alice))
    path = _link(session)
    anonymous = login(None).get(path)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=" + path
    bob = login(cast.bob)
    refused = _confirm(bob, path)
    assert refused.status_code == 410 and "hører til en anden bruger" in refused.text
    assert _email_of(session, cast.alice) == cast.alice.email
    assert _email_of(session, cast.bob) == cast.bob.email


def test_an_address_already_in_use_is_refused_at_the_field(login, cast, session):
    response = _ask(login(cast.alice), "  BOB@test.example ")
    assert response.status_code == 422
    assert 'id="email-error">Der findes allerede en bruger med denne e-mail.' in response.text
    assert 'value="  BOB@test.example "' in response.text  # kept as typed
    assert _outbox(session) == []


def test_the_own_current_address_is_refused(login, cast, session):
    response = _ask(login(cast.alice), "Alice@Test.Example")
    assert response.status_code == 422
    assert "Det er allerede din e-mail." in response.text


def test_without_the_current_password_nothing_is_sent_and_nothing_is_told(login, cast,
                                                                        session):
    response = _ask(login(cast.alice), "bob@test.example", password="a guess")
    assert response.status_code == 422
    assert "Det er ikke din nuværende adgangskode." in response.text
    # Whether the address has an account is told only to someone who knows the password.
    assert "Der findes allerede en bruger" not in response.text
    assert _outbox(session) == []


def test_a_malformed_address_is_refused_at_the_field(login, cast, session):
    response = _ask(login(cast.alice), "not an address")
    assert response.status_code == 422
    assert 'id="email-error"' in response.text
    assert _outbox(session) == []


def test_an_address_taken_after_asking_is_refused_when_confirming(login, cast, session,
                                                                factory):
    client = login(cast.alice)
    _ask(client)
    factory.user(email=NEW_EMAIL)
    response = _confirm(client, _link(session))
    assert response.status_code == 409
    assert "bruges nu af en anden bruger" in response.text
    assert _email_of(session, cast.alice) == cast.alice.email


def test_confirming_ends_the_password_reset_links_sent_to_the_old_address(login, client,
                                                                        cast, session):
    token = csrf_from(client, "/password/forgot")
    client.post("/password/forgot", data={"email": cast.alice.email, "csrf_token": token})
    reset = re.search(r"http://testserver(/password/reset/\S+)",
                      _outbox(session, cast.alice.email)[-1].body).group(1)
    account = login(cast.alice)
    _ask(account)
    _confirm(account, _link(session))
    assert client.get(reset).status_code == 410


def test_asking_and_changing_are_both_in_the_audit_trail(login, cast, session):
    client = login(cast.alice)
    _ask(client)
    _confirm(client, _link(session))
    entries = session.exec(select(AuditEntry).where(AuditEntry.entity == "user")
                           .order_by(AuditEntry.id)).all()
    assert [(e.action, e.user_id) for e in entries] == [
        ("email_requested", cast.alice.id), ("update", cast.alice.id)]
    assert entries[0].changes == {"new_email": [None, NEW_EMAIL]}
    assert entries[1].changes == {"email": ["alice@test.example", NEW_EMAIL]}


def test_the_actions_a_person_owns_follow_the_new_address(login, cast, session):
    from app.models import Action

    owned = Action(organisation_id=cast.org_a.id, title="Skriv rutine",
                   owner_email=cast.alice.email)
    session.add(owned)
    session.commit()
    client = login(cast.alice)
    _ask(client)
    assert _confirm(client, _link(session)).status_code == 303
    session.expire_all()
    action = session.get(Action, owned.id)
    assert (action.owner_email, action.version) == (NEW_EMAIL, 2)
