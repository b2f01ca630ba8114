"""Hostile input is a 404 or a 422, never a 500: ids too big for an id column, NUL bytes
in text. PostgreSQL refuses both in SQL, SQLite overflows on the ids, so every test runs on
both (the app fixture's database)."""

import pytest

from tests.conftest import api_token, csrf_from

HUGE = "99999999999999999999"  # an OverflowError in SQLite
ABOVE_INT4 = str(2**31)  # out of range for PostgreSQL's integer
NUL = "a\x00b"


@pytest.fixture
def alice(client, cast):
    return api_token(client, cast.alice.email)


@pytest.fixture
def assessment_id(client, alice, open_cycle) -> int:
    response = client.post("/api/v1/assessments", json={"cycle_id": open_cycle.id},
                           headers=alice)
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.mark.parametrize("big", [HUGE, ABOVE_INT4, "0", "-1"])
@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/assessments/{id}"),
    ("GET", "/api/v1/assessments/{id}/evidence"),
    ("PUT", "/api/v1/assessments/{id}/injunction"),
    ("POST", "/api/v1/assessments/{id}/submit"),
    ("PATCH", "/api/v1/actions/{id}"),
    ("GET", "/api/v1/evidence/{id}"),
    ("DELETE", "/api/v1/evidence/{id}"),
    ("GET", "/api/v1/assessments?cycle_id={id}"),
    ("GET", "/api/v1/actions?organisation_id={id}"),
])
def test_an_id_out_of_range_in_the_api_is_404_or_422(client, alice, method, path, big):
    response = client.request(method, path.format(id=big), headers=alice,
                              json={"version": 1, "reported": False})
    # Filtering a list by id 0 finds nothing, which is a fine answer too.
    allowed = (200, 404, 422) if "?" in path and big == "0" else (404, 422)
    assert response.status_code in allowed, response.text


@pytest.mark.parametrize("body", [{"cycle_id": int(HUGE)}, {"cycle_id": 2**31}])
def test_an_id_out_of_range_in_a_body_is_422(client, alice, body):
    assert client.post("/api/v1/assessments", json=body, headers=alice).status_code == 422


def test_an_action_for_an_organisation_id_out_of_range_is_422(client, cast):
    advisor = api_token(client, cast.advisor.email)
    for body in ({"organisation_id": 2**31, "title": "x"},
                 {"organisation_id": cast.org_a.id, "assessment_id": int(HUGE), "title": "x"}):
        assert client.post("/api/v1/actions", json=body, headers=advisor).status_code == 422


def test_an_audit_offset_out_of_range_is_422(client, cast):
    admin = api_token(client, cast.admin.email)
    assert client.get(f"/api/v1/audit?offset={HUGE}", headers=admin).status_code == 422
    assert client.get(f"/api/v1/audit?user_id={HUGE}", headers=admin).status_code == 422


@pytest.mark.parametrize("path", [
    "/assessments/{id}", "/assessments/{id}/results", "/assessments/{id}/report",
    "/assessments/{id}/history", "/assessments/{id}/injunction",
    "/assessments/{id}/requirements/{id}", "/evidence/{id}/download",
])
@pytest.mark.parametrize("big", [HUGE, ABOVE_INT4])
def test_an_id_out_of_range_on_a_page_is_404_or_422(login, cast, path, big):
    response = login(cast.alice).get(path.format(id=big))
    assert response.status_code in (404, 422), response.text


@pytest.mark.parametrize("path", [
    "/admin/users/{id}", "/admin/organisations/{id}", "/admin/cycles/{id}",
    "/admin/audit?user_id={id}", "/admin/audit?organisation_id={id}",
    "/admin/users/new?organisation_id={id}",
])
def test_an_id_out_of_range_on_an_admin_page_is_404_or_422(login, cast, path):
    response = login(cast.admin).get(path.format(id=HUGE[:12]))
    assert response.status_code in (200, 404, 422), response.text
    assert login(cast.admin).get(path.format(id=HUGE)).status_code in (200, 404, 422)


def test_a_nul_byte_in_the_login_email_is_422(client, cast):
    response = client.post("/api/v1/auth/token", json={"email": "alice\x00@test.example",
                                                       "password": "x"})
    assert response.status_code == 422
    page = client.post("/login", data={"email": "alice\x00@test.example", "password": "x",
                                       "csrf_token": csrf_from(client)})
    assert page.status_code == 422


def test_a_nul_byte_in_a_password_reset_email_is_422(client):
    response = client.post("/password/forgot", data={
        "email": "x\x00@test.example", "csrf_token": csrf_from(client, "/password/forgot")})
    assert response.status_code == 422


@pytest.mark.parametrize("path, body", [
    ("answers/{indicator}", {"score": 4, "comment": NUL}),
    ("injunction", {"reported": True, "description": NUL}),
])
def test_a_nul_byte_in_an_assessment_text_is_422_at_its_field(
        client, alice, assessment_id, indicator_keys, path, body):
    url = f"/api/v1/assessments/{assessment_id}/" + path.format(indicator=indicator_keys[0])
    response = client.put(url, json={**body, "version": 1}, headers=alice)
    assert response.status_code == 422, response.text
    assert "NUL" in response.text


def test_a_nul_byte_in_a_path_key_is_404(client, alice, assessment_id):
    response = client.put(f"/api/v1/assessments/{assessment_id}/answers/a%00b",
                          json={"score": 4, "version": 1}, headers=alice)
    assert response.status_code == 404


def test_a_nul_byte_in_an_action_title_or_comment_is_422(client, cast):
    advisor = api_token(client, cast.advisor.email)
    assert client.post("/api/v1/actions", headers=advisor, json={
        "organisation_id": cast.org_a.id, "title": NUL}).status_code == 422
    created = client.post("/api/v1/actions", headers=advisor, json={
        "organisation_id": cast.org_a.id, "title": "Ok"}).json()
    assert client.patch(f"/api/v1/actions/{created['id']}", headers=advisor, json={
        "version": 1, "comment": NUL}).status_code == 422


def test_a_nul_byte_in_an_evidence_title_is_422(client, alice, assessment_id, catalogue,
                                                 session):
    from sqlmodel import select

    from app.models import Requirement
    key = session.exec(select(Requirement.key).where(
        Requirement.catalogue_version_id == catalogue.id, Requirement.number == 1)).one()
    response = client.post(f"/api/v1/assessments/{assessment_id}/evidence", headers=alice,
                           data={"requirement_id": key, "url": "https://los.dk/x",
                                 "title": NUL})
    assert response.status_code == 422, response.text
    by_key = client.post(f"/api/v1/assessments/{assessment_id}/evidence", headers=alice,
                         data={"requirement_id": NUL, "url": "https://los.dk/x",
                               "title": "x"})
    assert by_key.status_code == 422, by_key.text


def test_a_nul_byte_in_an_admin_search_is_422(login, cast):
    admin = login(cast.admin)
    assert admin.get("/admin/users?q=a%00b").status_code == 422
    assert admin.get("/admin/organisations?q=a%00b").status_code == 422
