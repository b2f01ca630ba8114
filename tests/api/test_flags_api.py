"""GET /api/v1/flags: the advisors' list as JSON, per the contract."""

from tests.conftest import api_token
from tests.services.test_results import fill_in


def test_flags_list_each_member_with_coded_reasons_most_severe_first(client, session, cast,
                                                                     open_cycle):
    fill_in(session, cast.org_a, open_cycle, {6: 2}, user=cast.alice)
    fill_in(session, cast.org_b, open_cycle, {6: 2, 7: 1}, user=cast.bob)
    response = client.get(f"/api/v1/flags?cycle_id={open_cycle.id}",
                          headers=api_token(client, cast.advisor.email))
    assert response.status_code == 200
    body = response.json()
    assert [m["organisation_name"] for m in body] == ["Beta Bosted", "Alfa Opholdssted"]
    alfa = body[1]
    assert alfa["severity"] == 2 and alfa["level"] == "Lav"
    assert alfa["reasons"] == [{"code": "low_score", "requirement_id": "efk.kompetencer",
                                "detail": "Fordring 6 ligger på 2,0 (under 3)."}]


def test_flags_speak_english_when_asked_and_filter_by_reason(client, session, cast,
                                                            open_cycle):
    fill_in(session, cast.org_a, open_cycle, {6: 2}, user=cast.alice)
    headers = {**api_token(client, cast.admin.email), "Accept-Language": "en"}
    body = client.get("/api/v1/flags?reason=low_score", headers=headers).json()
    assert body[0]["reasons"][0]["detail"] == "Requirement 6 is at 2.0 (below 3)."
    assert client.get("/api/v1/flags?reason=declined", headers=headers).json() == []


def test_an_unknown_filter_value_is_a_422_in_the_error_shape(client, cast, open_cycle):
    response = client.get("/api/v1/flags?size=huge", headers=api_token(client, cast.advisor.email))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"][0]["loc"] == ["query", "size"]


def test_an_unknown_cycle_is_404(client, cast, open_cycle):
    response = client.get("/api/v1/flags?cycle_id=999999",
                          headers=api_token(client, cast.advisor.email))
    assert response.status_code == 404
