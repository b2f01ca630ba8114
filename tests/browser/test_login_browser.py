"""Logging in and out in a real browser: the form, each role's home page, clean pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from app.models.vocabulary import Role
from tests.browser.live import log_in, log_out
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# What each role sees first: the page heading and a heading only its home page has.
HOME_HEADINGS = {
    Role.MEMBER: ("Goddag, Alice Medlem", "Jeres tilbud"),
    Role.ADVISOR: ("Goddag, Anders Konsulent", "Åbne sager"),
    Role.BOARD: ("Goddag, Berit Bestyrelse", "Medlemmer pr. tilbudstype"),
    Role.ADMIN: ("Administration", "Brugere pr. rolle"),
}


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} – "
            + "; ".join(node["target"][0] for node in v["nodes"])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_visitor_opening_the_front_page_is_sent_to_the_login_form(page, page_problems):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    expect(page.get_by_label("E-mail")).to_be_focused()
    assert page_problems.unexpected() == []


@pytest.mark.parametrize("role", list(HOME_HEADINGS), ids=lambda role: role.value)
def test_each_role_logs_in_through_the_form_and_sees_its_home_page(page, cast, role):
    user = cast.by_role("member" if role is Role.MEMBER else role.value)
    page.goto("/")
    log_in(page, user.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    title, section = HOME_HEADINGS[role]
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("heading", name=section)).to_be_visible()


def test_wrong_password_shows_the_danish_error_next_to_the_form(page, cast, page_problems):
    page.goto("/login")
    log_in(page, cast.alice.email, "not the password")
    error = page.get_by_role("alert")
    expect(error).to_have_text("Forkert e-mail eller adgangskode.")
    expect(page.get_by_label("E-mail")).to_have_value(cast.alice.email)
    password = page.get_by_label("Adgangskode")
    expect(password).to_have_attribute("aria-describedby", "login-error")
    expect(password).to_be_focused()  # the email is kept; the password is typed again
    assert page_problems.unexpected(allowed_statuses=(401,)) == []


def test_logging_out_returns_to_the_login_form_and_closes_the_session(page, cast):
    page.goto("/login")
    log_in(page, cast.alice.email, PASSWORD)
    log_out(page)
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))


def test_pages_load_htmx_from_our_own_server_without_console_or_csp_errors(
        page, cast, page_problems):
    scripts = []
    page.on("request", lambda request: scripts.append(request.url)
            if request.resource_type == "script" else None)
    page.goto("/login")
    log_in(page, cast.advisor.email, PASSWORD)
    assert page.evaluate("typeof window.htmx") == "object"
    assert any(url.endswith("/static/vendor/htmx.min.js") for url in scripts)
    assert all(url.startswith(page.url.rstrip("/")) for url in scripts), scripts
    assert page_problems.csp_violations == []
    assert page_problems.unexpected() == []


def test_login_page_has_no_serious_accessibility_violations(page):
    page.goto("/login")
    assert _serious_violations(page) == []


def test_login_page_with_an_error_has_no_serious_accessibility_violations(page, cast):
    page.goto("/login")
    log_in(page, cast.alice.email, "not the password")
    assert _serious_violations(page) == []


@pytest.mark.parametrize("role", list(HOME_HEADINGS), ids=lambda role: role.value)
def test_home_pages_have_no_serious_accessibility_violations(page, cast, role):
    page.goto("/login")
    log_in(page, cast.by_role("member" if role is Role.MEMBER else role.value).email, PASSWORD)
    assert _serious_violations(page) == []


def test_login_form_fits_a_phone_screen_without_sideways_scrolling(phone_page, cast):
    phone_page.goto("/login")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    log_in(phone_page, cast.alice.email, PASSWORD)
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Goddag, Alice Medlem")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_wide_table_on_a_phone_scrolls_and_can_be_reached_by_keyboard(phone_page, cast,
                                                                       factory, open_cycle):
    for n in range(3):
        factory.organisation(name=f"Et usædvanligt langt navn på et opholdssted {n}",
                             advisor_id=cast.advisor.id)
    phone_page.goto("/login")
    log_in(phone_page, cast.advisor.email, PASSWORD)
    phone_page.goto("/advisor/heatmap")  # members x ten requirements: wider than a phone
    table = phone_page.locator(".table-wrap")
    assert table.evaluate("e => e.scrollWidth > e.clientWidth")  # the case being tested
    assert _serious_violations(phone_page) == []
    table.focus()
    phone_page.keyboard.press("ArrowRight")
    expect(table).to_have_js_property("scrollLeft", 40)
