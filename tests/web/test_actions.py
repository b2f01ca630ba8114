"""The action plan on the results page: adding an action to a gap, changing its status."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.clock import today
from app.models import Action
from tests.conftest import csrf_from
from tests.services.test_results import fill_in

HX = {"HX-Request": "true"}


@pytest.fixture
def submitted(session, cast, open_cycle):
    """Alice's submitted assessment with requirement 1 as a gap."""
    return fill_in(session, cast.org_a, open_cycle, {1: 2}, user=cast.alice)


@pytest.fixture
def alice(login, cast, submitted):
    client = login(cast.alice)
    client.csrf = csrf_from(client, f"/assessments/{submitted.id}/results")
    return client


def _requirement_key(submitted, session) -> str:
    from app.models import Requirement

    return session.exec(select(Requirement.key).where(
        Requirement.catalogue_version_id == submitted.catalogue_version_id,
        Requirement.number == 1)).one()


def _add(client, submitted, headers=None, **fields):
    data = {"csrf_token": client.csrf, "title": "Skoleplan for hvert barn",
            "owner_email": "alice@test.example",
            "due_on": (today() + timedelta(days=30)).isoformat(), "priority": "high", **fields}
    return client.post(f"/assessments/{submitted.id}/actions", data=data, headers=headers or {})


def _actions(session):
    session.expire_all()
    return session.exec(select(Action).order_by(Action.id)).all()


def test_adding_an_action_to_a_gap_saves_it_and_returns_to_the_plan(alice, submitted, session):
    key = _requirement_key(submitted, session)
    response = _add(alice, submitted, gap=key, requirement_id=key)
    assert response.status_code == 303
    [action] = _actions(session)
    assert response.headers["location"] == f"/assessments/{submitted.id}/results#action-{action.id}"
    assert (action.title, action.priority, action.status) == ("Skoleplan for hvert barn", "high",
                                                              "open")
    assert action.assessment_id == submitted.id and action.requirement_id is not None
    page = alice.get(f"/assessments/{submitted.id}/results").text
    assert 'id="action-' in page and "I planen:" in page


def test_adding_with_htmx_answers_the_plan_block_alone(alice, submitted, session):
    key = _requirement_key(submitted, session)
    response = _add(alice, submitted, HX, gap=key, requirement_id=key)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="plan-area"')
    assert "<html" not in response.text
    assert "Skoleplan for hvert barn" in response.text
    assert "Handlingen er tilføjet planen." in response.text


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "plain"])
def test_a_refused_action_shows_the_error_at_its_field_and_keeps_what_was_typed(
        alice, submitted, session, headers):
    key = _requirement_key(submitted, session)
    response = _add(alice, submitted, headers, gap=key, requirement_id=key, title="",
                    owner_email="ikke-en-adresse")
    assert response.status_code == 422
    html = response.text
    assert ('aria-describedby="add-1-title-hint add-1-title-error" aria-invalid="true"'
            in html)
    assert 'id="add-1-title-error">Skal udfyldes.' in html
    assert 'id="add-1-owner_email-error"' in html
    assert 'value="ikke-en-adresse"' in html
    assert re.search(r'<details class="add-action" id="add-1" open>', html)
    assert ("<html" in html) is (headers == {})
    assert _actions(session) == []


def test_a_due_date_in_the_past_is_refused_at_the_field(alice, submitted, session):
    response = _add(alice, submitted, due_on=(today() - timedelta(days=1)).isoformat())
    assert response.status_code == 422
    assert 'id="add-new-due_on-error">Fristen ligger før i dag.' in response.text


def test_the_general_form_adds_an_action_without_a_requirement(alice, submitted, session):
    assert _add(alice, submitted, requirement_id="").status_code == 303
    [action] = _actions(session)
    assert action.requirement_id is None


def _action(session, cast, **values) -> Action:
    action = Action(**{"organisation_id": cast.org_a.id, "title": "Opfølgning", **values})
    session.add(action)
    session.commit()
    return action


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "plain"])
def test_changing_status_and_comment_saves_them(alice, submitted, session, cast, headers):
    action = _action(session, cast)
    response = alice.post(f"/assessments/{submitted.id}/actions/{action.id}", headers=headers,
                          data={"csrf_token": alice.csrf, "status": "in_progress",
                                "comment": "Startet i marts", "version": "1"})
    assert response.status_code == (200 if headers else 303)
    if headers:
        assert "Gemt." in response.text
    [saved] = _actions(session)
    assert (saved.status, saved.comment, saved.version) == ("in_progress", "Startet i marts", 2)


def test_a_stale_status_change_is_409_and_keeps_the_typed_comment(alice, submitted, session,
                                                                 cast):
    action = _action(session, cast, status="done", version=2)
    response = alice.post(f"/assessments/{submitted.id}/actions/{action.id}", headers=HX,
                          data={"csrf_token": alice.csrf, "status": "cancelled",
                                "comment": "Mit forslag", "version": "1"})
    assert response.status_code == 409
    assert "En anden har ændret handlingen" in response.text
    assert "Din kommentar blev ikke gemt:" in response.text and "Mit forslag" in response.text
    assert _actions(session)[0].status == "done"


def test_done_actions_are_listed_apart_and_overdue_ones_are_marked(alice, submitted, session,
                                                                  cast):
    _action(session, cast, title="Gammel og glemt", due_on=today() - timedelta(days=10))
    _action(session, cast, title="Klaret", status="done")
    html = alice.get(f"/assessments/{submitted.id}/results").text
    assert "Overskredet" in html
    assert "1 afsluttet handling" in html
    assert "1 åben handling i planen" in html and "heraf 1 med overskredet frist" in html


def test_another_organisations_member_cannot_add_or_change(login, cast, session, submitted):
    action = _action(session, cast)
    bob = login(cast.bob)
    token = csrf_from(bob, "/")
    assert bob.post(f"/assessments/{submitted.id}/actions",
                    data={"csrf_token": token, "title": "X"}).status_code == 404
    assert bob.post(f"/assessments/{submitted.id}/actions/{action.id}",
                    data={"csrf_token": token, "status": "done",
                          "version": "1"}).status_code == 404
    assert _actions(session)[0].status == "open"


def test_an_action_of_another_organisation_is_not_found_through_this_assessment(
        alice, submitted, session, cast):
    foreign = Action(organisation_id=cast.org_b.id, title="Betas")
    session.add(foreign)
    session.commit()
    response = alice.post(f"/assessments/{submitted.id}/actions/{foreign.id}",
                          data={"csrf_token": alice.csrf, "status": "done", "version": "1"})
    assert response.status_code == 404


def test_an_advisor_adds_an_action_to_a_members_plan(login, cast, session, submitted):
    advisor = login(cast.advisor)
    token = csrf_from(advisor, f"/assessments/{submitted.id}/results")
    response = advisor.post(f"/assessments/{submitted.id}/actions",
                            data={"csrf_token": token, "title": "Ring til lederen"})
    assert response.status_code == 303
    assert _actions(session)[0].organisation_id == cast.org_a.id


def test_the_board_may_not_use_the_plan(login, cast, session, submitted):
    board = login(cast.board)
    token = csrf_from(board, "/")
    response = board.post(f"/assessments/{submitted.id}/actions",
                          data={"csrf_token": token, "title": "X"})
    assert response.status_code == 403


def test_a_post_without_the_csrf_token_is_refused(alice, submitted, session):
    response = alice.post(f"/assessments/{submitted.id}/actions", data={"title": "X"})
    assert response.status_code == 403
    assert _actions(session) == []


def test_comments_build_a_thread_and_a_status_change_alone_keeps_it(login, alice, submitted,
                                                                    session, cast):
    action = _action(session, cast)
    url = f"/assessments/{submitted.id}/actions/{action.id}"
    alice.post(url, headers=HX, data={"csrf_token": alice.csrf, "status": "in_progress",
                                      "comment": "Startet i marts", "version": "1"})
    advisor = login(cast.advisor)
    advisor.post(url, headers=HX, data={"csrf_token": csrf_from(advisor, "/"),
                                        "status": "in_progress",
                                        "comment": "Godt – husk personalemødet", "version": "2"})
    alice.post(url, headers=HX, data={"csrf_token": alice.csrf, "status": "done",
                                      "comment": "", "version": "3"})
    [saved] = _actions(session)
    assert (saved.status, saved.comment, saved.version) == ("done", "Godt – husk personalemødet", 4)
    html = alice.get(f"/assessments/{submitted.id}/results").text
    first, second = html.index("Startet i marts"), html.index("Godt – husk personalemødet")
    assert first < second
    assert "Alice Medlem," in html and "Anders Konsulent," in html


def test_the_owner_of_a_new_action_is_chosen_among_the_organisations_users(alice, submitted,
                                                                           session, cast):
    html = alice.get(f"/assessments/{submitted.id}/results").text
    assert '<select id="add-new-owner_email" name="owner_email"' in html
    assert '<option value="alice@test.example">Alice Medlem</option>' in html
    assert "bob@test.example" not in html
    response = _add(alice, submitted, owner_email="leder@udefra.dk")
    assert response.status_code == 422
    assert 'id="add-new-owner_email-error">Vælg en ansvarlig blandt tilbuddets egne' in (
        response.text)
