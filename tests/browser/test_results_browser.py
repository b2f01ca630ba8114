"""The results page in a real browser: the radar chart under our strict CSP, the action
plan with htmx, and the report printed to A4."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.live import log_in
from tests.conftest import PASSWORD
from tests.services.test_results import fill_in, past_cycle, peers

pytestmark = pytest.mark.browser


@pytest.fixture
def results_url(session, cast, catalogue, open_cycle) -> str:
    """Alice: submitted this year with a gap and a decline, last year's result, 5 peers."""
    fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {1: 4, 2: 4})
    peers(session, open_cycle, [2, 3, 3, 4, 5])
    assessment = fill_in(session, cast.org_a, open_cycle, {1: 2, 2: 3, 5: None},
                         user=cast.alice)
    return f"/assessments/{assessment.id}/results"


def _open(page: Page, url: str, email: str) -> None:
    page.goto("/login")
    log_in(page, email, PASSWORD)
    page.goto(url)
    page.locator(".chart__plot .main-svg").first.wait_for()


def test_the_radar_chart_renders_with_no_console_or_csp_errors(page, cast, results_url,
                                                               page_problems):
    _open(page, results_url, cast.alice.email)
    plot = page.locator(".chart__plot")
    # threshold ring, this year, last year, peers' median
    expect(plot.locator(".scatterlayer .trace")).to_have_count(4)
    expect(plot.locator(".legend")).to_contain_text("Median for tilbud af samme type")
    expect(plot.locator("g.angularaxistick text").first).to_contain_text("1.")
    assert plot.bounding_box()["height"] > 300
    assert page.locator(".chart__fallback").count() == 0
    assert page_problems.csp_violations == []
    assert page_problems.unexpected() == []


def test_on_a_phone_the_chart_fits_and_labels_are_numbers(phone_page, cast, results_url,
                                                          page_problems):
    _open(phone_page, results_url, cast.alice.email)
    ticks = phone_page.locator(".chart__plot g.angularaxistick text")
    expect(ticks.first).to_have_text("1")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert page_problems.unexpected() == []


def test_the_results_page_has_no_serious_accessibility_problems(page, cast, results_url):
    _open(page, results_url, cast.alice.email)
    violations = [f"{v['id']}: {v['help']}" for v in Axe().run(page).response["violations"]
                  if v["impact"] in ("serious", "critical")]
    assert violations == []


def test_adding_an_action_to_a_gap_updates_the_plan_in_place(page, cast, results_url,
                                                             page_problems):
    _open(page, results_url, cast.alice.email)
    gap = page.locator("#gap-1")
    gap.get_by_text("Tilføj handling").click()
    gap.get_by_label("Hvad vil I gøre?").fill("Skoleplan for hvert barn")
    with page.expect_response(re.compile(r"/actions$")) as answer:
        gap.get_by_role("button", name="Tilføj til planen").click()
    assert answer.value.status == 200
    plan = page.locator(".plan__list")
    expect(plan).to_contain_text("Skoleplan for hvert barn")
    expect(page.get_by_text("Handlingen er tilføjet planen.")).to_be_visible()
    assert page.url.endswith(results_url)  # swapped in place, no new page
    item = plan.locator(".plan__item").first
    item.get_by_text("Opdatér status eller skriv en kommentar").click()
    item.get_by_label("Status").select_option("in_progress")
    item.get_by_role("button", name="Gem").click()
    expect(page.locator(".plan__list .plan__item").first).to_contain_text("I gang")
    assert page_problems.unexpected() == []


def test_the_report_prints_to_a_clean_a4_pdf(page, cast, results_url, page_problems,
                                             tmp_path):
    _open(page, results_url.replace("/results", "/report"), cast.alice.email)
    expect(page.get_by_role("button", name="Udskriv")).to_be_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="Udskriv").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 3 <= pages <= 12, pages
    (tmp_path / "report.pdf").write_bytes(pdf)
    assert page_problems.unexpected() == []


def test_the_submitted_answers_print_to_a_clean_a4_pdf(page, cast, results_url, page_problems,
                                                       tmp_path):
    page.goto("/login")
    log_in(page, cast.alice.email, PASSWORD)
    page.goto(results_url.replace("/results", "/submitted"))
    expect(page.get_by_role("heading", name=re.compile("^Selvevaluering"))).to_be_visible()
    expect(page.get_by_role("button", name="Udskriv")).to_be_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("link", name="Til forsiden").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 2 <= pages <= 12, pages
    (tmp_path / "submitted.pdf").write_bytes(pdf)
    assert page_problems.unexpected() == []


def test_the_submitted_answers_fit_a_phone(phone_page, cast, results_url, page_problems):
    phone_page.goto("/login")
    log_in(phone_page, cast.alice.email, PASSWORD)
    phone_page.goto(results_url.replace("/results", "/submitted"))
    expect(phone_page.get_by_text("Indsendt af")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page_problems.unexpected() == []


def test_the_results_table_fits_a_phone_without_sideways_scrolling(phone_page, cast,
                                                                   results_url):
    _open(phone_page, results_url, cast.alice.email)
    wrap = phone_page.locator(".results-table").locator("xpath=..")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), "the table scrolls sideways"
    first = phone_page.locator(".results-table tbody tr").first
    label = first.locator("td").first.evaluate(
        "e => getComputedStyle(e, '::before').content")
    assert label == '"I år"'  # each figure labelled where its column heading is hidden


def test_with_an_inspection_the_results_show_self_and_official_per_theme(page, cast, session,
                                                                        results_url,
                                                                        page_problems):
    from datetime import date

    from app.services.inspections import record_inspection

    record_inspection(session=session, user=None, organisation_id=cast.org_a.id,
                      today=date.today(), data={
                          "visited_on": date(2025, 3, 1), "authority": "syd",
                          "kind": "announced", "framework_version": "2017",
                          "themes": [{"theme_id": "km.tema.sundhed-trivsel", "score": 3.2},
                                     {"theme_id": "km.tema.kompetencer", "score": 4.4}]})
    _open(page, results_url, cast.alice.email)
    chart = page.locator("#calibration .chart__plot")
    chart.locator(".main-svg").first.wait_for()
    expect(chart.locator(".scatterlayer .trace")).to_have_count(2)
    expect(chart.locator(".legend")).to_contain_text("Socialtilsynets seneste score")
    table = page.locator("#calibration table")
    expect(table).to_contain_text("3,2")
    expect(table).to_contain_text("Ikke vurderet endnu")
    assert page_problems.csp_violations == []
    assert page_problems.unexpected() == []
