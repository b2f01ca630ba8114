"""The self-assessment form in a real browser: autosave, a colleague's conflict, submitting,
and the same form with JavaScript turned off."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from app.models import Answer, Assessment, Indicator
from app.models.vocabulary import Role
from app.services.assessment.answers import save_answer
from app.services.assessment.view import indicators_in_scope
from tests.browser.live import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _start(page: Page, email: str) -> int:
    """Logs in and starts (or continues) this year's assessment; returns its id."""
    page.goto("/login")
    log_in(page, email, PASSWORD)
    page.get_by_role("button", name="Start selvevalueringen").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/requirements/1$"))
    return int(page.url.split("/")[4])


def _block(page: Page, key: str):
    return page.locator(f'[id="{key}"]')


def _saved(session: Session, assessment_id: int, key: str) -> Answer | None:
    session.expire_all()
    return session.exec(select(Answer).join(Indicator, Indicator.id == Answer.indicator_id)
                        .where(Answer.assessment_id == assessment_id,
                               Indicator.key == key)).first()


def _keys(session: Session, catalogue, number: int) -> list[str]:
    return [i.key for i in indicators_in_scope(session, catalogue.id, "doegntilbud")
            if i.key.startswith(_requirement_prefix(session, catalogue, number))]


def _requirement_prefix(session, catalogue, number) -> str:
    return next(r["id"] for r in catalogue.document["requirements"]
                if r["number"] == number) + "."


def _serious_violations(page: Page) -> list[str]:
    # A save indicator fading out (opacity .2s) is half transparent for a moment, which
    # axe reports as low contrast: check once no request is running and the fade is over.
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request') && [...document.querySelectorAll("
        "'.htmx-indicator')].every(e => ['0', '1'].includes(getComputedStyle(e).opacity))")
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_filling_in_a_requirement_saves_as_you_go_and_survives_a_reload(
        page, cast, open_cycle, catalogue, session, page_problems):
    assessment_id = _start(page, cast.alice.email)
    first, second = _keys(session, catalogue, 1)[:2]
    block = _block(page, first)
    block.get_by_text("i høj grad opfyldt", exact=True).click()
    expect(block.get_by_role("status")).to_contain_text("Gemt kl.")
    _block(page, first).get_by_label("Kommentar").fill("Vi følger op på målene hver måned.")
    expect(_block(page, first).get_by_role("status")).to_contain_text("Gemt kl.",
                                                                       timeout=5000)
    _block(page, second).get_by_text("Ikke relevant").click()
    expect(_block(page, second).get_by_role("status")).to_contain_text("Gemt kl.")
    # Both indicators of requirement 1 are answered: the steps say so without a reload.
    assert len(_keys(session, catalogue, 1)) == 2
    expect(page.locator(".steps a[aria-current=step]")).to_contain_text("Færdig")

    page.reload()
    expect(_block(page, first).get_by_role("radio", name=re.compile("^4"))).to_be_checked()
    expect(_block(page, first).get_by_label("Kommentar")).to_have_value(
        "Vi følger op på målene hver måned.")
    expect(_block(page, second).get_by_role("radio", name="Ikke relevant")).to_be_checked()
    answer = _saved(session, assessment_id, first)
    assert (answer.score, answer.comment) == (4, "Vi følger op på målene hver måned.")
    assert _serious_violations(page) == []
    assert page_problems.unexpected() == []


def test_a_colleague_saving_the_same_field_shows_both_versions_and_the_choice_works(
        page, browser, live_server, cast, factory, open_cycle, catalogue, session,
        page_problems):
    colleague = factory.user(Role.MEMBER, organisation=cast.org_a, name="Carl Kollega")
    assessment_id = _start(page, cast.alice.email)
    key = _keys(session, catalogue, 1)[0]
    other = browser.new_context(base_url=live_server.url, locale="da-DK")
    try:
        tab = other.new_page()
        tab.goto("/login")
        log_in(tab, colleague.email, PASSWORD)
        tab.goto(f"/assessments/{assessment_id}/requirements/1")
        # Both have the page open; Carl saves first.
        _block(tab, key).get_by_label("Kommentar").fill("Carls tekst fra mødet")
        _block(tab, key).get_by_label("Kommentar").blur()
        expect(_block(tab, key).get_by_role("status")).to_contain_text("Gemt kl.")

        _block(page, key).get_by_label("Kommentar").fill("Alices tekst")
        _block(page, key).get_by_label("Kommentar").blur()
        conflict = _block(page, key).locator(".conflict")
        expect(conflict).to_contain_text("Din version")
        expect(conflict).to_contain_text("Gemt af Carl Kollega kl.")
        expect(conflict).to_contain_text("Alices tekst")
        expect(conflict).to_contain_text("Carls tekst fra mødet")
        assert _saved(session, assessment_id, key).comment == "Carls tekst fra mødet"

        conflict.get_by_role("button", name="Behold min version").click()
        expect(_block(page, key).get_by_role("status")).to_contain_text("Gemt kl.")
        expect(_block(page, key).locator(".conflict")).to_have_count(0)
        assert _saved(session, assessment_id, key).comment == "Alices tekst"

        # Now Carl is the one behind; he takes Alice's version.
        _block(tab, key).get_by_label("Kommentar").fill("Carl igen")
        _block(tab, key).get_by_label("Kommentar").blur()
        expect(_block(tab, key).locator(".conflict")).to_contain_text("Alices tekst")
        _block(tab, key).get_by_role("button", name="Brug kollegaens version").click()
        expect(_block(tab, key).get_by_label("Kommentar")).to_have_value("Alices tekst")
        expect(_block(tab, key).locator(".conflict")).to_have_count(0)
        assert _saved(session, assessment_id, key).comment == "Alices tekst"
    finally:
        other.close()
    assert page_problems.unexpected(allowed_statuses=(409,)) == []


def test_submitting_lists_what_is_missing_then_goes_through(
        page, cast, open_cycle, catalogue, session, page_problems):
    assessment_id = _start(page, cast.alice.email)
    keys = [i.key for i in indicators_in_scope(session, catalogue.id, "doegntilbud")]
    missing = keys[-1]
    for key in keys[:-1]:
        version = session.get(Assessment, assessment_id).version
        save_answer(session=session, assessment_id=assessment_id, indicator_key=key,
                    user=cast.alice, data={"score": 4, "version": version})
        session.expire_all()

    page.goto(f"/assessments/{assessment_id}/submit")
    expect(page.get_by_role("heading", name="Før I kan indsende, mangler:")).to_be_visible()
    expect(page.get_by_text("1 indikator er ikke besvaret")).to_be_visible()
    assert _serious_violations(page) == []
    page.locator(f'a[href$="#{missing}"]').click()
    expect(page).to_have_url(re.compile(f"#{re.escape(missing)}$"))
    _block(page, missing).get_by_text("i middel grad opfyldt", exact=True).click()
    expect(_block(page, missing).get_by_role("status")).to_contain_text("Gemt kl.")

    page.goto(f"/assessments/{assessment_id}/submit")
    expect(page.get_by_role("heading", name="Alt er besvaret")).to_be_visible()
    page.wait_for_function("() => window.htmx !== undefined")  # deferred scripts have run
    page.get_by_role("button", name="Indsend selvevalueringen").click()
    # htmx brings the question in place of the button, and the address follows.
    expect(page.get_by_role("heading", name="Er I sikre?")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/submit/confirm\?version=\d+$"))
    expect(page.get_by_role("heading", name="Alt er besvaret")).to_have_count(0)
    assert _serious_violations(page) == []
    session.expire_all()
    assert session.get(Assessment, assessment_id).status == "draft"
    page.get_by_role("button", name="Indsend", exact=True).click()
    expect(page).to_have_url(re.compile(f"/assessments/{assessment_id}/results$"))
    session.expire_all()
    assert session.get(Assessment, assessment_id).status == "submitted"

    page.goto(f"/assessments/{assessment_id}/requirements/1")
    expect(page.get_by_text("kan ikke længere rettes")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_role("link", name="Se resultatet")).to_be_visible()


def test_the_form_saves_without_javascript_as_a_plain_form(
        browser, live_server, cast, open_cycle, catalogue, session):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  locale="da-DK")
    try:
        page = context.new_page()
        assessment_id = _start(page, cast.alice.email)
        first, second = _keys(session, catalogue, 1)[:2]
        _block(page, first).get_by_text("i lav grad opfyldt", exact=True).click()
        _block(page, first).get_by_label("Kommentar").fill("Fremmødet svinger")
        _block(page, second).get_by_text("i meget høj grad opfyldt", exact=True).click()
        page.get_by_label("Det fungerer godt").fill("Skolesamarbejdet")
        page.get_by_role("button", name="Gem og gå videre").click()
        expect(page).to_have_url(re.compile(f"/assessments/{assessment_id}/requirements/2$"))

        assert _saved(session, assessment_id, first).score == 2
        assert _saved(session, assessment_id, second).score == 5
        page.goto(f"/assessments/{assessment_id}/requirements/1")
        expect(_block(page, first).get_by_label("Kommentar")).to_have_value("Fremmødet svinger")
        expect(page.get_by_label("Det fungerer godt")).to_have_value("Skolesamarbejdet")

        # A mistake comes back with the error at the field and the text kept.
        _block(page, first).get_by_label("Kommentar").fill("x" * 5001)
        page.get_by_role("button", name="Gem og gå videre").click()
        expect(_block(page, first).locator(".field__error")).to_contain_text("for lang")
        expect(page.get_by_label("Det fungerer godt")).to_have_value("Skolesamarbejdet")
        assert _saved(session, assessment_id, first).comment == "Fremmødet svinger"
    finally:
        context.close()


def test_submitting_without_javascript_asks_once_and_tilbage_changes_nothing(
        browser, live_server, cast, open_cycle, catalogue, session):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  locale="da-DK")
    try:
        page = context.new_page()
        assessment_id = _start(page, cast.alice.email)
        for key in [i.key for i in indicators_in_scope(session, catalogue.id, "doegntilbud")]:
            version = session.get(Assessment, assessment_id).version
            save_answer(session=session, assessment_id=assessment_id, indicator_key=key,
                        user=cast.alice, data={"score": 4, "version": version})
            session.expire_all()
        page.goto(f"/assessments/{assessment_id}/submit")
        page.get_by_role("button", name="Indsend selvevalueringen").click()
        expect(page.get_by_role("heading", name="Er I sikre?")).to_be_visible()
        page.get_by_role("link", name="Tilbage").click()
        expect(page.get_by_role("heading", name="Alt er besvaret")).to_be_visible()
        session.expire_all()
        assert session.get(Assessment, assessment_id).status == "draft"

        page.get_by_role("button", name="Indsend selvevalueringen").click()
        page.get_by_role("button", name="Indsend", exact=True).click()
        expect(page).to_have_url(re.compile(f"/assessments/{assessment_id}/results$"))
        session.expire_all()
        assert session.get(Assessment, assessment_id).status == "submitted"
    finally:
        context.close()


def _jump_to_the_low_score_from_the_submit_page(page: Page, cast, catalogue, session):
    assessment_id = _start(page, cast.alice.email)
    keys = [i.key for i in indicators_in_scope(session, catalogue.id, "doegntilbud")]
    low = keys[len(keys) // 2]
    for key in keys:
        version = session.get(Assessment, assessment_id).version
        save_answer(session=session, assessment_id=assessment_id, indicator_key=key,
                    user=cast.alice, data={"score": 2 if key == low else 4, "version": version})
        session.expire_all()
    page.goto(f"/assessments/{assessment_id}/submit")
    expect(page.get_by_text("1 score på 1 eller 2 mangler en kommentar")).to_be_visible()
    page.locator(f'a[href$="#{low}"]').click()
    expect(page).to_have_url(re.compile(f"#{re.escape(low)}$"))
    return assessment_id, low


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_jump_link_to_a_low_score_lands_beside_its_missing_comment_message(
        request, cast, open_cycle, catalogue, session, page_problems, size):
    page = request.getfixturevalue("page" if size == "desktop" else "phone_page")
    assessment_id, low = _jump_to_the_low_score_from_the_submit_page(page, cast, catalogue,
                                                                     session)
    message = _block(page, low).locator(".field__warning")
    expect(message).to_contain_text("en score på 1 eller 2 skal begrundes")
    expect(message).to_be_in_viewport()
    expect(_block(page, low).get_by_label("Kommentar")).to_be_in_viewport()
    page.wait_for_function("() => window.htmx !== undefined")
    _block(page, low).get_by_label("Kommentar").fill("Vi mangler en plan for skolen.")
    _block(page, low).get_by_label("Kommentar").blur()
    expect(_block(page, low).get_by_role("status")).to_contain_text("Gemt kl.")
    expect(_block(page, low).locator(".field__warning")).to_have_count(0)
    assert _saved(session, assessment_id, low).comment == "Vi mangler en plan for skolen."
    assert page_problems.unexpected() == []


def test_choosing_a_low_score_says_at_once_that_it_needs_a_comment(
        page, cast, open_cycle, catalogue, session, page_problems):
    _start(page, cast.alice.email)
    key = _keys(session, catalogue, 1)[0]
    _block(page, key).get_by_text("i lav grad opfyldt", exact=True).click()
    expect(_block(page, key).get_by_role("status")).to_contain_text(
        "Gemt kl.", timeout=5000)
    expect(_block(page, key).get_by_role("status")).to_contain_text("men mangler en kommentar")
    expect(_block(page, key).locator(".field__warning")).to_be_visible()
    assert _serious_violations(page) == []
    assert page_problems.unexpected() == []


def _with_last_years_answers(session, cast, catalogue, assessment_id):
    from app.services.assessment.carry_over import carry_over_last_year
    from tests.web.assessment_pages import submitted_last_year

    submitted_last_year(session, cast.alice, catalogue, score=4, comment="Fra i fjor")
    carry_over_last_year(session=session, assessment_id=assessment_id, user=cast.alice)
    session.expire_all()


def test_confirming_all_of_last_years_answers_in_a_requirement_at_once(
        page, cast, open_cycle, catalogue, session, page_problems):
    assessment_id = _start(page, cast.alice.email)
    _with_last_years_answers(session, cast, catalogue, assessment_id)
    keys = _keys(session, catalogue, 3)
    assert len(keys) == 3
    page.goto(f"/assessments/{assessment_id}/requirements/3")
    page.wait_for_function("() => window.htmx !== undefined")
    expect(page.get_by_text("Fra sidste år – bekræft eller ret")).to_have_count(3)
    expect(page.get_by_role("button", name="Bekræft alle 3 svar fra sidste år i denne "
                                           "fordring")).to_be_visible()
    # One confirmed on its own: the button counts the two left, without a reload.
    _block(page, keys[0]).get_by_role("button", name="Bekræft", exact=True).click()
    expect(_block(page, keys[0]).get_by_role("status")).to_contain_text("Gemt kl.")
    button = page.get_by_role("button",
                              name="Bekræft alle 2 svar fra sidste år i denne fordring")
    button.click()
    expect(page.get_by_role("status").filter(
        has_text="2 svar fra sidste år er bekræftet.")).to_be_visible()
    expect(page.get_by_text("Fra sidste år – bekræft eller ret")).to_have_count(0)
    expect(page.locator(".steps a[aria-current=step]")).to_contain_text("Færdig")
    assert not any(_saved(session, assessment_id, key).carried_over for key in keys)
    assert _serious_violations(page) == []
    assert page_problems.unexpected() == []


def test_confirming_all_without_javascript_saves_the_form_and_confirms(
        browser, live_server, cast, open_cycle, catalogue, session):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  locale="da-DK")
    try:
        page = context.new_page()
        assessment_id = _start(page, cast.alice.email)
        _with_last_years_answers(session, cast, catalogue, assessment_id)
        first, second = _keys(session, catalogue, 1)[:2]
        page.reload()
        page.get_by_label("Det fungerer godt").fill("Vi læste dem sammen")
        page.get_by_role("button",
                         name="Bekræft alle 2 svar fra sidste år i denne fordring").click()
        expect(page).to_have_url(re.compile(r"/requirements/1\?confirmed=2#confirm-carried$"))
        expect(page.get_by_text("2 svar fra sidste år er bekræftet.")).to_be_visible()
        expect(page.get_by_label("Det fungerer godt")).to_have_value("Vi læste dem sammen")
        assert not _saved(session, assessment_id, first).carried_over
        assert not _saved(session, assessment_id, second).carried_over
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_form_gives_one_save_hint_that_is_true_with_and_without_javascript(
        browser, live_server, cast, open_cycle, javascript):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript,
                                  locale="da-DK")
    try:
        page = context.new_page()
        _start(page, cast.alice.email)
        autosave = page.get_by_text("Alt gemmes, så snart I vælger eller skriver.")
        on_button = page.get_by_text("Svarene gemmes, når I trykker «Gem og gå videre»")
        expect(autosave).to_be_visible() if javascript else expect(autosave).to_be_hidden()
        expect(on_button).to_be_hidden() if javascript else expect(on_button).to_be_visible()
        expect(page.locator(".scale-hint")).to_have_count(1)
        expect(page.locator("noscript")).to_have_count(0)
    finally:
        context.close()


# The room between a done step's ✓ and its label: where the text starts, minus where the
# pill's content starts, minus the width of the ✓ in the pill's font.
_GAP_AFTER_CHECK = """pill => {
  const style = getComputedStyle(pill);
  const range = document.createRange();
  const text = [...pill.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
  range.selectNodeContents(text);
  const start = pill.getBoundingClientRect().left + parseFloat(style.paddingLeft)
    + parseFloat(style.borderLeftWidth);
  const probe = document.createElement("span");
  probe.style.font = style.font;
  probe.style.position = "absolute";  // its own width, not the flex body's
  probe.textContent = "✓";
  document.body.appendChild(probe);
  const check = probe.getBoundingClientRect().width;
  probe.remove();
  return range.getClientRects()[0].left - start - check;
}"""


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_done_step_has_a_space_between_its_check_and_its_label(
        request, cast, open_cycle, catalogue, session, size):
    from app.services.assessment.answers import save_injunction

    page = request.getfixturevalue("page" if size == "desktop" else "phone_page")
    assessment_id = _start(page, cast.alice.email)
    save_injunction(session=session, assessment_id=assessment_id, user=cast.alice,
                    data={"reported": False, "version": 1})
    page.reload()
    pill = page.locator(".step--done .step__pill").first
    expect(pill).to_contain_text("Påbud og skærpet tilsyn")
    assert pill.evaluate(_GAP_AFTER_CHECK) >= 3


def test_on_a_phone_the_evidence_upload_comes_before_going_on(phone_page, cast, open_cycle):
    _start(phone_page, cast.alice.email)
    upload = phone_page.locator(".evidence input[type=file]").bounding_box()
    button = phone_page.get_by_role("button", name="Gem og gå videre").bounding_box()
    assert upload["y"] < button["y"]
