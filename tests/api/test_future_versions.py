"""A version the server never gave out is refused, instead of winning every conflict check."""

import pytest

from tests.conftest import api_token

AHEAD = 10**6


@pytest.fixture
def alice(client, cast):
    return api_token(client, cast.alice.email)


@pytest.fixture
def assessment(client, alice, open_cycle):
    response = client.post("/api/v1/assessments", json={"cycle_id": open_cycle.id},
                           headers=alice)
    assert response.status_code == 201, response.text
    return response.json()


def _read(client, alice, assessment):
    return client.get(f"/api/v1/assessments/{assessment['id']}", headers=alice).json()


def test_an_answer_saved_with_a_version_from_the_future_is_409_and_changes_nothing(
        client, alice, assessment, indicator_keys):
    url = f"/api/v1/assessments/{assessment['id']}/answers/{indicator_keys[0]}"
    assert client.put(url, json={"score": 4, "version": 1}, headers=alice).status_code == 200
    version = _read(client, alice, assessment)["version"]
    # A colleague's stale tab would otherwise overwrite the saved answer with a big number.
    response = client.put(url, json={"score": 1, "comment": "x", "version": AHEAD},
                          headers=alice)
    assert response.status_code == 409, response.text
    assert response.json()["version"] == version
    after = _read(client, alice, assessment)
    assert after["version"] == version
    assert {a["indicator_id"]: a["score"] for a in after["answers"]}[indicator_keys[0]] == 4


@pytest.mark.parametrize("path, body", [
    ("reflections/{requirement}", {"what_works": "Godt"}),
    ("injunction", {"reported": False}),
])
def test_reflections_and_the_injunction_report_refuse_a_version_from_the_future(
        client, alice, assessment, path, body, session, catalogue):
    from sqlmodel import select

    from app.models import Requirement
    requirement = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == catalogue.id, Requirement.number == 1)).one()
    url = f"/api/v1/assessments/{assessment['id']}/" + path.format(requirement=requirement.key)
    response = client.put(url, json={**body, "version": AHEAD}, headers=alice)
    assert response.status_code == 409, response.text


@pytest.mark.parametrize("version", [1e30, 10**30, 2**31])
def test_a_version_too_big_for_the_database_is_422_not_500(client, alice, assessment,
                                                            indicator_keys, version):
    base = f"/api/v1/assessments/{assessment['id']}"
    answer = client.put(f"{base}/answers/{indicator_keys[0]}",
                        json={"score": 4, "version": version}, headers=alice)
    submit = client.post(f"{base}/submit", json={"version": version}, headers=alice)
    assert (answer.status_code, submit.status_code) == (422, 422), (answer.text, submit.text)


def test_an_action_changed_with_a_version_from_the_future_is_409(client, cast):
    advisor = api_token(client, cast.advisor.email)
    created = client.post("/api/v1/actions", headers=advisor, json={
        "organisation_id": cast.org_a.id, "title": "Ny procedure"}).json()
    response = client.patch(f"/api/v1/actions/{created['id']}", headers=advisor,
                            json={"version": AHEAD, "comment": "x"})
    assert response.status_code == 409
    too_big = client.patch(f"/api/v1/actions/{created['id']}", headers=advisor,
                           json={"version": 1e30, "comment": "x"})
    assert too_big.status_code == 422
