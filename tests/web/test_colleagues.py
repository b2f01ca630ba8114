"""Colleagues: an organisation's member users, seen by all of them, managed by its leaders."""

import re

import pytest
from sqlmodel import select

from app.models import AuditEntry, OutboxMessage, User
from app.models.vocabulary import Role
from tests.conftest import csrf_from

INVITATION = re.compile(r"http://testserver(/invitation/[\w\-]+)")


def _page(cast, org=None) -> str:
    return f"/organisations/{(org or cast.org_a).id}/colleagues"


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf_from(client, "/account"), **data})


def _invite(client, cast, org=None, **fields):
    return _post(client, _page(cast, org), **({"name": "Mette Jensen",
                                               "email": "mette@alfa.example"} | fields))


def _user(session, email: str) -> User | None:
    session.expire_all()
    return session.exec(select(User).where(User.email == email)).first()


def _fresh(session, user) -> User:
    session.expire_all()
    return session.get(User, user.id)


def _last_audit(session) -> AuditEntry:
    return session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()


@pytest.fixture
def leader(login, cast):
    return login(cast.carol)


# --- reading ---------------------------------------------------------------------------------


def test_every_member_user_sees_the_colleagues_with_leader_and_invited_marks(login, cast,
                                                                          factory):
    cast.carol  # noqa: B018 (the leader exists)
    factory.user(organisation=cast.org_a, name="Ny Kollega", password_hash=None)
    page = login(cast.alice).get(_page(cast))
    assert page.status_code == 200
    items = {item.split("</strong>")[0].rsplit(">", 1)[-1]: item
             for item in page.text.split('<li class="people-list__item">')[1:]}
    assert set(items) == {"Alice Medlem", "Carol Leder", "Ny Kollega"}
    assert "carol@test.example" in items["Carol Leder"] and "Leder" in items["Carol Leder"]
    assert "Inviteret" in items["Ny Kollega"] and "Leder" not in items["Ny Kollega"]
    assert "(dig)" in items["Alice Medlem"]
    assert "Bob Medlem" not in page.text


def test_a_plain_member_sees_no_invitation_form_and_no_buttons(login, cast):
    page = login(cast.alice).get(_page(cast)).text
    assert "Invitér en kollega" not in page
    assert "/remove" not in page and "/leader" not in page
    assert "Tilbuddets ledere kan invitere nye" in page


def test_a_leader_sees_the_form_and_the_buttons(leader, cast):
    page = leader.get(_page(cast)).text
    assert f'action="{_page(cast)}"' in page
    assert f'href="{_page(cast)}/{cast.alice.id}/remove"' in page
    assert f'action="{_page(cast)}/{cast.alice.id}/leader"' in page


def test_members_find_the_page_in_the_menu_and_on_the_home_page(login, cast):
    home = login(cast.alice).get("/").text
    nav = home.split('class="main-nav"')[1].split("</nav>")[0]
    assert f'href="{_page(cast)}">Kolleger</a>' in nav
    assert f'href="{_page(cast)}">Se kollegerne</a>' in home
    leader_home = login(cast.carol).get("/").text
    assert f'href="{_page(cast)}">Invitér eller fjern kolleger</a>' in leader_home
    assert "/colleagues" not in login(cast.advisor).get("/").text


def test_another_organisations_member_gets_404_and_staff_403(login, cast):
    assert login(cast.bob).get(_page(cast)).status_code == 404
    assert login(cast.advisor).get(_page(cast)).status_code == 403
    assert login(cast.board).get(_page(cast)).status_code == 403
    assert login(cast.alice).get("/organisations/999999/colleagues").status_code == 404


# --- inviting --------------------------------------------------------------------------------


def test_a_leader_invites_a_colleague_into_the_same_organisation(leader, cast, session):
    response = _invite(leader, cast)
    assert response.status_code == 303
    assert response.headers["location"] == _page(cast) + "?done=invited"
    invited = _user(session, "mette@alfa.example")
    assert (invited.role, invited.organisation_id, invited.member_admin) == (
        Role.MEMBER, cast.org_a.id, False)
    assert invited.password_hash is None
    mail = session.exec(select(OutboxMessage).where(
        OutboxMessage.recipient == "mette@alfa.example")).one()
    assert INVITATION.search(mail.body)
    assert "Invitationen er sendt" in leader.get(response.headers["location"]).text


def test_the_invitation_is_the_admins_own_and_logs_the_colleague_in(leader, client, cast,
                                                                   session):
    _invite(leader, cast)
    body = session.exec(select(OutboxMessage.body).where(
        OutboxMessage.recipient == "mette@alfa.example")).one()
    path = INVITATION.search(body).group(1)
    token = csrf_from(client, "/password/forgot")
    chosen = client.post(path, data={"password": "a long enough passphrase",
                                     "password_repeat": "a long enough passphrase",
                                     "csrf_token": token})
    assert chosen.status_code == 303
    assert "Alfa Opholdssted" in client.get("/").text


def test_the_invitation_is_audited_as_the_leaders(leader, cast, session):
    _invite(leader, cast)
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "create")).one()
    assert entry.user_id == cast.carol.id and entry.organisation_id == cast.org_a.id
    assert entry.changes["email"] == [None, "mette@alfa.example"]


def test_a_tampered_form_cannot_give_another_role_or_organisation(leader, cast, session):
    response = _invite(leader, cast, role="admin", organisation_id=str(cast.org_b.id),
                       member_admin="1")
    assert response.status_code == 303
    invited = _user(session, "mette@alfa.example")
    assert (invited.role, invited.organisation_id, invited.member_admin) == (
        Role.MEMBER, cast.org_a.id, False)


def test_a_leader_cannot_invite_into_another_organisation_by_its_url(leader, cast, session):
    response = _invite(leader, cast, org=cast.org_b)
    assert response.status_code == 404
    assert _user(session, "mette@alfa.example") is None
    assert session.exec(select(OutboxMessage)).all() == []


def test_a_plain_member_cannot_invite(login, cast, session):
    response = _invite(login(cast.alice), cast)
    assert response.status_code == 403
    assert "Kun tilbuddets ledere" in response.text
    assert _user(session, "mette@alfa.example") is None


def test_an_address_in_use_is_refused_at_the_field_keeping_what_was_typed(leader, cast,
                                                                         session):
    response = _invite(leader, cast, email="Bob@Test.Example", name="Bob Igen")
    assert response.status_code == 422
    assert 'id="email-error">Der findes allerede en bruger med denne e-mail.' in response.text
    assert 'value="Bob Igen"' in response.text and 'value="Bob@Test.Example"' in response.text
    assert session.exec(select(OutboxMessage)).all() == []


@pytest.mark.parametrize(("fields", "field"), [({"name": " "}, "name"),
                                               ({"email": "not an address"}, "email")])
def test_a_missing_name_or_a_bad_address_is_refused_at_its_field(leader, cast, fields, field):
    response = _invite(leader, cast, **fields)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text


def test_no_one_is_invited_into_an_organisation_los_has_deactivated(leader, cast, session):
    cast.org_a.active = False
    session.add(cast.org_a)
    session.commit()
    response = _invite(leader, cast)
    assert response.status_code == 422
    assert "Tilbuddet er ikke længere aktivt i etik" in response.text
    assert _user(session, "mette@alfa.example") is None


def test_los_admin_may_invite_for_any_organisation_here_too(login, cast, session):
    assert _invite(login(cast.admin), cast, org=cast.org_b).status_code == 303
    assert _user(session, "mette@alfa.example").organisation_id == cast.org_b.id


# --- sending the invitation again -------------------------------------------------------------


def test_a_leader_sends_an_invitation_again_and_the_old_link_stops_working(leader, client,
                                                                          cast, session):
    _invite(leader, cast)
    invited = _user(session, "mette@alfa.example")
    first = INVITATION.search(session.exec(select(OutboxMessage.body)).one()).group(1)
    response = _post(leader, f"{_page(cast)}/{invited.id}/resend-invitation")
    assert response.status_code == 303
    assert client.get(first).status_code == 410
    entry = _last_audit(session)
    assert entry.action == "invite" and entry.user_id == cast.carol.id


def test_no_invitation_goes_to_a_colleague_who_has_a_password(leader, cast, session):
    response = _post(leader, f"{_page(cast)}/{cast.alice.id}/resend-invitation")
    assert response.status_code == 422
    assert "har allerede valgt en adgangskode" in response.text
    assert session.exec(select(OutboxMessage)).all() == []


def test_a_removed_colleague_gets_no_invitation_until_given_access_again(leader, cast,
                                                                       session, factory):
    invited = factory.user(organisation=cast.org_a, name="Ny Kollega", password_hash=None,
                           active=False)
    response = _post(leader, f"{_page(cast)}/{invited.id}/resend-invitation")
    assert response.status_code == 422
    assert "Ny Kollega er fjernet. Giv adgang igen først." in response.text
    assert session.exec(select(OutboxMessage)).all() == []


# --- removing --------------------------------------------------------------------------------


def test_removing_asks_first_on_a_page_with_a_button_that_posts(leader, cast):
    page = leader.get(f"{_page(cast)}/{cast.alice.id}/remove")
    assert page.status_code == 200
    assert "Fjern Alice Medlem?" in page.text
    assert f'<form method="post" action="{_page(cast)}/{cast.alice.id}/remove"' in page.text


def test_a_removed_colleague_is_logged_out_at_once_and_nothing_deleted(leader, login, cast,
                                                                      session):
    alice = login(cast.alice)
    response = _post(leader, f"{_page(cast)}/{cast.alice.id}/remove")
    assert response.status_code == 303
    assert response.headers["location"] == _page(cast) + "?done=removed"
    assert alice.get("/").status_code == 303  # sent to the login page
    assert _fresh(session, cast.alice).active is False
    entry = _last_audit(session)
    assert entry.user_id == cast.carol.id and entry.changes == {"active": [True, False]}


def test_a_removed_colleague_is_listed_apart_and_can_be_given_access_again(leader, cast,
                                                                          session):
    _post(leader, f"{_page(cast)}/{cast.alice.id}/remove")
    page = leader.get(_page(cast)).text
    removed = page.split('id="removed-heading"')[1]
    assert "Alice Medlem" in removed
    response = _post(leader, f"{_page(cast)}/{cast.alice.id}/reactivate")
    assert response.status_code == 303
    assert _fresh(session, cast.alice).active is True


def test_the_last_leader_cannot_remove_themself(leader, cast, session):
    page = leader.get(f"{_page(cast)}/{cast.carol.id}/remove")
    assert "Du er tilbuddets eneste leder" in page.text
    assert f'action="{_page(cast)}/{cast.carol.id}/remove"' not in page.text
    response = _post(leader, f"{_page(cast)}/{cast.carol.id}/remove")
    assert response.status_code == 422
    assert _fresh(session, cast.carol).active is True


def test_the_only_leader_is_offered_no_button_to_step_down_or_leave(leader, cast, factory):
    own = f"{_page(cast)}/{cast.carol.id}"
    page = leader.get(_page(cast)).text
    assert f'href="{own}/remove"' not in page and f'action="{own}/leader"' not in page
    factory.user(organisation=cast.org_a, member_admin=True)
    page = leader.get(_page(cast)).text
    assert f'href="{own}/remove"' in page and f'action="{own}/leader"' in page


def test_a_leader_may_leave_when_another_leader_remains(leader, factory, cast, session):
    factory.user(organisation=cast.org_a, member_admin=True)
    response = _post(leader, f"{_page(cast)}/{cast.carol.id}/remove")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert _fresh(session, cast.carol).active is False


def test_a_leader_cannot_remove_someone_of_another_organisation(leader, cast, session):
    for org in (cast.org_a, cast.org_b):
        response = _post(leader, f"{_page(cast, org)}/{cast.bob.id}/remove")
        assert response.status_code == 404
    assert _fresh(session, cast.bob).active is True


def test_a_leader_cannot_touch_users_who_are_not_members(leader, cast, session, factory):
    for person in (cast.advisor, cast.admin):
        assert _post(leader, f"{_page(cast)}/{person.id}/remove").status_code == 404
        assert _post(leader, f"{_page(cast)}/{person.id}/leader",
                     leader="true").status_code == 404
        assert _fresh(session, person).active is True


def test_a_plain_member_cannot_remove_a_colleague(login, cast, session):
    response = _post(login(cast.alice), f"{_page(cast)}/{cast.carol.id}/remove")
    assert response.status_code == 403
    assert _fresh(session, cast.carol).active is True


# --- leaders ---------------------------------------------------------------------------------


def test_a_leader_makes_a_colleague_a_leader_who_then_manages_too(leader, login, cast,
                                                                 session):
    response = _post(leader, f"{_page(cast)}/{cast.alice.id}/leader", leader="true")
    assert response.status_code == 303
    assert _fresh(session, cast.alice).member_admin is True
    assert _last_audit(session).changes == {"member_admin": [False, True]}
    assert "Invitér en kollega" in login(cast.alice).get(_page(cast)).text


def test_a_leader_stops_another_from_being_leader(leader, cast, session, factory):
    other = factory.user(organisation=cast.org_a, member_admin=True)
    response = _post(leader, f"{_page(cast)}/{other.id}/leader", leader="false")
    assert response.status_code == 303
    assert _fresh(session, other).member_admin is False


def test_the_last_leader_cannot_stop_being_one(leader, cast, session):
    response = _post(leader, f"{_page(cast)}/{cast.carol.id}/leader", leader="false")
    assert response.status_code == 422
    assert "Du er tilbuddets eneste leder" in response.text
    assert _fresh(session, cast.carol).member_admin is True


def test_a_plain_member_cannot_make_themself_a_leader(login, cast, session):
    response = _post(login(cast.alice), f"{_page(cast)}/{cast.alice.id}/leader", leader="true")
    assert response.status_code == 403
    assert _fresh(session, cast.alice).member_admin is False


def test_a_leader_form_without_its_answer_is_refused(leader, cast, session):
    response = _post(leader, f"{_page(cast)}/{cast.alice.id}/leader")
    assert response.status_code == 422
    assert _fresh(session, cast.alice).member_admin is False
