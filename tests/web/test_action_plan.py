"""The action plan page: actions by status, editing one, the owner from the organisation's
users, cancelling after a confirmation step; stale forms refused without losing the text."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.clock import today
from app.models import Action, ActionComment, AuditEntry
from app.models.vocabulary import Role
from tests.conftest import csrf_from


@pytest.fixture
def carl(factory, cast):
    """Alice's colleague in the same organisation."""
    return factory.user(Role.MEMBER, organisation=cast.org_a, email="carl@test.example",
                        name="Carl Kollega")


@pytest.fixture
def alice(login, cast):
    client = login(cast.alice)
    client.csrf = csrf_from(client, "/")
    return client


def _action(session, cast, **values) -> Action:
    action = Action(**{"organisation_id": cast.org_a.id, "title": "Opfølgning", **values})
    session.add(action)
    session.commit()
    return action


def _saved(session, action_id) -> Action:
    session.expire_all()
    return session.get(Action, action_id)


def _plan(cast) -> str:
    return f"/organisations/{cast.org_a.id}/actions"


def _edit(client, cast, action, **fields):
    data = {"csrf_token": client.csrf, "version": str(action.version), "title": action.title,
            "description": action.description, "owner_email": action.owner_email,
            "due_on": action.due_on.isoformat() if action.due_on else "",
            "priority": action.priority, "status": action.status, "comment": "", **fields}
    return client.post(f"{_plan(cast)}/{action.id}", data=data)


def test_the_plan_lists_the_organisations_actions_under_their_status(alice, session, cast):
    _action(session, cast, title="Ikke begyndt endnu")
    _action(session, cast, title="Halvvejs", status="in_progress")
    _action(session, cast, title="Klaret", status="done")
    _action(session, cast, title="Opgivet", status="cancelled")
    _action(session, cast, title="Betas egen", organisation_id=cast.org_b.id)
    html = alice.get(_plan(cast)).text
    sections = [html.index(f'id="plan-{status}"') for status in
                ("open", "in_progress", "done", "cancelled")]
    assert sections == sorted(sections)
    titles = ["Ikke begyndt endnu", "Halvvejs", "Klaret", "Opgivet"]
    assert all(sections[i] < html.index(title) < [*sections, len(html)][i + 1]
               for i, title in enumerate(titles))
    assert "Betas egen" not in html


def test_each_action_on_the_plan_links_to_its_edit_page(alice, session, cast):
    action = _action(session, cast)
    assert f'href="{_plan(cast)}/{action.id}"' in alice.get(_plan(cast)).text


def test_the_home_page_links_the_plan_and_each_open_action(alice, session, cast):
    action = _action(session, cast, title="Personalemøde om magt")
    html = alice.get("/").text
    assert f'href="{_plan(cast)}"' in html
    assert f'href="{_plan(cast)}/{action.id}">Personalemøde om magt</a>' in html


def test_editing_saves_every_field_and_returns_to_the_plan_with_a_notice(alice, session, cast,
                                                                         carl):
    action = _action(session, cast)
    due = (today() + timedelta(days=40)).isoformat()
    response = _edit(alice, cast, action, title="Ny titel", description="Sådan gør vi",
                     owner_email=carl.email, due_on=due, priority="high",
                     status="in_progress", comment="Vi er i gang")
    assert response.status_code == 303
    assert response.headers["location"] == f"{_plan(cast)}?saved={action.id}#action-{action.id}"
    saved = _saved(session, action.id)
    assert (saved.title, saved.description, saved.owner_email, saved.due_on.isoformat(),
            saved.priority, saved.status, saved.comment, saved.version) == (
        "Ny titel", "Sådan gør vi", carl.email, due, "high", "in_progress", "Vi er i gang", 2)
    html = alice.get(response.headers["location"]).text
    assert "Ændringerne i »Ny titel« er gemt." in html
    assert "Ansvarlig: Carl Kollega" in html


def test_the_owner_is_chosen_by_name_among_the_organisations_active_users(
        alice, session, cast, carl, factory):
    factory.user(Role.MEMBER, organisation=cast.org_a, name="Dorte Deaktiveret", active=False)
    action = _action(session, cast)
    html = alice.get(f"{_plan(cast)}/{action.id}").text
    owner = html[html.index('name="owner_email"'):]
    owner = owner[:owner.index("</select>")]
    assert f'<option value="{carl.email}">Carl Kollega</option>' in owner
    assert f'<option value="{cast.alice.email}">Alice Medlem</option>' in owner
    assert "Dorte" not in owner and cast.bob.email not in owner


@pytest.mark.parametrize("owner", ["leder@udefra.dk", "bob@test.example"],
                         ids=["outside-address", "another-organisations-user"])
def test_an_owner_who_is_not_one_of_the_organisations_users_is_refused_at_the_field(
        alice, session, cast, owner):
    action = _action(session, cast)
    response = _edit(alice, cast, action, owner_email=owner, title="Det jeg skrev")
    assert response.status_code == 422
    html = response.text
    assert ('id="edit-owner_email-error">Vælg en ansvarlig blandt tilbuddets egne brugere.'
            in html)
    assert 'value="Det jeg skrev"' in html
    assert _saved(session, action.id).version == 1


def test_a_deactivated_user_cannot_be_made_owner(alice, session, cast, factory):
    gone = factory.user(Role.MEMBER, organisation=cast.org_a, active=False)
    action = _action(session, cast)
    assert _edit(alice, cast, action, owner_email=gone.email).status_code == 422


def test_an_outside_owner_saved_earlier_shows_as_external_and_editing_the_rest_keeps_it(
        alice, session, cast):
    action = _action(session, cast, owner_email="leder@udefra.dk")
    assert "Ansvarlig: ekstern: leder@udefra.dk" in alice.get(_plan(cast)).text
    page = alice.get(f"{_plan(cast)}/{action.id}").text
    assert '<option value="leder@udefra.dk" selected>ekstern: leder@udefra.dk</option>' in page
    assert _edit(alice, cast, action, title="Omdøbt").status_code == 303
    saved = _saved(session, action.id)
    assert (saved.title, saved.owner_email) == ("Omdøbt", "leder@udefra.dk")


def test_a_stale_edit_is_409_keeps_what_was_typed_and_shows_what_is_saved_now(
        alice, session, cast):
    action = _action(session, cast, title="Min udgave")
    seen = Action(**action.model_dump())
    action.title, action.version = "Kollegaens udgave", 2
    session.add(action)
    session.commit()
    response = _edit(alice, cast, seen, title="Det jeg skrev", comment="Min kommentar")
    assert response.status_code == 409
    html = response.text
    assert "En anden har ændret handlingen" in html
    assert 'value="Det jeg skrev"' in html and "Min kommentar</textarea>" in html
    assert "Sådan er handlingen gemt nu:" in html and "<dd>Kollegaens udgave</dd>" in html
    assert 'name="version" value="2"' in html  # saving again replaces it, knowingly
    assert _saved(session, action.id).title == "Kollegaens udgave"


def test_an_empty_title_is_refused_at_the_field(alice, session, cast):
    action = _action(session, cast)
    response = _edit(alice, cast, action, title="", description="Bevares")
    assert response.status_code == 422
    assert 'id="edit-title-error">Skal udfyldes.' in response.text
    assert "Bevares</textarea>" in response.text


def test_the_edit_form_offers_cancelling_as_its_own_step_not_as_a_status(alice, session, cast):
    action = _action(session, cast)
    html = alice.get(f"{_plan(cast)}/{action.id}").text
    assert f'href="{_plan(cast)}/{action.id}/cancel?version=1"' in html
    assert 'value="cancelled"' not in html


def test_cancelling_asks_first_and_changes_nothing_until_confirmed(alice, session, cast):
    action = _action(session, cast, title="Kursus i konflikthåndtering")
    page = alice.get(f"{_plan(cast)}/{action.id}/cancel?version=1")
    assert page.status_code == 200
    assert "Annullér handlingen?" in page.text and 'name="confirmed" value="yes"' in page.text
    unconfirmed = alice.post(f"{_plan(cast)}/{action.id}/cancel",
                             data={"csrf_token": alice.csrf, "version": "1"})
    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["location"] == f"{_plan(cast)}/{action.id}/cancel?version=1"
    assert _saved(session, action.id).status == "open"


def test_a_confirmed_cancel_is_saved_with_its_reason_and_audited(alice, session, cast):
    action = _action(session, cast, title="Kursus i konflikthåndtering")
    response = alice.post(f"{_plan(cast)}/{action.id}/cancel", data={
        "csrf_token": alice.csrf, "version": "1", "confirmed": "yes",
        "comment": "Kurset er aflyst"})
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"{_plan(cast)}?cancelled={action.id}#action-{action.id}")
    saved = _saved(session, action.id)
    assert (saved.status, saved.version) == ("cancelled", 2)
    assert session.exec(select(ActionComment.text)).all() == ["Kurset er aflyst"]
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.entity == "action")).all()
    assert (entry.action, entry.user_id, entry.changes["status"]) == (
        "update", cast.alice.id, ["open", "cancelled"])
    html = alice.get(response.headers["location"]).text
    assert "»Kursus i konflikthåndtering« er annulleret." in html


def test_a_stale_cancel_is_409_keeps_the_reason_and_changes_nothing(alice, session, cast):
    action = _action(session, cast, status="done", version=2)
    response = alice.post(f"{_plan(cast)}/{action.id}/cancel", data={
        "csrf_token": alice.csrf, "version": "1", "confirmed": "yes", "comment": "Min grund"})
    assert response.status_code == 409
    assert "En anden har ændret handlingen" in response.text
    assert "Min grund</textarea>" in response.text
    assert 'name="version" value="2"' in response.text
    assert _saved(session, action.id).status == "done"


def test_adding_an_action_on_the_plan_page_saves_it_and_shows_it(alice, session, cast, carl):
    response = alice.post(_plan(cast), data={
        "csrf_token": alice.csrf, "title": "Ny rutine for overlevering", "requirement_id": "",
        "owner_email": carl.email, "due_on": "", "priority": "normal"})
    assert response.status_code == 303
    [action] = session.exec(select(Action)).all()
    assert (action.organisation_id, action.owner_email) == (cast.org_a.id, carl.email)
    assert "»Ny rutine for overlevering« er tilføjet planen." in alice.get(
        response.headers["location"]).text


def test_adding_with_an_outside_owner_is_refused_at_the_field_keeping_the_title(
        alice, session, cast):
    response = alice.post(_plan(cast), data={
        "csrf_token": alice.csrf, "title": "Ny rutine", "owner_email": "leder@udefra.dk"})
    assert response.status_code == 422
    assert ('id="add-new-owner_email-error">Vælg en ansvarlig blandt tilbuddets egne brugere.'
            in response.text)
    assert 'value="Ny rutine"' in response.text
    assert session.exec(select(Action)).all() == []


def test_another_organisations_member_finds_neither_the_plan_nor_its_actions(login, session,
                                                                            cast):
    action = _action(session, cast)
    bob = login(cast.bob)
    token = csrf_from(bob, "/")
    assert bob.get(_plan(cast)).status_code == 404
    assert bob.get(f"{_plan(cast)}/{action.id}").status_code == 404
    assert bob.post(f"{_plan(cast)}/{action.id}/cancel", data={
        "csrf_token": token, "version": "1", "confirmed": "yes"}).status_code == 404
    assert _saved(session, action.id).status == "open"


def test_an_action_of_another_organisation_is_not_found_under_this_organisations_plan(
        alice, session, cast):
    foreign = _action(session, cast, organisation_id=cast.org_b.id)
    assert alice.get(f"{_plan(cast)}/{foreign.id}").status_code == 404
    assert _edit(alice, cast, foreign, title="Kapret").status_code == 404
    assert _saved(session, foreign.id).title == "Opfølgning"


def test_an_advisor_reads_and_edits_the_members_plan_as_on_the_results_page(login, session,
                                                                          cast):
    action = _action(session, cast, title="Ring til lederen")
    advisor = login(cast.advisor)
    advisor.csrf = csrf_from(advisor, "/")
    html = advisor.get(_plan(cast)).text
    assert "Ring til lederen" in html
    assert f'href="/advisor/members/{cast.org_a.id}"' in html
    assert _edit(advisor, cast, action, status="done").status_code == 303
    assert _saved(session, action.id).status == "done"


def test_the_board_may_not_see_a_plan(login, session, cast):
    assert login(cast.board).get(_plan(cast)).status_code == 403
