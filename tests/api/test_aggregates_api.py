"""GET /api/v1/aggregates and /aggregates/trend, as CONTRACT.md describes them."""

import pytest

from app.models.vocabulary import Role, ServiceType
from tests.conftest import api_token, make_user
from tests.services.board.seeding import make_cycle, seed_groups

SIZES = {ServiceType.DOEGNTILBUD: 4, ServiceType.KOSTSKOLE: 6, ServiceType.FORSORGSHJEM: 9}


@pytest.fixture
def seeded(session, catalogue):
    old = make_cycle(session, catalogue, 2024)
    seed_groups(session, old, {ServiceType.DOEGNTILBUD: 3, ServiceType.KOSTSKOLE: 12}, seed=3)
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, SIZES, non_respondents=1)
    return cycle


@pytest.fixture
def board_headers(client, session):
    user = make_user(session, Role.BOARD)
    return api_token(client, user.email)


def test_the_sector_total_has_the_contracts_fields(client, seeded, board_headers):
    body = client.get(f"/api/v1/aggregates?cycle_id={seeded.id}", headers=board_headers).json()
    assert set(body) == {"cycle_id", "respondents", "response_rate", "suppressed",
                         "requirements"}
    assert (body["cycle_id"], body["respondents"], body["suppressed"]) == (seeded.id, 19, False)
    # Members are today's active members: the 15 of the 2024 data set count too.
    assert body["response_rate"] == pytest.approx(19 / 37)
    first = body["requirements"][0]
    assert {"requirement_id", "mean", "median", "distribution",
            "share_meeting_threshold"} <= set(first)
    assert set(first["distribution"]) == {"1", "2", "3", "4", "5", "na"}
    assert sum(first["distribution"].values()) == 19


def test_without_a_cycle_the_latest_is_used(client, seeded, board_headers):
    assert client.get("/api/v1/aggregates", headers=board_headers).json()["cycle_id"] == seeded.id


def test_every_group_of_a_segment_in_one_call(client, seeded, board_headers):
    body = client.get(f"/api/v1/aggregates?cycle_id={seeded.id}&segment=tilbudstype",
                      headers=board_headers).json()
    assert body["segment"] == "tilbudstype"
    groups = {g["value"]: g for g in body["groups"]}
    assert set(groups) == set(SIZES)
    # The 4 is under the minimum; the 6, the smallest other, is hidden with it.
    for value in (ServiceType.DOEGNTILBUD, ServiceType.KOSTSKOLE):
        assert groups[value]["suppressed"] is True
        assert groups[value]["respondents"] is None and groups[value]["requirements"] == []
    shown = groups[ServiceType.FORSORGSHJEM]
    assert (shown["suppressed"], shown["respondents"]) == (False, 9)
    assert shown["label"] == "Forsorgshjem (§ 110)"


def test_one_group_is_suppressed_as_in_the_whole_segment(client, seeded, board_headers):
    body = client.get(f"/api/v1/aggregates?cycle_id={seeded.id}&segment=tilbudstype"
                      "&value=kostskole", headers=board_headers).json()
    assert body == {"cycle_id": seeded.id, "respondents": None, "response_rate": None,
                    "suppressed": True, "requirements": []}


def test_trend_per_cycle_each_suppressed_on_its_own(client, seeded, board_headers):
    body = client.get("/api/v1/aggregates/trend?segment=tilbudstype&value=kostskole",
                      headers=board_headers).json()
    assert [(c["year"], c["suppressed"]) for c in body["cycles"]] == [(2024, True),
                                                                       (2025, True)]
    sector = client.get("/api/v1/aggregates/trend", headers=board_headers).json()
    assert [(c["year"], c["respondents"]) for c in sector["cycles"]] == [(2024, 15),
                                                                          (2025, 19)]


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.ADMIN])
def test_advisors_and_admins_get_the_same_figures(client, session, seeded, board_headers,
                                                  role):
    other = api_token(client, make_user(session, role).email)
    path = f"/api/v1/aggregates?cycle_id={seeded.id}&segment=tilbudstype"
    assert client.get(path, headers=other).json() == client.get(path,
                                                                headers=board_headers).json()


def test_members_are_refused(client, session, seeded):
    member = api_token(client, make_user(session, Role.MEMBER).email)
    response = client.get("/api/v1/aggregates", headers=member)
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


@pytest.mark.parametrize("query", ["segment=postnummer", "segment=region&value=fyn",
                                   "value=hovedstaden", "cycle_id=999999"])
def test_a_bad_filter_is_a_field_error(client, seeded, board_headers, query):
    response = client.get(f"/api/v1/aggregates?{query}", headers=board_headers)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_trend_of_a_segment_needs_a_group(client, seeded, board_headers):
    response = client.get("/api/v1/aggregates/trend?segment=region", headers=board_headers)
    assert response.status_code == 422


def test_no_member_name_or_cvr_in_any_answer(client, session, seeded, board_headers):
    from sqlmodel import select

    from app.models import Organisation

    texts = [client.get(path, headers=board_headers).text for path in (
        "/api/v1/aggregates", "/api/v1/aggregates?segment=tilbudstype",
        "/api/v1/aggregates?segment=region", "/api/v1/aggregates?segment=size",
        "/api/v1/aggregates/trend", "/api/v1/aggregates/trend?segment=size&value=10-19")]
    for organisation in session.exec(select(Organisation)):
        for text in texts:
            assert organisation.name not in text and organisation.cvr not in text
            assert organisation.company_name not in text
