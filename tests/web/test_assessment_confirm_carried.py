"""Confirming all of last year's answers in one requirement at once, after reading them on
its page: with htmx, as part of the plain form, through the API, and refused when stale."""

import pytest
from sqlmodel import select

from app.models import AuditEntry
from app.services.assessment.answers import save_answer
from tests.conftest import api_token
from tests.web.assessment_pages import (
    HX,
    form_values,
    keys_of,
    saved,
    submitted_last_year,
    version_of,
)

BUTTON = "Bekræft alle 2 svar fra sidste år i denne fordring"


@pytest.fixture
def carried(started, session, cast, catalogue):
    """Alice's assessment with last year's answers carried over, unconfirmed."""
    submitted_last_year(session, cast.alice, catalogue, score=4, comment="Fra i fjor")
    response = started.client.post(f"/assessments/{started.id}/carry-over",
                                   data={"csrf_token": started.csrf})
    assert response.status_code == 303
    return started


def _confirm(carried, values, headers=HX):
    return carried.client.post(
        f"/assessments/{carried.id}/requirements/1/confirm-carried-over",
        data=values, headers={**headers, "X-CSRF-Token": carried.csrf})


def _plain_form(carried, number=1):
    """What the plain form sends when the confirm-all button is pressed."""
    action = f"/assessments/{carried.id}/requirements/{number}"
    return action, {**form_values(carried.page(number).text, action), "confirm_all": "confirm"}


def _versions(carried, number=1):
    """What htmx sends: the button and the form's fields, of which the versions count."""
    return {name: value for name, value in _plain_form(carried, number)[1].items()
            if name.startswith("version.") or name == "confirm_all"}


def test_the_page_offers_to_confirm_the_requirements_carried_over_answers_at_once(carried):
    page = carried.page(1).text
    assert BUTTON in page
    assert page.index(BUTTON) > page.rindex("Fra sidste år – bekræft eller ret")  # after them


def test_no_offer_without_carried_over_answers(started):
    assert "svar fra sidste år i denne fordring" not in started.page(1).text


def test_htmx_confirms_every_carried_over_answer_of_the_requirement_and_only_those(
        carried, session):
    first, second = keys_of(session, carried.id, 1)
    elsewhere = keys_of(session, carried.id, 2)[0]
    response = _confirm(carried, _versions(carried))
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="answers">')
    assert "2 svar fra sidste år er bekræftet." in response.text
    assert "Fra sidste år – bekræft eller ret" not in response.text
    assert BUTTON not in response.text
    assert 'id="assessment-steps"' in response.text and 'hx-swap-oob="true"' in response.text
    assert not saved(session, carried.id, first).carried_over
    assert not saved(session, carried.id, second).carried_over
    assert saved(session, carried.id, elsewhere).carried_over
    assert (saved(session, carried.id, first).score,
            saved(session, carried.id, first).comment) == (4, "Fra i fjor")


def test_the_confirmation_is_one_version_and_each_answer_is_audited(carried, session):
    before = version_of(session, carried.id)
    _confirm(carried, _versions(carried))
    assert version_of(session, carried.id) == before + 1
    entries = session.exec(select(AuditEntry).where(AuditEntry.entity == "answer")).all()
    confirmed = {e.entity_id for e in entries if e.changes.get("carried_over") == [True, False]}
    assert confirmed == {f"{carried.id}/{key}" for key in keys_of(session, carried.id, 1)}


def test_the_plain_form_saves_what_was_changed_and_confirms_the_rest(carried, session):
    first, second = keys_of(session, carried.id, 1)
    action, values = _plain_form(carried)
    values[f"answer.{first}"] = "3"
    response = carried.client.post(action, data=values)
    assert response.status_code == 303
    assert response.headers["location"].endswith("/requirements/1?confirmed=1#confirm-carried")
    assert saved(session, carried.id, first).score == 3
    assert not saved(session, carried.id, first).carried_over
    assert not saved(session, carried.id, second).carried_over
    page = carried.client.get(response.headers["location"]).text
    assert "1 svar fra sidste år er bekræftet." in page


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "plain"])
def test_an_answer_a_colleague_changed_since_stops_the_confirmation_and_loses_nothing(
        carried, session, colleague, headers):
    first, second = keys_of(session, carried.id, 1)
    action, plain = _plain_form(carried)  # Alice reads the page, then Carl saves
    save_answer(session=session, assessment_id=carried.id, indicator_key=first, user=colleague,
                data={"score": 2, "comment": "Carl ser det anderledes",
                      "version": version_of(session, carried.id)})
    version = version_of(session, carried.id)
    if headers:
        response = _confirm(carried, {k: v for k, v in plain.items()
                                      if k.startswith("version.") or k == "confirm_all"})
    else:
        response = carried.client.post(action, data=plain)
    assert response.status_code == 409
    assert "Intet er bekræftet" in response.text
    assert "Carl ser det anderledes" in response.text  # what is saved now, marked
    assert "Ændret af en kollega" in response.text
    assert saved(session, carried.id, second).carried_over
    assert (saved(session, carried.id, first).comment) == "Carl ser det anderledes"
    assert version_of(session, carried.id) == version


def test_my_own_saves_on_the_page_are_no_conflict(carried, session):
    first, second = keys_of(session, carried.id, 1)
    values = _versions(carried)
    response = carried.client.post(
        f"/assessments/{carried.id}/answers/{first}",
        data={f"answer.{first}": "5", f"comment.{first}": "Bedre i år",
              f"version.{first}": values[f"version.{first}"]},
        headers={**HX, "X-CSRF-Token": carried.csrf})
    assert response.status_code == 200
    values[f"version.{first}"] = str(version_of(session, carried.id))  # the block came back
    response = _confirm(carried, values)
    assert response.status_code == 200
    assert "1 svar fra sidste år er bekræftet." in response.text
    assert not saved(session, carried.id, second).carried_over
    assert saved(session, carried.id, first).score == 5


def test_the_api_confirms_a_requirement_and_refuses_a_stale_version(
        carried, session, client, cast, colleague):
    requirement = keys_of(session, carried.id, 1)[0].rsplit(".", 1)[0]
    url = (f"/api/v1/assessments/{carried.id}/requirements/{requirement}"
           "/confirm-carried-over")
    headers = api_token(client, cast.alice.email)
    version = version_of(session, carried.id)
    second = keys_of(session, carried.id, 2)[0]
    save_answer(session=session, assessment_id=carried.id, indicator_key=second,
                user=colleague, data={"score": 1, "comment": "x", "version": version})
    response = client.post(url, json={"version": version}, headers=headers)
    assert response.status_code == 200  # a change in another requirement is no conflict
    assert response.json()["confirmed"] == 2
    assert response.json()["version"] == version_of(session, carried.id)
    first = keys_of(session, carried.id, 1)[0]
    save_answer(session=session, assessment_id=carried.id, indicator_key=first,
                user=colleague, data={"score": 1, "comment": "y",
                                      "version": version_of(session, carried.id)})
    stale = client.post(url, json={"version": version}, headers=headers)
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
