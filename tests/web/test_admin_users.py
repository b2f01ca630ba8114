"""Admin pages for users: list, search, invite, edit, resend the invitation, deactivate."""

import re

import pytest
from sqlmodel import select

from app.models import OutboxMessage, User, UserSession
from app.models.vocabulary import Role
from tests.conftest import csrf_from
from tests.web.test_admin_organisations import HTMX, count_queries

INVITATION_LINK = re.compile(r"http://testserver(/invitation/[\w\-]+)")


@pytest.fixture
def admin(login, cast):
    return login(cast.admin)


def user_form(**overrides) -> dict:
    return {"name": "Mette Jensen", "email": "mette@egebo.example", "role": "member",
            "organisation_id": ""} | overrides


def invitation_path(session, email: str) -> str:
    bodies = session.exec(select(OutboxMessage.body).where(OutboxMessage.recipient == email)
                          .order_by(OutboxMessage.id)).all()
    return INVITATION_LINK.search(bodies[-1]).group(1)


def test_admin_sees_users_with_role_organisation_and_status(admin, cast, factory):
    factory.user(name="Ny Kollega", organisation=cast.org_a, password_hash=None)
    page = admin.get("/admin/users").text
    alice_row = page.split("Alice Medlem")[1].split("</tr>")[0]
    assert "alice@test.example" in alice_row and "Alfa Opholdssted" in alice_row
    assert "Medlem" in alice_row and "Aktiv" in alice_row
    assert "Inviteret" in page.split("Ny Kollega")[1].split("</tr>")[0]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("query", ["alice", "ALICE@TEST", "alfa opholdssted"])
def test_search_finds_users_by_name_email_or_organisation(admin, cast, headers, query):
    page = admin.get("/admin/users", params={"q": query}, headers=headers)
    assert "Alice Medlem" in page.text
    assert "Bob Medlem" not in page.text
    assert ("<html" in page.text) is (not headers)


def test_search_field_searches_as_you_type_and_also_works_as_a_plain_form(admin):
    page = admin.get("/admin/users").text
    assert '<form method="get" action="/admin/users"' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page


def test_users_can_be_filtered_by_role(admin, cast):
    page = admin.get("/admin/users?role=advisor").text
    assert "Anders Konsulent" in page
    assert "Alice Medlem" not in page
    assert '<option value="advisor" selected>' in page


def test_an_unknown_role_filter_shows_every_role(admin, cast):
    assert "Anders Konsulent" in admin.get("/admin/users?role=wizard").text


def test_deactivated_users_are_listed_only_when_asked_for(admin, factory):
    factory.user(name="Gammel Bruger", active=False)
    assert "Gammel Bruger" not in admin.get("/admin/users").text
    assert "Gammel Bruger" in admin.get("/admin/users?inactive=1").text


def test_list_shows_50_users_a_page(admin, cast, factory):
    for n in range(50):
        factory.user(Role.BOARD, name=f"Zeta {n:02d}")
    first = admin.get("/admin/users").text
    assert first.count('<a href="/admin/users/') == 50
    assert 'href="/admin/users?page=2"' in first
    assert admin.get("/admin/users?page=2").text.count('<a href="/admin/users/') == 5


def test_list_costs_the_same_number_of_queries_for_few_and_many_users(admin, cast, factory,
                                                                     engine):
    admin.get("/admin/users")
    with count_queries(engine) as few:
        admin.get("/admin/users")
    for n in range(40):
        factory.user(name=f"Zeta {n:02d}")  # each in an organisation of its own
    with count_queries(engine) as many:
        admin.get("/admin/users")
    assert len(many) == len(few)


def test_inviting_creates_a_user_without_password_and_mails_a_one_time_link(admin, cast,
                                                                           session):
    token = csrf_from(admin, "/admin/users/new")
    response = admin.post("/admin/users", data=user_form(
        csrf_token=token, email="Mette@Egebo.Example", organisation_id=str(cast.org_a.id)))
    assert response.status_code == 303
    user = session.exec(select(User).where(User.email == "mette@egebo.example")).one()
    assert (user.password_hash, user.organisation_id) == (None, cast.org_a.id)
    assert response.headers["location"] == f"/admin/users/{user.id}?invited=1"
    assert invitation_path(session, "mette@egebo.example")


def test_the_invited_user_chooses_a_password_through_the_mailed_link(admin, cast, session,
                                                                     client):
    token = csrf_from(admin, "/admin/users/new")
    admin.post("/admin/users", data=user_form(csrf_token=token, role="advisor"))
    path = invitation_path(session, "mette@egebo.example")
    assert "Velkommen til etik, Mette Jensen" in client.get(path).text
    response = client.post(path, data={"password": "a long enough secret",
                                       "password_repeat": "a long enough secret",
                                       "csrf_token": csrf_from(client, path)})
    assert response.status_code == 303


def test_invite_page_can_start_with_the_organisation_chosen(admin, cast):
    page = admin.get(f"/admin/users/new?organisation_id={cast.org_b.id}").text
    assert f'<option value="{cast.org_b.id}" selected>Beta Bosted' in page


def test_an_email_already_in_use_is_refused_at_the_email_field(admin, cast, session):
    token = csrf_from(admin, "/admin/users/new")
    response = admin.post("/admin/users", data=user_form(
        csrf_token=token, email="ALICE@test.example", organisation_id=str(cast.org_a.id)))
    assert response.status_code == 422
    assert "Der findes allerede en bruger med denne e-mail." in response.text
    assert 'aria-describedby="email-error"' in response.text
    assert 'value="ALICE@test.example"' in response.text
    assert session.exec(select(OutboxMessage)).all() == []


def test_a_member_without_an_organisation_is_refused_at_the_organisation_field(admin):
    token = csrf_from(admin, "/admin/users/new")
    response = admin.post("/admin/users", data=user_form(csrf_token=token))
    assert response.status_code == 422
    assert 'id="organisation_id-error"' in response.text
    assert "Et medlem skal høre til et tilbud." in response.text


def test_admin_edits_a_user(admin, cast, session):
    token = csrf_from(admin, f"/admin/users/{cast.alice.id}")
    response = admin.post(f"/admin/users/{cast.alice.id}", data=user_form(
        csrf_token=token, name="Alice Andersen", email="alice@test.example",
        organisation_id=str(cast.org_b.id)))
    assert response.status_code == 303
    session.refresh(cast.alice)
    assert (cast.alice.name, cast.alice.organisation_id) == ("Alice Andersen", cast.org_b.id)


def _edit_alice(admin, cast, **overrides):
    token = csrf_from(admin, f"/admin/users/{cast.alice.id}")
    return admin.post(f"/admin/users/{cast.alice.id}", data=user_form(
        csrf_token=token, name="Alice Medlem", email="alice@test.example",
        organisation_id=str(cast.org_a.id)) | overrides)


def test_admin_makes_a_member_its_organisations_leader_with_the_checkbox(admin, cast,
                                                                       session):
    assert _edit_alice(admin, cast, member_admin="1").status_code == 303
    session.refresh(cast.alice)
    assert cast.alice.member_admin is True
    page = admin.get(f"/admin/users/{cast.alice.id}").text
    assert 'name="member_admin" value="1" checked' in page
    assert "leder i tilbuddet" in page
    assert '<span class="badge">Leder</span>' in admin.get("/admin/users").text


def test_an_unticked_checkbox_ends_the_leadership(admin, cast, session):
    _edit_alice(admin, cast, member_admin="1")
    assert _edit_alice(admin, cast).status_code == 303
    session.refresh(cast.alice)
    assert cast.alice.member_admin is False


def test_only_a_member_can_be_a_leader(admin, cast, session):
    _edit_alice(admin, cast, member_admin="1", role="advisor")
    session.refresh(cast.alice)
    assert (cast.alice.role, cast.alice.member_admin) == (Role.ADVISOR, False)


def test_a_refused_edit_keeps_what_was_typed(admin, cast, session):
    token = csrf_from(admin, f"/admin/users/{cast.alice.id}")
    response = admin.post(f"/admin/users/{cast.alice.id}", data=user_form(
        csrf_token=token, email="not an email", organisation_id=str(cast.org_a.id)))
    assert response.status_code == 422
    assert 'value="not an email"' in response.text
    session.refresh(cast.alice)
    assert cast.alice.email == "alice@test.example"


def test_deactivating_a_user_logs_them_out_everywhere(admin, cast, login, session):
    alice = login(cast.alice)
    assert alice.get("/").status_code == 200
    token = csrf_from(admin, f"/admin/users/{cast.alice.id}")
    response = admin.post(f"/admin/users/{cast.alice.id}/deactivate",
                          data={"csrf_token": token})
    assert response.status_code == 303
    assert alice.get("/").status_code == 303  # back to the login page
    assert session.exec(select(UserSession).where(UserSession.user_id == cast.alice.id)
                        ).all() == []
    assert "Brugeren er deaktiveret" in admin.get(response.headers["location"]).text


def test_a_deactivated_user_can_be_made_active_again(admin, cast, session):
    token = csrf_from(admin, f"/admin/users/{cast.alice.id}")
    admin.post(f"/admin/users/{cast.alice.id}/deactivate", data={"csrf_token": token})
    assert "Gør brugeren aktiv igen" in admin.get(f"/admin/users/{cast.alice.id}").text
    admin.post(f"/admin/users/{cast.alice.id}/reactivate", data={"csrf_token": token})
    session.refresh(cast.alice)
    assert cast.alice.active is True


def test_admin_cannot_deactivate_themself(admin, cast, session):
    assert "Deaktivér brugeren" not in admin.get(f"/admin/users/{cast.admin.id}").text
    token = csrf_from(admin, f"/admin/users/{cast.admin.id}")
    response = admin.post(f"/admin/users/{cast.admin.id}/deactivate",
                          data={"csrf_token": token})
    assert response.status_code == 422
    session.refresh(cast.admin)
    assert cast.admin.active is True


def test_resending_an_invitation_mails_a_new_link_and_the_old_one_stops_working(
        admin, client, session):
    token = csrf_from(admin, "/admin/users/new")
    response = admin.post("/admin/users", data=user_form(csrf_token=token, role="board"))
    user_path = response.headers["location"].split("?")[0]
    first = invitation_path(session, "mette@egebo.example")
    assert "Send invitationen igen" in admin.get(user_path).text
    assert admin.post(f"{user_path}/resend-invitation",
                      data={"csrf_token": token}).status_code == 303
    second = invitation_path(session, "mette@egebo.example")
    assert second != first
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_users_who_chose_a_password_are_offered_no_invitation(admin, cast):
    assert "Send invitationen igen" not in admin.get(f"/admin/users/{cast.alice.id}").text


def test_an_unknown_user_is_404(admin):
    assert admin.get("/admin/users/999999").status_code == 404


@pytest.mark.parametrize("role", ["member", "advisor", "board"])
def test_other_roles_cannot_invite_users(login, cast, role, session):
    client = login(cast.by_role(role))
    token = csrf_from(client, "/password/forgot")
    response = client.post("/admin/users", data=user_form(csrf_token=token, role="admin"))
    assert response.status_code == 403
    assert session.exec(select(User).where(User.email == "mette@egebo.example")).all() == []
