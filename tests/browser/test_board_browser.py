"""The board dashboard in a real browser: every chart drawn under our CSP, a filter change
swapped in by htmx (no new page, the URL kept), a phone without sideways scrolling, and
the board pack printed to A4."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.models.vocabulary import Region, ServiceType
from tests.browser.live import log_in
from tests.conftest import PASSWORD
from tests.services.board.seeding import make_cycle, seed_groups

pytestmark = pytest.mark.browser

CHARTS = ("distribution", "trend", "threshold", "response-rate", "radar", "segments",
          "reference", "calibration")


@pytest.fixture
def seeded(session, cast, catalogue):
    from datetime import date

    from app.services.inspections import record_inspection

    for year, seed in ((2024, 4), (2025, 5)):
        cycle = make_cycle(session, catalogue, year)
        data = seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 8,
                                            ServiceType.KOSTSKOLE: 6,
                                            ServiceType.FORSORGSHJEM: 3}, seed=seed)
        seed_groups(session, cycle, {Region.HOVEDSTADEN: 7, Region.NORDJYLLAND: 5},
                    attribute="region", seed=seed + 10, non_respondents=1)
    # Socialtilsynet's scores for enough of the latest respondents to show the sector's.
    for n, respondent in enumerate(data.respondents[:6]):
        record_inspection(session=session, user=None,
                          organisation_id=respondent.organisation.id, today=date(2026, 1, 1),
                          data={"visited_on": date(2025, 5, 1), "authority": "midt",
                                "kind": "announced", "framework_version": "2017",
                                "themes": [{"theme_id": "km.tema.sundhed-trivsel",
                                            "score": 3 + n * 0.2}]})
    return cast.board


def _open(page: Page, board, url: str = "/board") -> None:
    page.goto("/login")
    log_in(page, board.email, PASSWORD)
    page.goto(url)
    # Socialtilsynet's scores are drawn for the whole sector only.
    for chart in CHARTS if "value=" not in url else CHARTS[:-1]:
        page.locator(f".board-chart--{chart} .main-svg").first.wait_for()


def test_every_chart_is_drawn_with_no_console_or_csp_errors(page, seeded, page_problems):
    _open(page, seeded)
    for chart in CHARTS:
        plot = page.locator(f".board-chart--{chart} .chart__plot")
        expect(plot.locator("svg.main-svg").first).to_be_visible()
        assert plot.bounding_box()["height"] > 140, chart
    # 6 steps stacked, and the radar's two lines (a group selected is tested below).
    expect(page.locator(".board-chart--distribution .barlayer .trace")).to_have_count(6)
    assert page.locator(".chart__fallback").count() == 0
    assert page_problems.csp_violations == []
    assert page_problems.unexpected() == []


def test_a_filter_change_updates_the_charts_in_place(page, seeded, page_problems):
    _open(page, seeded)
    page.evaluate("window.notReloaded = true")
    segments = page.locator(".board-chart--segments")
    expect(segments.locator(".ytick text").first).to_be_visible()
    with page.expect_response(re.compile(r"/board\?.*segment=region")) as answer:
        page.get_by_label("Opdel efter").select_option("region")
    assert answer.value.status == 200
    expect(page.get_by_label("Gruppe")).to_be_visible()
    expect(segments.locator(".ytick text")).to_contain_text(["Hovedstaden"])
    with page.expect_response(re.compile(r"value=hovedstaden")):
        page.get_by_label("Gruppe").select_option("hovedstaden")
    expect(page.locator(".board-cover__facts")).to_contain_text("Hovedstaden")
    # The group beside the sector: two lines on the radar.
    expect(page.locator(".board-chart--radar .scatterlayer .trace")).to_have_count(2)
    for chart in CHARTS[:-1]:
        expect(page.locator(f".board-chart--{chart} svg.main-svg").first).to_be_visible()
    expect(page.locator(".board-chart--calibration")).to_contain_text("kun for hele sektoren")
    assert page.evaluate("window.notReloaded") is True
    assert "segment=region" in page.url and "value=hovedstaden" in page.url
    assert page_problems.unexpected() == []


def test_the_bookmarked_url_renders_the_same_view(page, seeded):
    _open(page, seeded, "/board?segment=region&value=hovedstaden")
    expect(page.get_by_label("Gruppe")).to_have_value("hovedstaden")
    expect(page.locator(".board-cover__facts")).to_contain_text("Hovedstaden")


def test_without_javascript_the_filter_works_with_the_button(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/login")
        log_in(page, seeded.email, PASSWORD)
        page.goto("/board")
        page.get_by_label("Opdel efter").select_option("size")
        with page.expect_navigation():
            page.get_by_role("button", name="Vis").click()
        assert "segment=size" in page.url
        expect(page.locator("#segments-table")).to_be_attached()
        expect(page.locator(".board-chart--segments tbody")).to_contain_text("pladser")
    finally:
        context.close()


def test_on_a_phone_nothing_scrolls_sideways(phone_page, seeded, page_problems):
    _open(phone_page, seeded)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    ticks = phone_page.locator(".board-chart--radar g.angularaxistick text")
    expect(ticks.first).to_have_text("1")
    assert page_problems.unexpected() == []


def test_the_board_pack_prints_a_cover_and_a_page_per_chart(page, seeded, page_problems,
                                                             tmp_path):
    _open(page, seeded)
    page.emulate_media(media="print")
    assert not page.locator(".board-filter").is_visible()
    assert not page.locator(".board-chart__downloads").first.is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1 + len(CHARTS), pages  # the cover, then exactly one A4 page per chart
    (tmp_path / "board-pack.pdf").write_bytes(pdf)
    assert page_problems.unexpected() == []


def test_the_dashboard_has_no_serious_accessibility_problems(page, seeded):
    from axe_playwright_python.sync_playwright import Axe

    _open(page, seeded, "/board?segment=region&value=hovedstaden")
    violations = [f"{v['id']}: {v['help']}" for v in Axe().run(page).response["violations"]
                  if v["impact"] in ("serious", "critical")]
    assert violations == []
