"""Submitting a self-assessment, reading it afterwards, the history and reopening."""

import pytest
from sqlmodel import Session, select

from app.models import Assessment, AssessmentRevision
from app.services.assessment.answers import save_answer
from app.services.assessment.submission import submit
from app.services.assessment.view import indicators_in_scope
from app.services.errors import Conflict
from tests.conftest import csrf_from
from tests.web.assessment_pages import (
    HX,
    form_values,
    hx_save,
    keys_of,
    saved,
    submitted_last_year,
    version_of,
)


def answer_everything(session: Session, assessment_id: int, user, score=4, comment="") -> int:
    assessment = session.get(Assessment, assessment_id)
    for indicator in indicators_in_scope(session, assessment.catalogue_version_id,
                                         "doegntilbud"):
        assessment, _ = save_answer(session=session, assessment_id=assessment_id,
                                    indicator_key=indicator.key, user=user,
                                    data={"score": score, "comment": comment,
                                          "version": assessment.version})
    return assessment.version


def _submit(started, version):
    return started.client.post(f"/assessments/{started.id}/submit", data={
        "csrf_token": started.csrf, "version": str(version), "confirmed": "yes"})


def test_the_submit_page_lists_every_problem_linking_to_its_place(started, session, cast):
    first, second = keys_of(session, started.id, 1)[:2]
    save_answer(session=session, assessment_id=started.id, indicator_key=first, user=cast.alice,
                data={"score": 1, "version": 1})
    page = started.client.get(f"/assessments/{started.id}/submit").text
    assert f'href="/assessments/{started.id}/requirements/1#{first}"' in page
    assert f'href="/assessments/{started.id}/requirements/1#{second}"' in page
    assert "En score på 1 eller 2 skal have en kommentar." in page
    assert "Ikke besvaret." in page
    assert "1 score på 1 eller 2 mangler en kommentar" in page
    assert f'action="/assessments/{started.id}/submit"' not in page


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "plain"])
def test_submitting_with_problems_is_422_and_lists_them(started, session, cast, headers):
    version = answer_everything(session, started.id, cast.alice)
    key = keys_of(session, started.id, 2)[0]
    version = save_answer(session=session, assessment_id=started.id, indicator_key=key,
                          user=cast.alice, data={"score": 2, "version": version})[0].version
    response = started.client.post(f"/assessments/{started.id}/submit", headers=headers,
                                   data={"csrf_token": started.csrf, "version": str(version),
                                         "confirmed": "yes"})
    assert response.status_code == 422
    assert "kan ikke indsendes endnu" in response.text
    assert f"/requirements/2#{key}" in response.text
    session.expire_all()
    assert session.get(Assessment, started.id).status == "draft"


def test_submitting_a_complete_assessment_goes_to_the_results_and_makes_it_read_only(
        started, session, cast):
    answer_everything(session, started.id, cast.alice)
    page = started.client.get(f"/assessments/{started.id}/submit")
    assert "Indsend selvevalueringen" in page.text
    confirm = started.client.get(f"/assessments/{started.id}/submit/confirm",
                                 params=form_values(page.text,
                                                    f"/assessments/{started.id}/submit/confirm"))
    values = form_values(confirm.text, f"/assessments/{started.id}/submit")
    response = started.client.post(f"/assessments/{started.id}/submit", data=values)
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{started.id}/results"
    session.expire_all()
    assert session.get(Assessment, started.id).status == "submitted"

    form = started.page(1).text
    assert "<textarea" not in form and 'type="radio"' not in form
    assert "kan ikke længere rettes" in form
    assert f'href="/assessments/{started.id}/results"' in form
    home = started.client.get("/").text
    assert "Se resultatet" in home


def test_saving_after_submitting_is_refused_and_changes_nothing(started, session, cast):
    version = answer_everything(session, started.id, cast.alice)
    _submit(started, version)
    key = keys_of(session, started.id, 1)[0]
    response = hx_save(started.client, started.id, key, started.csrf, choice="1",
                       version=version_of(session, started.id))
    assert response.status_code == 409
    assert "kan ikke længere ændres" in response.text
    assert saved(session, started.id, key).score == 4
    plain = started.client.post(f"/assessments/{started.id}/requirements/1",
                                data={"csrf_token": started.csrf})
    assert plain.status_code == 409


def test_submitting_a_version_older_than_the_last_save_is_409(started, session, cast,
                                                              colleague):
    version = answer_everything(session, started.id, cast.alice)
    key = keys_of(session, started.id, 1)[0]
    save_answer(session=session, assessment_id=started.id, indicator_key=key, user=colleague,
                data={"score": 5, "comment": "Sent", "version": version})
    response = _submit(started, version)
    assert response.status_code == 409
    assert "Der er gemt ændringer" in response.text
    assert f'name="version" value="{version_of(session, started.id)}"' in response.text
    session.expire_all()
    assert session.get(Assessment, started.id).status == "draft"


def test_an_unconfirmed_answer_from_last_year_blocks_submitting(started, session, cast,
                                                                catalogue):
    submitted_last_year(session, cast.alice, catalogue)
    started.client.post(f"/assessments/{started.id}/carry-over",
                        data={"csrf_token": started.csrf})
    page = started.client.get(f"/assessments/{started.id}/submit").text
    assert "Svaret fra sidste år er ikke bekræftet." in page
    response = _submit(started, version_of(session, started.id))
    assert response.status_code == 422


def test_the_submit_check_reads_the_locked_row_not_a_copy_read_earlier(started, session,
                                                                        cast, engine):
    version = answer_everything(session, started.id, cast.alice)
    session.expire_all()
    copy = session.get(Assessment, started.id)  # as the route's authorization check leaves it
    with Session(engine) as other:
        save_answer(session=other, assessment_id=started.id,
                    indicator_key=keys_of(other, started.id, 1)[0], user=cast.alice,
                    data={"score": 5, "comment": "Imens", "version": version})
    with pytest.raises(Conflict):
        submit(session=session, assessment_id=started.id, user=cast.alice, version=version)
    assert copy.version == version + 1


def test_history_lists_the_revisions_and_an_advisor_reopens_with_a_reason(
        started, session, cast, login):
    _submit(started, answer_everything(session, started.id, cast.alice))
    advisor = login(cast.advisor)
    history = advisor.get(f"/assessments/{started.id}/history")
    assert history.status_code == 200
    assert "Alice Medlem" in history.text and "Genåbn" in history.text
    csrf = csrf_from(advisor, "/")
    response = advisor.post(f"/assessments/{started.id}/reopen",
                            data={"csrf_token": csrf, "reason": "Fordring 4 mangler noter"})
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Assessment, started.id).status == "reopened"
    page = started.client.get(f"/assessments/{started.id}/history").text
    assert "Fordring 4 mangler noter" in page and "Anders Konsulent" in page
    assert f'action="/assessments/{started.id}/reopen"' not in page
    assert 'type="radio"' in started.page(1).text  # the member can answer again


def test_reopening_without_a_reason_is_422_and_keeps_it_submitted(started, session, cast,
                                                                  login):
    _submit(started, answer_everything(session, started.id, cast.alice))
    advisor = login(cast.advisor)
    response = advisor.post(f"/assessments/{started.id}/reopen",
                            data={"csrf_token": csrf_from(advisor, "/"), "reason": "  "})
    assert response.status_code == 422
    assert 'id="reason-error"' in response.text
    session.expire_all()
    assert session.get(Assessment, started.id).status == "submitted"
    assert len(session.exec(select(AssessmentRevision)).all()) == 1


def test_a_member_cannot_reopen(started, session, cast):
    _submit(started, answer_everything(session, started.id, cast.alice))
    response = started.client.post(f"/assessments/{started.id}/reopen",
                                   data={"csrf_token": started.csrf, "reason": "Vil rette"})
    assert response.status_code == 403


def test_an_advisor_sees_the_problems_but_cannot_submit(started, session, cast, login):
    answer_everything(session, started.id, cast.alice)
    advisor = login(cast.advisor)
    page = advisor.get(f"/assessments/{started.id}/submit")
    assert page.status_code == 200
    assert f'action="/assessments/{started.id}/submit"' not in page.text
    response = advisor.post(f"/assessments/{started.id}/submit",
                            data={"csrf_token": csrf_from(advisor, "/"), "version": "1"})
    assert response.status_code == 403


def test_another_organisation_gets_404_and_the_board_403(started, login, cast):
    bob, board = login(cast.bob), login(cast.board)
    for path in ("submit", "history"):
        assert bob.get(f"/assessments/{started.id}/{path}").status_code == 404
        assert board.get(f"/assessments/{started.id}/{path}").status_code == 403
    response = bob.post(f"/assessments/{started.id}/submit",
                        data={"csrf_token": csrf_from(bob, "/"), "version": "1"})
    assert response.status_code == 404
