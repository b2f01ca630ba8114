"""The member's self-assessment form: starting it, one requirement per page, the plain-form
fallback without JavaScript, starting from last year's answers, and who may see it."""

from sqlmodel import select

from app.models import Assessment, Reflection
from app.services.assessment.answers import save_answer
from tests.conftest import csrf_from
from tests.web.assessment_pages import (
    form_values,
    hx_save,
    keys_of,
    saved,
    submitted_last_year,
    version_of,
)


def test_starting_creates_the_assessment_and_opens_the_first_requirement(started, session):
    assessment = session.get(Assessment, started.id)
    assert assessment.status == "draft"
    page = started.page(1)
    assert page.status_code == 200
    assert "Fordring 1 af 10" in page.text


def test_requirement_page_shows_the_scale_labels_not_relevant_guidance_and_every_step(
        started, session):
    page = started.page(1).text
    key = keys_of(session, started.id, 1)[0]
    assert f'name="answer.{key}" value="5"' in page
    assert "i meget høj grad opfyldt" in page and "Ikke relevant" in page
    assert f'name="version.{key}" value="1"' in page
    assert "Spørgsmål til refleksion" in page and "Eksempler på dokumentation" in page
    for number in range(1, 11):
        assert f'href="/assessments/{started.id}/requirements/{number}"' in page
    assert f'href="/assessments/{started.id}/injunction"' in page
    assert f'href="/assessments/{started.id}/submit"' in page


def test_a_requirement_that_does_not_exist_is_404(started):
    assert started.page(11).status_code == 404


# --- the plain form (no JavaScript) -------------------------------------------------------


def _plain_form(started, number=1):
    action = f"/assessments/{started.id}/requirements/{number}"
    return action, form_values(started.page(number).text, action)


def test_the_plain_form_saves_every_changed_answer_and_the_reflection_and_goes_on(
        started, session):
    action, values = _plain_form(started)
    keys = keys_of(session, started.id, 1)
    for n, key in enumerate(keys):
        values[f"answer.{key}"] = str(3 + n % 2)
        values[f"comment.{key}"] = f"Kommentar {n}"
    values["what_works"], values["what_to_improve"] = "Skolesamarbejdet", "Fremmødet"
    response = started.client.post(action, data=values)
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{started.id}/requirements/2"
    for n, key in enumerate(keys):
        answer = saved(session, started.id, key)
        assert (answer.score, answer.comment) == (3 + n % 2, f"Kommentar {n}")
    reflection = session.exec(select(Reflection)).one()
    assert (reflection.what_works, reflection.what_to_improve) == ("Skolesamarbejdet",
                                                                   "Fremmødet")


def test_the_plain_form_re_renders_errors_and_keeps_everything_typed(started, session):
    action, values = _plain_form(started)
    first, second = keys_of(session, started.id, 1)[:2]
    values[f"answer.{first}"], values[f"comment.{first}"] = "6", "For høj"
    values[f"answer.{second}"], values[f"comment.{second}"] = "4", "Fint"
    values["what_works"] = "Noget godt"
    response = started.client.post(action, data=values)
    assert response.status_code == 422
    assert "Vælg en score fra 1 til 5." in response.text
    shown = form_values(response.text, action)
    assert shown[f"comment.{first}"] == "For høj"
    assert shown["what_works"] == "Noget godt"
    assert saved(session, started.id, first) is None
    assert saved(session, started.id, second).score == 4


def test_the_plain_form_leaves_a_field_the_person_did_not_touch_to_the_colleague(
        started, session, colleague):
    action, values = _plain_form(started)
    first, second = keys_of(session, started.id, 1)[:2]
    save_answer(session=session, assessment_id=started.id, indicator_key=second,
                user=colleague, data={"score": 5, "comment": "Carls", "version": 1})
    values[f"answer.{first}"] = "3"
    response = started.client.post(action, data=values)
    assert response.status_code == 303
    assert saved(session, started.id, first).score == 3
    assert (saved(session, started.id, second).score, saved(session, started.id, second)
            .comment) == (5, "Carls")


def test_the_plain_form_shows_a_conflict_side_by_side_and_resolves_it(started, session,
                                                                        colleague):
    action, values = _plain_form(started)
    key = keys_of(session, started.id, 1)[0]
    save_answer(session=session, assessment_id=started.id, indicator_key=key, user=colleague,
                data={"score": 5, "comment": "Carls", "version": 1})
    values[f"answer.{key}"], values[f"comment.{key}"] = "2", "Alices"
    response = started.client.post(action, data=values)
    assert response.status_code == 409
    assert "Din version" in response.text and "Carls" in response.text
    assert saved(session, started.id, key).comment == "Carls"
    again = form_values(response.text, action)
    keep = version_of(session, started.id)
    resolved = started.client.post(action, data={**again, f"keep.{key}": str(keep)})
    assert resolved.status_code == 303
    assert resolved.headers["location"].endswith(f"/requirements/1#{key}")
    assert (saved(session, started.id, key).score, saved(session, started.id, key).comment) \
        == (2, "Alices")


# --- starting from last year --------------------------------------------------------------


def test_last_years_answers_are_offered_marked_and_confirmed_one_by_one(
        started, session, cast, catalogue):
    submitted_last_year(session, cast.alice, catalogue, score=4, comment="Fra i fjor")
    assert "Hent sidste års svar" in started.page(1).text
    response = started.client.post(f"/assessments/{started.id}/carry-over",
                                   data={"csrf_token": started.csrf})
    assert response.status_code == 303
    page = started.client.get(response.headers["location"]).text
    assert "Der er hentet" in page
    key = keys_of(session, started.id, 1)[0]
    assert page.count("Fra sidste år – bekræft eller ret") == len(keys_of(session, started.id,
                                                                          1))
    assert saved(session, started.id, key).carried_over
    confirmed = hx_save(started.client, started.id, key, started.csrf, choice="4",
                        comment="Fra i fjor", version=version_of(session, started.id),
                        extra={"confirm": key})
    assert confirmed.status_code == 200
    assert "Fra sidste år" not in confirmed.text.split('id="assessment-steps"')[0]
    assert not saved(session, started.id, key).carried_over


def test_starting_from_last_year_without_a_submission_says_so(started):
    assert "Hent sidste års svar" not in started.page(1).text
    response = started.client.post(f"/assessments/{started.id}/carry-over",
                                   data={"csrf_token": started.csrf})
    assert response.status_code == 422
    assert "Der er ingen indsendt selvevaluering fra et tidligere år." in response.text


def test_the_plain_form_confirms_a_carried_over_answer_only_when_asked(started, session, cast,
                                                                        catalogue):
    submitted_last_year(session, cast.alice, catalogue)
    started.client.post(f"/assessments/{started.id}/carry-over",
                        data={"csrf_token": started.csrf})
    action, values = _plain_form(started)
    first, second = keys_of(session, started.id, 1)[:2]
    response = started.client.post(action, data={**values, "confirm": first})
    assert response.status_code == 303
    assert not saved(session, started.id, first).carried_over
    assert saved(session, started.id, second).carried_over


# --- who may see what ---------------------------------------------------------------------


def test_another_organisations_member_gets_404_on_every_page(started, login, cast, session):
    bob = login(cast.bob)
    csrf = csrf_from(bob, "/")
    key = keys_of(session, started.id, 1)[0]
    base = f"/assessments/{started.id}"
    for path in ("/requirements/1", "/injunction", f"/answers/{key}", "/reflections/1"):
        assert bob.get(base + path).status_code == 404, path
    assert hx_save(bob, started.id, key, csrf, choice="1", version=1).status_code == 404
    assert bob.post(base + "/requirements/1", data={"csrf_token": csrf}).status_code == 404
    assert saved(session, started.id, key) is None


def test_the_board_gets_403(started, login, cast):
    board = login(cast.board)
    assert board.get(f"/assessments/{started.id}/requirements/1").status_code == 403


def test_an_advisor_reads_the_form_without_inputs_and_cannot_save(started, login, cast,
                                                                  session):
    advisor = login(cast.advisor)
    page = advisor.get(f"/assessments/{started.id}/requirements/1")
    assert page.status_code == 200
    assert "<textarea" not in page.text and 'type="radio"' not in page.text
    assert "uden at kunne rette" in page.text
    key = keys_of(session, started.id, 1)[0]
    csrf = csrf_from(advisor, "/")
    assert hx_save(advisor, started.id, key, csrf, choice="1", version=1).status_code == 403


def test_a_letter_the_service_type_skips_says_why_where_it_would_be(started):
    page = started.page(1).text
    said = '<span class="answer__ref">1.c</span> gælder ikke for jeres tilbudstype.'
    assert said in page  # a døgntilbud has 1.a and 1.b
    assert page.index(said) > page.index('name="answer.efk.uddannelse.skolegang"')
    assert "gælder ikke for jeres tilbudstype" not in started.page(3).text  # nothing skipped
