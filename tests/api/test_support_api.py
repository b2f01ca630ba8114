"""Cases and the contact log, JSON: staff only, the same rules as the dossier's forms."""

from tests.conftest import api_token


def test_an_advisor_opens_updates_and_lists_cases(client, cast):
    headers = api_token(client, cast.advisor.email)
    base = f"/api/v1/organisations/{cast.org_a.id}/cases"
    created = client.post(base, json={"reason": "Påbud", "injunction_kind": "paabud"},
                          headers=headers)
    assert created.status_code == 201
    case = created.json()
    assert case["status"] == "open" and case["version"] == 1
    patched = client.patch(f"{base}/{case['id']}", json={"status": "monitoring", "version": 1},
                           headers=headers)
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = client.patch(f"{base}/{case['id']}", json={"status": "open", "version": 1},
                         headers=headers)
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict" and stale.json()["case"]["status"] == "monitoring"
    assert [c["status"] for c in client.get(base, headers=headers).json()] == ["monitoring"]


def test_closing_a_case_needs_an_outcome(client, cast):
    headers = api_token(client, cast.admin.email)
    base = f"/api/v1/organisations/{cast.org_a.id}/cases"
    case = client.post(base, json={"reason": "Opfølgning"}, headers=headers).json()
    refused = client.patch(f"{base}/{case['id']}", json={"status": "closed", "version": 1},
                           headers=headers)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == "Skriv, hvordan sagen endte, når den lukkes."


def test_contacts_are_logged_by_the_caller_and_listed_newest_first(client, cast):
    headers = api_token(client, cast.advisor.email)
    base = f"/api/v1/organisations/{cast.org_a.id}/contacts"
    for day in ("2026-10-01", "2026-11-01"):
        response = client.post(base, json={"kind": "meeting", "happened_on": day,
                                           "note": f"Møde {day}"}, headers=headers)
        assert response.status_code == 201
    listed = client.get(base, headers=headers).json()
    assert [c["happened_on"] for c in listed] == ["2026-11-01", "2026-10-01"]
    assert listed[0]["by"] == "Anders Konsulent"


def test_a_contact_cannot_point_at_another_members_case(client, cast):
    headers = api_token(client, cast.advisor.email)
    other = client.post(f"/api/v1/organisations/{cast.org_b.id}/cases",
                        json={"reason": "Beta"}, headers=headers).json()
    response = client.post(f"/api/v1/organisations/{cast.org_a.id}/contacts", json={
        "kind": "call", "happened_on": "2026-11-01", "note": "x", "case_id": other["id"]},
        headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "case_id"],
                                          "msg": "Sagen findes ikke hos dette medlem."}]


def test_members_are_refused_the_contact_log(client, cast):
    response = client.get(f"/api/v1/organisations/{cast.org_a.id}/contacts",
                          headers=api_token(client, cast.alice.email))
    assert response.status_code == 403
