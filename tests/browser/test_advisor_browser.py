"""The advisor's flow in a real browser: from a gap in the heatmap to an action the member
then sees on its home page; and the flag filters updating the list with htmx."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.live import log_in, log_out
from tests.conftest import PASSWORD, make_organisation
from tests.services.test_results import fill_in

pytestmark = pytest.mark.browser


@pytest.fixture
def gap(session, cast, open_cycle):
    """Alice's submitted assessment with requirement 1 low; Beta's and Aaby's fine."""
    fill_in(session, cast.org_a, open_cycle, {1: 2}, user=cast.alice)
    fill_in(session, cast.org_b, open_cycle, user=cast.bob)
    fill_in(session, make_organisation(session, name="Aaby Bosted"), open_cycle)


def test_from_a_gap_in_the_heatmap_the_advisor_plans_an_action_the_member_sees(
        page, cast, gap, page_problems):
    page.goto("/login")
    log_in(page, cast.advisor.email, PASSWORD)
    page.goto("/advisor/heatmap")
    expect(page.locator("table.heatmap tbody th").first).to_contain_text("Aaby Bosted")
    page.get_by_role("link", name="1", exact=True).click()  # sort by requirement 1
    expect(page.locator("table.heatmap tbody th").first).to_contain_text("Alfa Opholdssted")
    page.wait_for_url(re.compile(r"sort=1"))  # htmx pushed the sort into the address
    page.locator("table.heatmap tbody th a").first.click()
    expect(page.get_by_role("heading", name="Alfa Opholdssted")).to_be_visible()
    page.get_by_role("link", name="Se resultatet").click()
    page.locator(".chart__plot .main-svg").first.wait_for()  # scripts, htmx too, have run
    gap_block = page.locator("#gap-1")
    gap_block.get_by_text("Tilføj handling").click()
    gap_block.get_by_label("Hvad vil I gøre?").fill("Skoleplan for hvert barn")
    with page.expect_response(re.compile(r"/actions$")) as answer:
        gap_block.get_by_role("button", name="Tilføj til planen").click()
    assert answer.value.status == 200
    expect(page.locator(".plan__list")).to_contain_text("Skoleplan for hvert barn")
    log_out(page)
    log_in(page, cast.alice.email, PASSWORD)
    expect(page.get_by_text("Skoleplan for hvert barn")).to_be_visible()
    assert page_problems.unexpected() == []


def test_a_flag_filter_updates_the_list_in_place_and_in_the_address(page, cast, gap,
                                                                    page_problems):
    page.goto("/login")
    log_in(page, cast.advisor.email, PASSWORD)
    page.goto("/advisor/flags")
    page.wait_for_function("() => window.htmx !== undefined")  # deferred scripts have run
    expect(page.locator("table.flags")).to_contain_text("Alfa Opholdssted")
    with page.expect_response(re.compile(r"/advisor/flags\?")):
        page.get_by_label("Årsag").select_option("declined")
    expect(page.get_by_text("Ingen medlemmer har flag med dette filter.")).to_be_visible()
    assert "reason=declined" in page.url
    page.reload()  # the address alone gives the same view
    expect(page.get_by_label("Årsag")).to_have_value("declined")
    assert page_problems.unexpected() == []
