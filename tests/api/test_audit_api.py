"""GET /api/v1/audit: who changed what, for admins, and for advisors one organisation at a time."""

import pytest

from tests.conftest import api_token


@pytest.fixture
def answered(client, cast, open_cycle, indicator_keys):
    alice = api_token(client, cast.alice.email)
    assessment = client.post("/api/v1/assessments", json={"cycle_id": open_cycle.id},
                             headers=alice).json()
    version = client.get(f"/api/v1/assessments/{assessment['id']}", headers=alice).json()
    client.put(f"/api/v1/assessments/{assessment['id']}/answers/{indicator_keys[0]}",
               json={"score": 3, "version": version["version"]}, headers=alice)
    return assessment


def test_an_admin_reads_the_trail_newest_first_with_the_change(client, cast, answered,
                                                              indicator_keys):
    response = client.get(f"/api/v1/audit?organisation_id={cast.org_a.id}",
                          headers=api_token(client, cast.admin.email))
    assert response.status_code == 200
    assert response.headers["x-total-count"] == "2"
    newest, oldest = response.json()
    assert newest["entity"] == "answer" and newest["action"] == "create"
    assert newest["entity_id"] == f"{answered['id']}/{indicator_keys[0]}"
    assert newest["changes"]["score"] == [None, 3]
    assert newest["user"] == cast.alice.email
    assert oldest["entity"] == "assessment"


def test_an_advisor_reads_one_organisation(client, cast, answered):
    advisor = api_token(client, cast.advisor.email)
    mine = client.get(f"/api/v1/audit?organisation_id={cast.org_a.id}", headers=advisor)
    assert mine.status_code == 200 and len(mine.json()) == 2
    other = client.get(f"/api/v1/audit?organisation_id={cast.org_b.id}", headers=advisor)
    assert other.json() == []


def test_an_advisor_cannot_read_the_whole_trail(client, cast, answered):
    response = client.get("/api/v1/audit", headers=api_token(client, cast.advisor.email))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("who", ["alice", "board"])
def test_members_and_the_board_never_see_it(client, cast, answered, who):
    response = client.get(f"/api/v1/audit?organisation_id={cast.org_a.id}",
                          headers=api_token(client, getattr(cast, who).email))
    assert response.status_code == 403


def test_filters_by_entity_and_pages(client, cast, answered):
    admin = api_token(client, cast.admin.email)
    only = client.get("/api/v1/audit?entity=assessment", headers=admin).json()
    assert [e["entity"] for e in only] == ["assessment"]
    page = client.get(f"/api/v1/audit?organisation_id={cast.org_a.id}&limit=1&offset=1",
                      headers=admin)
    assert page.headers["x-total-count"] == "2"
    assert [e["entity"] for e in page.json()] == ["assessment"]


def test_the_command_line_shows_as_no_user(client, cast, answered):
    admin = api_token(client, cast.admin.email)
    loads = client.get("/api/v1/audit?entity=catalogue_version", headers=admin).json()
    assert loads and all(e["user"] is None and e["action"] == "load" for e in loads)
