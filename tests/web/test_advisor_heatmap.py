"""The gap heatmap: numbers in every cell, sorting by a requirement, paging, access."""

import re

import pytest

from tests.services.test_results import fill_in
from tests.web.advisor_pages import bulk_members


@pytest.fixture
def scored(session, cast, open_cycle):
    fill_in(session, cast.org_a, open_cycle, {6: 2, 1: 5}, user=cast.alice)
    fill_in(session, cast.org_b, open_cycle, {6: 4, 1: 1}, user=cast.bob)
    return open_cycle


def names_in_order(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/advisor/members/\d+">([^<]+)</a>', html)


def test_every_cell_shows_its_number_and_links_to_the_member(login, cast, scored):
    html = login(cast.advisor).get("/advisor/heatmap").text
    assert names_in_order(html) == ["Alfa Opholdssted", "Beta Bosted"]
    assert '<td class="num heat heat-2">2,0</td>' in html
    assert '<td class="num heat heat-5">5,0</td>' in html
    assert f'href="/advisor/members/{cast.org_a.id}"' in html


def test_sorting_by_a_requirement_puts_the_lowest_first(login, cast, scored):
    client = login(cast.advisor)
    assert names_in_order(client.get("/advisor/heatmap?sort=6").text) == [
        "Alfa Opholdssted", "Beta Bosted"]
    html = client.get("/advisor/heatmap?sort=1").text
    assert names_in_order(html) == ["Beta Bosted", "Alfa Opholdssted"]
    assert '<th scope="col" class="num" aria-sort="ascending">' in html


def test_members_without_a_submission_come_last_with_empty_cells(login, cast, session,
                                                                scored, factory):
    factory.organisation(name="Aaa Uden Svar")
    html = login(cast.advisor).get("/advisor/heatmap?sort=6").text
    assert names_in_order(html)[-1] == "Aaa Uden Svar"
    assert "ikke indsendt" in html


def test_an_unknown_sort_is_refused(login, cast, scored):
    assert login(cast.advisor).get("/advisor/heatmap?sort=99").status_code == 422


def test_htmx_sorting_swaps_only_the_table(login, cast, scored):
    response = login(cast.advisor).get("/advisor/heatmap?sort=1", headers={"HX-Request": "true"})
    assert "<form" not in response.text and "Beta Bosted" in response.text


def test_the_heatmap_pages_fifty_members_at_a_time(login, cast, session, scored):
    bulk_members(session, scored, 60)
    client = login(cast.advisor)
    first = client.get("/advisor/heatmap?advisor=").text
    assert len(names_in_order(first)) == 50
    assert "Side 1 af 2" in first
    second = client.get("/advisor/heatmap?advisor=&page=2").text
    assert len(names_in_order(second)) == 12
