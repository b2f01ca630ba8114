"""Inspection reports through the API: recorded, validated against the quality model in force,
corrected with a version, audited, and never seen by another member or the board."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.models import AuditEntry
from tests.conftest import api_token

THEME_4 = "km.tema.sundhed-trivsel"
THEME_7 = "km.tema.fysiske-rammer"
THEME_1 = "km.tema.uddannelse-beskaeftigelse"  # not in the 2025 model


def report(**changes) -> dict:
    body = {"visited_on": "2026-03-12", "authority": "hovedstaden", "kind": "unannounced",
            "framework_version": "2017",
            "themes": [{"theme_id": THEME_4, "score": 4.2}, {"theme_id": THEME_7, "score": 3}],
            "details": [{"node_id": "km.indikator.trives", "score": 4}],
            "sanctions": [{"kind": "paabud", "description": "Magtanvendelser skal indberettes",
                           "deadline": "2026-06-01"}]}
    return body | changes


def _post(client, headers, organisation_id, body):
    return client.post(f"/api/v1/organisations/{organisation_id}/inspections", json=body,
                       headers=headers)


def test_a_member_records_an_inspection_and_reads_it_back(client, cast, catalogue):
    alice = api_token(client, cast.alice.email)
    response = _post(client, alice, cast.org_a.id, report())
    assert response.status_code == 201, response.text
    saved = response.json()
    assert saved["themes"] == [{"theme_id": THEME_4, "score": 4.2},
                               {"theme_id": THEME_7, "score": 3.0}]
    assert saved["details"] == [{"node_id": "km.indikator.trives", "score": 4.0}]
    assert saved["sanctions"][0] | {"deadline": None} == {
        "kind": "paabud", "description": "Magtanvendelser skal indberettes", "deadline": None}
    assert saved["version"] == 1 and saved["framework_version"] == "2017"
    listed = client.get(f"/api/v1/organisations/{cast.org_a.id}/inspections", headers=alice)
    assert [i["id"] for i in listed.json()] == [saved["id"]]


def test_a_theme_outside_the_model_in_force_is_refused_at_its_field(client, cast, catalogue):
    alice = api_token(client, cast.alice.email)
    response = _post(client, alice, cast.org_a.id, report(
        framework_version="2025", themes=[{"theme_id": THEME_1, "score": 4}], details=[]))
    assert response.status_code == 422
    fields = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert ("body", "themes", "0", "theme_id") in fields, fields
    assert "2025" in " ".join(fields.values())


def test_bad_scores_dates_and_missing_deadlines_are_refused(client, cast, catalogue):
    alice = api_token(client, cast.alice.email)
    future = (date.today() + timedelta(days=2)).isoformat()
    for body in (report(themes=[{"theme_id": THEME_4, "score": 5.5}]),
                 report(themes=[{"theme_id": THEME_4, "score": 0}]),
                 report(themes=[]),
                 report(themes=[{"theme_id": THEME_4, "score": 4},
                                {"theme_id": THEME_4, "score": 3}]),
                 report(visited_on=future),
                 report(visited_on="2013-05-01"),
                 report(framework_version="1999"),
                 report(details=[{"node_id": "km.indikator.hjem", "score": 4}],
                        themes=[{"theme_id": THEME_4, "score": 4}]),
                 report(sanctions=[{"kind": "paabud", "description": "Uden frist"}])):
        response = _post(client, alice, cast.org_a.id, body)
        assert response.status_code == 422, body
    assert client.get(f"/api/v1/organisations/{cast.org_a.id}/inspections",
                      headers=alice).json() == []


def test_a_correction_needs_the_latest_version_and_is_audited(client, cast, catalogue,
                                                             session):
    alice = api_token(client, cast.alice.email)
    saved = _post(client, alice, cast.org_a.id, report()).json()
    url = f"/api/v1/organisations/{cast.org_a.id}/inspections/{saved['id']}"
    corrected = report(themes=[{"theme_id": THEME_4, "score": 3.8}], details=[],
                       sanctions=[], version=1)
    response = client.put(url, json=corrected, headers=alice)
    assert response.status_code == 200, response.text
    assert response.json()["themes"] == [{"theme_id": THEME_4, "score": 3.8}]
    assert response.json()["sanctions"] == [] and response.json()["version"] == 2
    stale = client.put(url, json=corrected | {"note": "igen"}, headers=alice)
    assert stale.status_code == 409
    assert stale.json()["inspection"]["version"] == 2
    entries = session.exec(select(AuditEntry).where(AuditEntry.entity == "inspection")
                           .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["scores"] == [{THEME_4: 4.2, THEME_7: 3.0,
                                             "km.indikator.trives": 4.0}, {THEME_4: 3.8}]


def test_another_member_and_the_board_never_reach_an_inspection(client, cast, catalogue):
    alice = api_token(client, cast.alice.email)
    saved = _post(client, alice, cast.org_a.id, report()).json()
    bob = api_token(client, cast.bob.email)
    board = api_token(client, cast.board.email)
    base = f"/api/v1/organisations/{cast.org_a.id}/inspections"
    assert client.get(base, headers=bob).status_code == 404
    assert _post(client, bob, cast.org_a.id, report()).status_code == 404
    assert client.put(f"{base}/{saved['id']}", json=report(version=1),
                      headers=bob).status_code == 404
    assert client.get(base, headers=board).status_code == 403
    # Bob's own organisation does not hold Alice's inspection either.
    assert client.put(f"/api/v1/organisations/{cast.org_b.id}/inspections/{saved['id']}",
                      json=report(version=1), headers=bob).status_code == 404


def test_advisors_read_and_record_any_members_inspections(client, cast, catalogue):
    advisor = api_token(client, cast.advisor.email)
    assert _post(client, advisor, cast.org_b.id, report()).status_code == 201
    listed = client.get(f"/api/v1/organisations/{cast.org_b.id}/inspections", headers=advisor)
    assert len(listed.json()) == 1


def test_calibration_answers_a_member_its_own_and_the_board_the_sector(client, cast, catalogue,
                                                                      open_cycle, session):
    from tests.services.test_results import fill_in

    fill_in(session, cast.org_a, open_cycle, {4: 5}, user=cast.alice)
    alice = api_token(client, cast.alice.email)
    _post(client, alice, cast.org_a.id, report())
    own = client.get("/api/v1/calibration", headers=alice).json()
    theme = next(t for t in own["themes"] if t["theme_id"] == THEME_4)
    assert theme["self_score"] == 5.0 and theme["official"]["score"] == 4.2
    assert theme["difference"] == pytest.approx(0.8)
    assert own["unmapped_requirement_numbers"] == [8, 9, 10]
    board = api_token(client, cast.board.email)
    sector = client.get("/api/v1/calibration", headers=board).json()
    assert all(t["suppressed"] and t["official_mean"] is None for t in sector["themes"])
    assert client.get(f"/api/v1/calibration?organisation_id={cast.org_a.id}",
                      headers=board).status_code == 403
    bob = api_token(client, cast.bob.email)
    assert client.get(f"/api/v1/calibration?organisation_id={cast.org_a.id}",
                      headers=bob).status_code == 404


def test_the_calibration_history_answers_a_member_its_own_years_and_never_the_board(
        client, cast, catalogue, open_cycle, session):
    from tests.services.test_results import fill_in, past_cycle

    last = fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {4: 5})
    alice = api_token(client, cast.alice.email)
    year = open_cycle.year - 1
    _post(client, alice, cast.org_a.id, report(visited_on=f"{year}-03-12"))
    found = client.get("/api/v1/calibration/history", headers=alice)
    assert found.status_code == 200, found.text
    history = found.json()
    assert history["years"] == [year]
    assert history["assessments"] == [{"year": year, "assessment_id": last.id}]
    theme = next(t for t in history["themes"] if t["theme_id"] == THEME_4)
    assert theme["has_official"] is True and theme["number"] == 4
    assert theme["years"] == [{"year": year, "self_score": 5.0, "difference": pytest.approx(0.8),
                               "official": [{"score": 4.2, "visited_on": f"{year}-03-12"}]}]
    unseen = next(t for t in history["themes"] if t["theme_id"] == "km.tema.kompetencer")
    assert unseen["has_official"] is False and unseen["years"][0]["official"] == []
    assert "minus" in history["rule"]
    advisor = api_token(client, cast.advisor.email)
    assert client.get(f"/api/v1/calibration/history?organisation_id={cast.org_a.id}",
                      headers=advisor).json() == history
    assert client.get("/api/v1/calibration/history", headers=advisor).status_code == 422
    board = api_token(client, cast.board.email)
    assert client.get(f"/api/v1/calibration/history?organisation_id={cast.org_a.id}",
                      headers=board).status_code == 403
    bob = api_token(client, cast.bob.email)
    assert client.get(f"/api/v1/calibration/history?organisation_id={cast.org_a.id}",
                      headers=bob).status_code == 404
