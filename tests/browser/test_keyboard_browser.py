"""The whole self-assessment, from login to submit, with the keyboard alone: Tab to move,
Space and the arrow keys to choose, typing to write, Enter to go on. No clicks."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from app.models import Assessment
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

FOCUSED = "(() => { const e = document.activeElement; return e && ({tag: e.tagName, " \
          "type: e.type || '', name: e.name || '', text: (e.innerText || e.value || '')" \
          ".trim(), checked: !!e.checked}); })()"


def _tab_to(page: Page, wanted, limit: int = 400) -> dict:
    """Presses Tab until the focused element is `wanted` (a predicate on it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and wanted(focused):
            return focused
    raise AssertionError("Tab never reached the element")


def _button(text: str):
    return lambda f: f["tag"] in ("BUTTON", "A", "INPUT") and f["text"].startswith(text)


def _answer_every_indicator(page: Page) -> None:
    groups = page.evaluate("[...new Set([...document.querySelectorAll("
                           "'input[type=radio][name^=\"answer.\"]')].map(r => r.name))]")
    for name in groups:
        _tab_to(page, lambda f, name=name: f["type"] == "radio" and f["name"] == name)
        page.keyboard.press("Space")  # the first step (1)
        for _ in range(3):
            page.keyboard.press("ArrowRight")  # ... to 4
        expect(page.locator(f'input[name="{name}"][value="4"]')).to_be_checked()
        status = page.locator(f'[id="{name.removeprefix("answer.")}"] [role="status"]')
        expect(status).to_contain_text("Gemt")


def test_the_whole_self_assessment_with_the_keyboard_alone(page, cast, open_cycle, catalogue,
                                                            engine, page_problems):
    page.goto("/login")
    _tab_to(page, lambda f: f["name"] == "email")
    page.keyboard.type(cast.alice.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    page.wait_for_function("() => window.htmx !== undefined")

    _tab_to(page, _button("Start selvevalueringen"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/assessments/\d+/requirements/1$"))
    assessment_id = int(page.url.split("/")[4])
    for number in range(1, 11):
        expect(page).to_have_url(re.compile(f"/requirements/{number}$"))
        page.wait_for_function("() => window.htmx !== undefined")
        _answer_every_indicator(page)
        _tab_to(page, _button("Gem og gå videre"))
        page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/injunction$"))
    _tab_to(page, lambda f: f["type"] == "radio" and f["name"] == "reported")
    page.keyboard.press("Space")  # "Nej", the first choice
    expect(page.locator("#reported-no")).to_be_checked()
    _tab_to(page, _button("Gem og gå videre"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/submit$"))
    expect(page.get_by_role("heading", name="Alt er besvaret")).to_be_visible()
    page.wait_for_function("() => window.htmx !== undefined")
    _tab_to(page, _button("Indsend selvevalueringen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Er I sikre?")).to_be_focused()
    _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Indsend")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/assessments/{assessment_id}/results$"))
    with Session(engine) as session:
        assert session.get(Assessment, assessment_id).status == "submitted"
    assert page_problems.unexpected() == []
