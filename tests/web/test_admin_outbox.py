"""The outbox page: the admin reads every mail the system has written, newest first."""

from datetime import timedelta

import pytest

from app.models import OutboxMessage
from app.models.base import utcnow
from tests.conftest import csrf_from


@pytest.fixture
def admin(login, cast):
    return login(cast.admin)


def add_message(session, n: int = 0, **overrides) -> OutboxMessage:
    values = {"recipient": f"person{n}@test.example", "subject": f"Emne {n:03d}",
              "body": "Hej", "created_at": utcnow() + timedelta(seconds=n)}
    message = OutboxMessage(**(values | overrides))
    session.add(message)
    session.commit()
    return message


def test_outbox_shows_recipient_subject_and_body_newest_first(admin, session):
    add_message(session, 1, subject="Den gamle", body="Første tekst")
    add_message(session, 2, subject="Den nye")
    page = admin.get("/admin/outbox").text
    assert page.index("Den nye") < page.index("Den gamle")
    assert "person1@test.example" in page and "Første tekst" in page


def test_an_invitation_link_in_a_mail_can_be_followed_from_the_outbox(admin, cast, session):
    token = csrf_from(admin, "/admin/users/new")
    admin.post("/admin/users", data={"name": "Mette", "email": "mette@egebo.example",
                                     "role": "board", "csrf_token": token})
    page = admin.get("/admin/outbox").text
    assert '<a href="http://testserver/invitation/' in page
    assert "mette@egebo.example" in page


def test_a_mail_that_could_not_be_sent_shows_why(admin, session):
    add_message(session, error="SMTPConnectError: no answer")
    page = admin.get("/admin/outbox").text
    assert "Ikke sendt" in page and "SMTPConnectError: no answer" in page


def test_markup_in_a_mail_is_shown_as_text(admin, session):
    add_message(session, body="<script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in admin.get("/admin/outbox").text


def test_outbox_shows_50_mails_a_page_with_a_link_to_older_ones(admin, session):
    for n in range(51):
        add_message(session, n)
    first = admin.get("/admin/outbox").text
    assert first.count("<details>") == 50
    assert "Emne 050" in first and "Emne 000" not in first
    assert 'href="/admin/outbox?page=2"' in first
    second = admin.get("/admin/outbox?page=2").text
    assert second.count("<details>") == 1 and "Emne 000" in second
    assert "?page=3" not in second


def test_an_empty_outbox_says_so(admin):
    assert "Udbakken er tom." in admin.get("/admin/outbox").text


@pytest.mark.parametrize("role", ["member", "advisor", "board"])
def test_other_roles_cannot_read_the_outbox(login, cast, role):
    assert login(cast.by_role(role)).get("/admin/outbox").status_code == 403
