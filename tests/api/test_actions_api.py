"""The follow-up actions API: list, create, change, with conflicts and isolation."""

from datetime import timedelta

import pytest

from app.clock import today
from tests.conftest import api_token


@pytest.fixture
def alice(client, cast):
    return api_token(client, cast.alice.email)


@pytest.fixture
def bob(client, cast):
    return api_token(client, cast.bob.email)


@pytest.fixture
def advisor(client, cast):
    return api_token(client, cast.advisor.email)


def _create(client, headers, organisation_id, **body):
    body = {"organisation_id": organisation_id, "title": "Tal om trivsel på personalemødet",
            **body}
    return client.post("/api/v1/actions", json=body, headers=headers)


def _soon(days=14) -> str:
    return (today() + timedelta(days=days)).isoformat()


def test_an_advisor_creates_an_open_action_with_version_1(client, cast, advisor, catalogue):
    requirement = catalogue.document["requirements"][0]["id"]
    response = _create(client, advisor, cast.org_a.id, requirement_id=requirement,
                       description="Punkt på dagsordenen", owner_email="Alice@Test.Example",
                       due_on=_soon())
    assert response.status_code == 201, response.text
    action = response.json()
    assert action["status"] == "open" and action["version"] == 1
    assert action["requirement_id"] == requirement
    assert action["owner_email"] == "alice@test.example"
    assert action["priority"] == "normal"
    assert action["overdue"] is False


def test_a_member_creates_an_action_for_its_own_organisation(client, cast, alice):
    response = _create(client, alice, cast.org_a.id, requirement_id=None)
    assert response.status_code == 201, response.text
    assert response.json()["requirement_id"] is None


def test_a_member_cannot_create_an_action_for_another_organisation(client, cast, alice):
    assert _create(client, alice, cast.org_b.id).status_code == 404
    assert client.get("/api/v1/actions", params={"organisation_id": cast.org_b.id},
                      headers=api_token(client, cast.advisor.email)).json() == []


def test_the_board_may_not_read_or_create_actions(client, cast):
    board = api_token(client, cast.board.email)
    assert client.get("/api/v1/actions", headers=board).status_code == 403
    assert _create(client, board, cast.org_a.id).status_code == 403


@pytest.mark.parametrize(("bad", "field"), [
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"owner_email": "ikke en adresse"}, "owner_email"),
    ({"due_on": "i morgen"}, "due_on"),
    ({"priority": "akut"}, "priority"),
    ({"requirement_id": "efk.findes-ikke"}, "requirement_id"),
])
def test_a_bad_action_is_422_naming_the_field(client, cast, advisor, catalogue, bad, field):
    response = _create(client, advisor, cast.org_a.id, **bad)
    assert response.status_code == 422, response.text
    assert field in str(response.json()["detail"])


def test_a_due_date_in_the_past_is_refused(client, cast, advisor):
    response = _create(client, advisor, cast.org_a.id, due_on=_soon(-1))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "due_on"]


def test_a_member_lists_only_its_own_organisations_actions(client, cast, alice, advisor):
    _create(client, advisor, cast.org_a.id, title="Alfas handling")
    _create(client, advisor, cast.org_b.id, title="Betas handling")
    mine = client.get("/api/v1/actions", headers=alice).json()
    assert [a["title"] for a in mine] == ["Alfas handling"]
    other = client.get("/api/v1/actions", params={"organisation_id": cast.org_b.id},
                       headers=alice)
    assert other.status_code == 404


def test_an_advisor_filters_by_organisation_status_and_overdue(client, cast, advisor, session):
    from app.models import Action

    first = _create(client, advisor, cast.org_a.id, title="Første", due_on=_soon(1)).json()
    _create(client, advisor, cast.org_a.id, title="Anden")
    _create(client, advisor, cast.org_b.id, title="Tredje")
    late = session.get(Action, first["id"])  # a due date that has since passed
    late.due_on = today() - timedelta(days=3)
    session.add(late)
    session.commit()

    def titles(**params):
        response = client.get("/api/v1/actions", params=params, headers=advisor)
        assert response.status_code == 200, response.text
        return [a["title"] for a in response.json()]

    assert titles(organisation_id=cast.org_a.id) == ["Første", "Anden"]
    assert titles(overdue="true") == ["Første"]
    assert sorted(titles(overdue="false")) == ["Anden", "Tredje"]
    assert titles(status="done") == []
    assert client.get("/api/v1/actions", params={"status": "halvvejs"},
                      headers=advisor).status_code == 422


def test_a_member_changes_status_and_comment_of_its_own_action(client, cast, alice, advisor):
    action = _create(client, advisor, cast.org_a.id).json()
    response = client.patch(f"/api/v1/actions/{action['id']}", headers=alice,
                            json={"status": "in_progress", "comment": "Vi er i gang",
                                  "version": 1})
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["status"], changed["comment"], changed["version"]) == (
        "in_progress", "Vi er i gang", 2)
    assert changed["title"] == action["title"]


def test_a_stale_version_is_409_with_the_saved_action_and_changes_nothing(
        client, cast, alice, advisor):
    action = _create(client, advisor, cast.org_a.id).json()
    url = f"/api/v1/actions/{action['id']}"
    assert client.patch(url, headers=advisor, json={"status": "done",
                                                    "version": 1}).status_code == 200
    response = client.patch(url, headers=alice, json={"status": "cancelled",
                                                      "comment": "Droppet", "version": 1})
    assert response.status_code == 409
    assert response.json()["action"]["status"] == "done"
    saved = client.get("/api/v1/actions", headers=alice).json()[0]
    assert (saved["status"], saved["comment"], saved["version"]) == ("done", "", 2)


def test_another_organisations_action_is_404_to_a_member(client, cast, bob, advisor):
    action = _create(client, advisor, cast.org_a.id).json()
    response = client.patch(f"/api/v1/actions/{action['id']}", headers=bob,
                            json={"status": "done", "version": 1})
    assert response.status_code == 404
    assert client.patch("/api/v1/actions/999999", headers=bob,
                        json={"status": "done", "version": 1}).status_code == 404


@pytest.mark.parametrize("bad", [{"status": "halvvejs", "version": 1},
                                 {"status": "done"},
                                 {"comment": "x" * 5001, "version": 1}])
def test_a_bad_change_is_422(client, cast, advisor, bad):
    action = _create(client, advisor, cast.org_a.id).json()
    response = client.patch(f"/api/v1/actions/{action['id']}", headers=advisor, json=bad)
    assert response.status_code == 422


def test_an_advisor_moves_the_due_date_and_clears_it(client, cast, advisor):
    action = _create(client, advisor, cast.org_a.id, due_on=_soon()).json()
    url = f"/api/v1/actions/{action['id']}"
    moved = client.patch(url, headers=advisor, json={"due_on": _soon(30), "version": 1}).json()
    assert moved["due_on"] == _soon(30)
    cleared = client.patch(url, headers=advisor, json={"due_on": None, "version": 2}).json()
    assert cleared["due_on"] is None
    assert cleared["title"] == action["title"]


@pytest.mark.parametrize("owner", ["leder@udefra.dk", "bob@test.example"],
                         ids=["outside-address", "another-organisations-user"])
def test_a_new_action_whose_owner_is_not_one_of_the_organisations_users_is_422(
        client, cast, advisor, owner):
    response = _create(client, advisor, cast.org_a.id, owner_email=owner)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "owner_email"]
    assert client.get("/api/v1/actions", headers=advisor).json() == []


def test_changing_the_owner_to_a_colleague_is_saved_and_to_a_deactivated_user_is_422(
        client, cast, alice, factory):
    carl = factory.user(organisation=cast.org_a, email="carl@test.example")
    gone = factory.user(organisation=cast.org_a, active=False)
    action = _create(client, alice, cast.org_a.id).json()
    url = f"/api/v1/actions/{action['id']}"
    changed = client.patch(url, headers=alice, json={"owner_email": carl.email, "version": 1})
    assert changed.status_code == 200 and changed.json()["owner_email"] == carl.email
    refused = client.patch(url, headers=alice, json={"owner_email": gone.email, "version": 2})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "owner_email"]


def test_an_outside_owner_saved_earlier_may_be_sent_back_unchanged(client, cast, alice,
                                                                   session):
    from app.models import Action

    action = Action(organisation_id=cast.org_a.id, title="Fra før", owner_email="x@udefra.dk")
    session.add(action)
    session.commit()
    response = client.patch(f"/api/v1/actions/{action.id}", headers=alice,
                            json={"owner_email": "x@udefra.dk", "status": "in_progress",
                                  "version": 1})
    assert response.status_code == 200, response.text
    assert response.json()["owner_email"] == "x@udefra.dk"


def test_cancelling_through_the_api_is_the_same_change_as_on_the_page(client, cast, alice):
    action = _create(client, alice, cast.org_a.id).json()
    response = client.patch(f"/api/v1/actions/{action['id']}", headers=alice,
                            json={"status": "cancelled", "comment": "Ikke længere aktuelt",
                                  "version": 1})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("cancelled", 2)
