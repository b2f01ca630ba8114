"""An admin deletes a user: the person goes, what they did stays as "slettet bruger"."""

import pytest
from sqlmodel import select

from app.clock import today
from app.models import (
    Action,
    ActionComment,
    Answer,
    ApiToken,
    AuditEntry,
    ContactEntry,
    OneTimeLink,
    Organisation,
    User,
    UserSession,
)
from app.models.vocabulary import Role
from app.services.actions import create_action, update_action
from app.services.advisor.support import add_contact
from app.services.assessment.answers import save_answer
from app.services.assessment.start import start_assessment
from app.services.assessment.view import indicators_in_scope
from app.services.credentials import issue_api_token
from app.services.errors import Invalid
from app.services.links import LinkPurpose, create_link
from app.services.user_deletion import delete_user
from tests.conftest import csrf_from

DELETED = "slettet bruger"


@pytest.fixture
def admin(login, cast):
    return login(cast.admin)


@pytest.fixture
def alices_work(session, settings, cast, open_cycle, catalogue):
    """Alice answered, commented on an action she owns, and has a token and a reset link."""
    assessment, _ = start_assessment(session=session, user=cast.alice, cycle_id=open_cycle.id,
                                     today=today())
    indicator = indicators_in_scope(session, catalogue.id, "doegntilbud")[0]
    save_answer(session=session, assessment_id=assessment.id, indicator_key=indicator.key,
                user=cast.alice, data={"score": 4, "comment": "Alice skrev det",
                                       "version": assessment.version})
    action = create_action(session=session, user=cast.advisor, today=today(), data={
        "organisation_id": cast.org_a.id, "title": "Skriv magtpolitikken",
        "owner_email": "alice@test.example"})
    update_action(session=session, user=cast.alice, action_id=action.id,
                  data={"comment": "Vi er i gang", "version": action.version})
    issue_api_token(session=session, settings=settings, user=cast.alice)
    create_link(session=session, settings=settings, user=cast.alice,
                purpose=LinkPurpose.PASSWORD_RESET)
    session.commit()
    return assessment


def confirm_and_delete(client, person_id: int):
    token = csrf_from(client, f"/admin/users/{person_id}/delete")
    return client.post(f"/admin/users/{person_id}/delete", data={"csrf_token": token})


def test_the_user_page_leads_to_a_confirmation_page_that_works_without_javascript(admin, cast):
    assert f'href="/admin/users/{cast.alice.id}/delete"' in admin.get(
        f"/admin/users/{cast.alice.id}").text
    page = admin.get(f"/admin/users/{cast.alice.id}/delete")
    assert page.status_code == 200
    assert "Slet Alice Medlem?" in page.text and "alice@test.example" in page.text
    assert f'<form method="post" action="/admin/users/{cast.alice.id}/delete"' in page.text
    assert "kan ikke fortrydes" in page.text


def test_deleting_removes_the_person_and_their_credentials_and_keeps_their_work(
        admin, cast, alices_work, session, login):
    alices_browser, alice_id = login(cast.alice), cast.alice.id
    response = confirm_and_delete(admin, alice_id)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/users?deleted=1"
    assert "Brugeren er slettet." in admin.get(response.headers["location"]).text
    session.expire_all()
    assert session.get(User, alice_id) is None
    for model in (UserSession, ApiToken, OneTimeLink):
        assert session.exec(select(model).where(model.user_id == alice_id)).all() == []
    (answer,) = session.exec(select(Answer)).all()
    assert (answer.comment, answer.updated_by_id) == ("Alice skrev det", None)
    (comment,) = session.exec(select(ActionComment)).all()
    assert (comment.text, comment.user_id, comment.user_name) == ("Vi er i gang", None, "")
    assert session.exec(select(Action)).one().owner_email == ""
    # Her browser session went with her.
    assert alices_browser.get("/").status_code in (302, 303)


def test_the_action_plan_says_slettet_bruger_for_a_deleted_users_comment(
        admin, cast, alices_work, login):
    confirm_and_delete(admin, cast.alice.id)
    page = login(cast.advisor).get(f"/assessments/{alices_work.id}/results").text
    assert "Vi er i gang" in page
    assert f"{DELETED}," in page and "Alice Medlem" not in page


def test_the_deletion_is_audited_by_id_and_role_without_the_email(admin, cast, alices_work,
                                                                  session):
    alice_id, admin_id, org_id = cast.alice.id, cast.admin.id, cast.org_a.id
    confirm_and_delete(admin, alice_id)
    session.expire_all()
    (entry,) = session.exec(select(AuditEntry).where(AuditEntry.action == "delete",
                                                     AuditEntry.entity == "user")).all()
    assert (entry.user_id, entry.entity_id, entry.organisation_id) == (
        admin_id, str(alice_id), org_id)
    assert entry.changes["role"] == ["member", None]
    assert "alice" not in str(entry.changes).lower()


def test_an_entry_about_the_deleted_user_no_longer_shows_their_email_or_name(admin, cast,
                                                                           session):
    from app.services import users

    created = users.create_user(session=session, user=cast.admin, data={
        "email": "mette@egebo.example", "name": "Mette Jensen", "role": "board"})
    confirm_and_delete(admin, created.id)
    page = admin.get("/admin/audit?entity=user").text
    assert "mette@egebo.example" not in page and "Mette Jensen" not in page


def test_the_audit_trail_shows_a_deleted_actor_as_slettet_bruger(admin, cast, alices_work,
                                                                 login):
    confirm_and_delete(admin, cast.alice.id)
    page = admin.get("/admin/audit").text
    assert f">{DELETED}</a>" in page and ">alice@test.example</a>" not in page
    csv = admin.get("/admin/audit.csv").content.decode("utf-8-sig")
    assert f";{DELETED};" in csv and ";alice@test.example;" not in csv


def test_the_audit_api_says_slettet_bruger_for_a_deleted_actor(admin, cast, alices_work, client):
    from tests.conftest import api_token

    confirm_and_delete(admin, cast.alice.id)
    entries = client.get("/api/v1/audit", headers=api_token(client, "admin@test.example")).json()
    assert DELETED in {e["user"] for e in entries}
    assert "alice@test.example" not in {e["user"] for e in entries}


def test_a_deleted_advisors_contact_notes_stay_as_slettet_bruger(admin, cast, session, login):
    add_contact(session=session, user=cast.advisor, organisation_id=cast.org_a.id,
                data={"kind": "call", "happened_on": today(), "note": "Talte om påbuddet"})
    organisation = session.get(Organisation, cast.org_a.id)
    organisation.advisor_id = cast.advisor.id
    session.add(organisation)
    session.commit()
    confirm_and_delete(admin, cast.advisor.id)
    session.expire_all()
    assert session.exec(select(ContactEntry)).one().by_name == ""
    assert session.get(Organisation, cast.org_a.id).advisor_id is None
    page = admin.get(f"/advisor/members/{cast.org_a.id}").text
    assert "Talte om påbuddet" in page and DELETED in page
    assert "Anders Konsulent" not in page


def test_an_admin_cannot_delete_themself(admin, cast, session):
    page = admin.get(f"/admin/users/{cast.admin.id}/delete")
    assert "Du kan ikke slette dig selv" in page.text
    assert f'action="/admin/users/{cast.admin.id}/delete"' not in page.text
    token = csrf_from(admin, f"/admin/users/{cast.admin.id}")
    response = admin.post(f"/admin/users/{cast.admin.id}/delete", data={"csrf_token": token})
    assert response.status_code == 422
    session.expire_all()
    assert session.get(User, cast.admin.id) is not None


def test_the_last_admin_cannot_be_deleted(session, cast):
    with pytest.raises(Invalid) as refused:
        delete_user(session=session, user=None, user_id=cast.admin.id)
    assert "sidste administrator" in refused.value.message
    session.expire_all()
    assert session.get(User, cast.admin.id) is not None


def test_another_admin_can_be_deleted_while_one_remains(admin, cast, factory, session):
    other_id = factory.user(Role.ADMIN, name="Anden Admin").id
    assert confirm_and_delete(admin, other_id).status_code == 303
    session.expire_all()
    assert session.get(User, other_id) is None


def test_an_unknown_user_is_not_found(admin):
    assert admin.get("/admin/users/987654/delete").status_code == 404
