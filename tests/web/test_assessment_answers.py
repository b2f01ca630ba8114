"""Autosave of one answer or one reflection at a time: the saved block, bad input, and
conflicts with a colleague's save."""

import pytest
from sqlmodel import select

from app.models import Reflection, Requirement
from app.services.assessment.answers import save_answer
from tests.web.assessment_pages import HX, form_values, hx_save, keys_of, saved, version_of


def test_an_htmx_save_answers_with_the_saved_block_and_the_new_version(started, session):
    key = keys_of(session, started.id, 1)[0]
    response = hx_save(started.client, started.id, key, started.csrf, choice="4",
                       comment="Vi følger op", version=1)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<div class="answer answer--saved" id="{key}"')
    assert "Gemt kl." in response.text
    assert "<html" not in response.text
    new_version = version_of(session, started.id)
    assert f'name="version.{key}" value="{new_version}"' in response.text
    assert 'id="assessment-steps"' in response.text and 'hx-swap-oob="true"' in response.text
    answer = saved(session, started.id, key)
    assert (answer.score, answer.comment) == (4, "Vi følger op")


def test_not_relevant_is_saved_as_not_applicable(started, session):
    key = keys_of(session, started.id, 1)[0]
    assert hx_save(started.client, started.id, key, started.csrf, choice="na",
                   version=1).status_code == 200
    answer = saved(session, started.id, key)
    assert answer.not_applicable and answer.score is None


def test_an_unknown_indicator_is_404(started, session):
    response = hx_save(started.client, started.id, "efk.no-such-indicator", started.csrf,
                       choice="3", version=1)
    assert response.status_code == 404
    assert version_of(session, started.id) == 1


def test_a_save_without_htmx_redirects_back_to_the_indicator(started, session):
    key = keys_of(session, started.id, 1)[0]
    response = hx_save(started.client, started.id, key, started.csrf, choice="3", version=1,
                       headers={})
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{started.id}/requirements/1#{key}"
    assert saved(session, started.id, key).score == 3


BAD_INPUTS = [
    pytest.param({"choice": "0"}, "Vælg en score fra 1 til 5.", id="score 0"),
    pytest.param({"choice": "6"}, "Vælg en score fra 1 til 5.", id="score 6"),
    pytest.param({"choice": "3.5"}, "Skal være et helt tal.", id="score 3.5"),
    pytest.param({"choice": "tre"}, "Skal være et helt tal.", id="score text"),
    pytest.param({"choice": "2", "comment": "x" * 5001}, "Teksten er for lang", id="long comment"),
]


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "plain"])
@pytest.mark.parametrize(("bad", "error"), BAD_INPUTS)
def test_a_bad_answer_is_422_with_the_error_at_the_field_and_changes_nothing(
        started, session, bad, error, headers):
    key = keys_of(session, started.id, 1)[0]
    hx_save(started.client, started.id, key, started.csrf, choice="2", comment="Første",
            version=1)
    version = version_of(session, started.id)
    response = hx_save(started.client, started.id, key, started.csrf, version=version,
                       headers=headers, **{"comment": "Rettet tekst", **bad})
    assert response.status_code == 422
    assert error in response.text
    assert 'class="field__error"' in response.text
    assert ("<html" in response.text) == (headers == {})
    typed = bad.get("comment", "Rettet tekst")[:50]
    assert typed in response.text  # what the person typed is shown again
    answer = saved(session, started.id, key)
    assert (answer.score, answer.comment) == (2, "Første")
    assert version_of(session, started.id) == version


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "plain"])
def test_a_stale_save_is_409_showing_both_values_and_overwrites_nothing(
        started, session, colleague, headers):
    key = keys_of(session, started.id, 1)[0]
    save_answer(session=session, assessment_id=started.id, indicator_key=key, user=colleague,
                data={"score": 5, "comment": "Carls tekst", "version": 1})
    response = hx_save(started.client, started.id, key, started.csrf, choice="2",
                       comment="Alices tekst", version=1, headers=headers)
    assert response.status_code == 409
    assert "Din version" in response.text and "Gemt af Carl Kollega kl." in response.text
    assert "Alices tekst" in response.text and "Carls tekst" in response.text
    assert "Behold min version" in response.text and "Brug kollegaens version" in response.text
    answer = saved(session, started.id, key)
    assert (answer.score, answer.comment) == (5, "Carls tekst")


def test_keeping_my_version_after_a_conflict_saves_it(started, session, colleague):
    key = keys_of(session, started.id, 1)[0]
    save_answer(session=session, assessment_id=started.id, indicator_key=key, user=colleague,
                data={"score": 5, "comment": "Carls tekst", "version": 1})
    conflict = hx_save(started.client, started.id, key, started.csrf, choice="2",
                       comment="Alices tekst", version=1)
    keep = version_of(session, started.id)
    assert f'name="keep.{key}" value="{keep}"' in conflict.text
    response = hx_save(started.client, started.id, key, started.csrf, choice="2",
                       comment="Alices tekst", version=1, extra={f"keep.{key}": keep})
    assert response.status_code == 200
    assert "Gemt kl." in response.text
    answer = saved(session, started.id, key)
    assert (answer.score, answer.comment) == (2, "Alices tekst")


def test_using_the_colleagues_version_shows_the_saved_value_without_keeping_my_inputs(
        started, session, colleague):
    key = keys_of(session, started.id, 1)[0]
    save_answer(session=session, assessment_id=started.id, indicator_key=key, user=colleague,
                data={"score": 5, "comment": "Carls tekst", "version": 1})
    response = started.client.get(f"/assessments/{started.id}/answers/{key}", headers=HX)
    assert response.status_code == 200
    assert "Carls tekst" in response.text
    assert "hx-preserve" not in response.text  # the saved value replaces what was typed
    assert f'name="version.{key}" value="{version_of(session, started.id)}"' in response.text
    plain = started.client.get(f"/assessments/{started.id}/answers/{key}")
    assert plain.status_code == 303


def test_a_colleagues_save_of_another_field_is_no_conflict(started, session, colleague):
    first, second = keys_of(session, started.id, 1)[:2]
    save_answer(session=session, assessment_id=started.id, indicator_key=second,
                user=colleague, data={"score": 5, "version": 1})
    response = hx_save(started.client, started.id, first, started.csrf, choice="3", version=1)
    assert response.status_code == 200
    assert saved(session, started.id, first).score == 3
    assert saved(session, started.id, second).score == 5


def test_a_reflection_autosaves_and_a_stale_one_shows_both_versions(started, session,
                                                                    colleague):
    url = f"/assessments/{started.id}/reflections/1"
    headers = {**HX, "X-CSRF-Token": started.csrf}
    first = started.client.post(url, headers=headers, data={
        "what_works": "Samarbejdet", "what_to_improve": "", "reflection_version": "1"})
    assert first.status_code == 200 and "Gemt kl." in first.text
    seen = form_values(f'<form action="x">{first.text}</form>', "x")["reflection_version"]
    assert seen == str(version_of(session, started.id))
    requirement_key = session.exec(select(Requirement).where(Requirement.number == 1)).one().key
    from app.services.assessment.answers import save_reflection

    save_reflection(session=session, assessment_id=started.id, requirement_key=requirement_key,
                    user=colleague, data={"what_works": "Carls ord", "version": int(seen)})
    conflict = started.client.post(url, headers=headers, data={
        "what_works": "Alices ord", "what_to_improve": "", "reflection_version": seen})
    assert conflict.status_code == 409
    assert "Carls ord" in conflict.text and "Alices ord" in conflict.text
    session.expire_all()
    assert session.exec(select(Reflection)).one().what_works == "Carls ord"


# --- a low score without its comment: saved, but not complete ------------------------------

NEEDS_COMMENT = "en score på 1 eller 2 skal begrundes, før I kan indsende"


def test_a_low_score_without_a_comment_is_saved_but_says_at_the_field_that_it_needs_one(
        started, session):
    key = keys_of(session, started.id, 1)[0]
    response = hx_save(started.client, started.id, key, started.csrf, choice="2", version=1)
    assert response.status_code == 200
    block = response.text.split('id="assessment-steps"')[0]
    assert NEEDS_COMMENT in block
    assert "men mangler en kommentar" in block
    assert 'class="saved"' not in block  # not the green "✓ Gemt"
    assert saved(session, started.id, key).score == 2


def test_the_comment_message_goes_once_the_comment_is_saved(started, session):
    key = keys_of(session, started.id, 1)[0]
    hx_save(started.client, started.id, key, started.csrf, choice="1", version=1)
    response = hx_save(started.client, started.id, key, started.csrf, choice="1",
                       comment="Vi er i gang med en plan", version=version_of(session, started.id))
    assert NEEDS_COMMENT not in response.text
    assert 'class="saved"' in response.text


@pytest.mark.parametrize("score", ["3", "na"])
def test_a_middle_score_or_not_relevant_needs_no_comment(started, session, score):
    key = keys_of(session, started.id, 1)[0]
    response = hx_save(started.client, started.id, key, started.csrf, choice=score, version=1)
    assert NEEDS_COMMENT not in response.text


def test_the_whole_page_without_javascript_shows_the_missing_comment_at_the_field(
        started, session):
    key = keys_of(session, started.id, 1)[0]
    action = f"/assessments/{started.id}/requirements/1"
    values = form_values(started.page(1).text, action)
    response = started.client.post(action, data={**values, f"answer.{key}": "2"})
    assert response.status_code == 303
    page = started.page(1).text
    block = page.split(f'id="{key}"')[1].split('<div class="answer')[0]
    assert NEEDS_COMMENT in block
    assert page.count(NEEDS_COMMENT) == 1
