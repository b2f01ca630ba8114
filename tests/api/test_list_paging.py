"""The API lists that grow with the number of members (assessments, actions, flags) come a
page at a time: `limit` rows from `offset`, the total in `X-Total-Count`, and a `Link` to
the next page until the last; by default one page holds every row at LOS's size today."""

import re

import pytest

from tests.conftest import api_token
from tests.services.test_results import fill_in, past_cycle

NEXT = re.compile(r'^<([^>]+)>; rel="next"$')


def _walk(client, headers, path: str, limit: int, **params) -> tuple[list[dict], list[int]]:
    """Every page from the first, following `Link`; the rows and each page's size."""
    response = client.get(path, params={**params, "limit": limit}, headers=headers)
    rows, sizes = [], []
    while True:
        assert response.status_code == 200, response.text
        rows += response.json()
        sizes.append(len(response.json()))
        link = response.headers.get("link")
        if link is None:
            return rows, sizes
        response = client.get(NEXT.match(link).group(1), headers=headers)


def _create_actions(client, headers, organisation_id, n: int) -> None:
    for number in range(n):
        response = client.post("/api/v1/actions", headers=headers, json={
            "organisation_id": organisation_id, "title": f"Handling {number}"})
        assert response.status_code == 201, response.text


def test_actions_come_a_page_at_a_time_in_the_order_of_the_whole_list(client, cast):
    advisor = api_token(client, cast.advisor.email)
    _create_actions(client, advisor, cast.org_a.id, 3)
    _create_actions(client, advisor, cast.org_b.id, 2)
    whole = client.get("/api/v1/actions", headers=advisor)
    assert whole.headers["x-total-count"] == "5" and "link" not in whole.headers
    rows, sizes = _walk(client, advisor, "/api/v1/actions", 2)
    assert sizes == [2, 2, 1]
    assert [r["id"] for r in rows] == [r["id"] for r in whole.json()]
    first = client.get("/api/v1/actions", params={"limit": 2}, headers=advisor)
    assert first.headers["x-total-count"] == "5"
    assert "offset=2" in first.headers["link"] and "limit=2" in first.headers["link"]


def test_a_member_pages_through_its_own_actions_only(client, cast):
    _create_actions(client, api_token(client, cast.advisor.email), cast.org_b.id, 2)
    alice = api_token(client, cast.alice.email)
    _create_actions(client, alice, cast.org_a.id, 3)
    rows, sizes = _walk(client, alice, "/api/v1/actions", 2)
    assert sizes == [2, 1] and {r["organisation_id"] for r in rows} == {cast.org_a.id}
    beyond = client.get("/api/v1/actions", params={"offset": 3}, headers=alice)
    assert beyond.json() == [] and beyond.headers["x-total-count"] == "3"


def test_assessments_come_a_page_at_a_time(client, session, cast, catalogue):
    for years_ago in (1, 2, 3):
        cycle = past_cycle(session, catalogue, years_ago)
        fill_in(session, cast.org_a, cycle)
        fill_in(session, cast.org_b, cycle)
    admin = api_token(client, cast.admin.email)
    whole = client.get("/api/v1/assessments", headers=admin).json()
    rows, sizes = _walk(client, admin, "/api/v1/assessments", 4)
    assert sizes == [4, 2] and [r["id"] for r in rows] == [r["id"] for r in whole]
    alice = api_token(client, cast.alice.email)
    own, _ = _walk(client, alice, "/api/v1/assessments", 2)
    assert len(own) == 3 and {r["organisation_id"] for r in own} == {cast.org_a.id}


def test_flags_come_a_page_at_a_time_most_severe_first(client, session, cast, catalogue):
    cycle = past_cycle(session, catalogue, 1)  # past its deadline: every member is missing
    fill_in(session, cast.org_a, cycle, {1: 1, 2: 1})
    advisor = api_token(client, cast.advisor.email)
    whole = client.get("/api/v1/flags", params={"cycle_id": cycle.id}, headers=advisor)
    total = len(whole.json())
    assert total >= 2 and whole.headers["x-total-count"] == str(total)
    rows, sizes = _walk(client, advisor, "/api/v1/flags", 1, cycle_id=cycle.id)
    assert sizes == [1] * total
    assert [r["organisation_id"] for r in rows] == [r["organisation_id"] for r in whole.json()]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 10_001}, {"offset": -1},
                                    {"limit": "many"}])
@pytest.mark.parametrize("path", ["/api/v1/actions", "/api/v1/assessments", "/api/v1/flags"])
def test_a_page_outside_the_bounds_is_refused_by_name(client, cast, path, params):
    response = client.get(path, params=params, headers=api_token(client, cast.admin.email))
    assert response.status_code == 422
    assert next(iter(params)) in response.text
