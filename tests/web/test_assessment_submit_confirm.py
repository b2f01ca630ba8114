"""Submitting asks once (a confirmation step that works without JavaScript), and mails
a receipt to every active user of the organisation once the submit is committed."""

import pytest
from sqlmodel import select

from app.models import Assessment, OutboxMessage
from app.models.vocabulary import Role
from app.services.assessment.answers import save_answer
from tests.web.assessment_pages import HX, form_values, keys_of, version_of
from tests.web.test_assessment_submit import answer_everything


def _status(session, assessment_id) -> str:
    session.expire_all()
    return session.get(Assessment, assessment_id).status


def _confirmation(started, version) -> str:
    return started.client.get(f"/assessments/{started.id}/submit/confirm?version={version}").text


def test_the_submit_button_asks_first_and_submits_nothing(started, session, cast):
    version = answer_everything(session, started.id, cast.alice)
    page = started.client.get(f"/assessments/{started.id}/submit").text
    asks = form_values(page, f"/assessments/{started.id}/submit/confirm")
    assert asks == {"version": str(version)}
    assert f'action="/assessments/{started.id}/submit"' not in page
    confirm = started.client.get(f"/assessments/{started.id}/submit/confirm",
                                 params=asks).text
    assert "Er I sikre?" in confirm
    assert "Besvarelsen kan ikke ændres bagefter, medmindre LOS genåbner den." in confirm
    assert f'href="/assessments/{started.id}/submit">Tilbage</a>' in confirm
    values = form_values(confirm, f"/assessments/{started.id}/submit")
    assert values["confirmed"] == "yes" and values["version"] == str(version)
    assert _status(session, started.id) == "draft"


def test_the_confirmation_submits_and_goes_to_the_results(started, session, cast):
    version = answer_everything(session, started.id, cast.alice)
    values = form_values(_confirmation(started, version), f"/assessments/{started.id}/submit")
    response = started.client.post(f"/assessments/{started.id}/submit", data=values)
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{started.id}/results"
    assert _status(session, started.id) == "submitted"


def test_with_htmx_the_confirmation_comes_in_place_and_submitting_redirects(
        started, session, cast):
    version = answer_everything(session, started.id, cast.alice)
    block = started.client.get(f"/assessments/{started.id}/submit/confirm?version={version}",
                               headers=HX)
    assert block.status_code == 200
    assert "<html" not in block.text and 'id="ready"' in block.text
    assert "Er I sikre?" in block.text
    values = form_values(block.text, f"/assessments/{started.id}/submit")
    response = started.client.post(f"/assessments/{started.id}/submit", data=values,
                                   headers=HX)
    assert response.headers["HX-Redirect"] == f"/assessments/{started.id}/results"
    assert _status(session, started.id) == "submitted"


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "plain"])
def test_posting_submit_without_the_confirmation_only_asks(started, session, cast, headers):
    version = answer_everything(session, started.id, cast.alice)
    response = started.client.post(f"/assessments/{started.id}/submit", headers=headers,
                                   data={"csrf_token": started.csrf, "version": str(version)})
    target = f"/assessments/{started.id}/submit/confirm?version={version}"
    assert (response.headers.get("HX-Redirect") if headers else
            response.headers["location"]) == target
    assert _status(session, started.id) == "draft"


def test_a_change_saved_while_confirming_stops_the_submit(started, session, cast, colleague):
    version = answer_everything(session, started.id, cast.alice)
    save_answer(session=session, assessment_id=started.id, user=colleague,
                indicator_key=keys_of(session, started.id, 1)[0],
                data={"score": 5, "comment": "Imens", "version": version})
    confirm = _confirmation(started, version)
    response = started.client.post(f"/assessments/{started.id}/submit",
                                   data=form_values(confirm, f"/assessments/{started.id}/submit"))
    assert response.status_code == 409
    assert "Der er gemt ændringer" in response.text
    assert _status(session, started.id) == "draft"


def test_the_confirmation_of_an_incomplete_assessment_goes_back_to_the_list(started):
    response = started.client.get(f"/assessments/{started.id}/submit/confirm?version=1")
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{started.id}/submit"


def test_staff_and_other_members_cannot_open_the_confirmation(started, login, cast):
    url = f"/assessments/{started.id}/submit/confirm"
    assert login(cast.advisor).get(url).status_code == 403
    assert login(cast.bob).get(url).status_code == 404


def _submit_confirmed(started, session, cast):
    version = answer_everything(session, started.id, cast.alice)
    values = form_values(_confirmation(started, version), f"/assessments/{started.id}/submit")
    return started.client.post(f"/assessments/{started.id}/submit", data=values)


def test_submitting_mails_one_receipt_to_each_active_user_of_the_organisation(
        started, session, cast, colleague, factory, open_cycle):
    factory.user(Role.MEMBER, organisation=cast.org_a, email="gone@test.example", active=False)
    assert _submit_confirmed(started, session, cast).status_code == 303
    mails = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert sorted(m.recipient for m in mails) == sorted([cast.alice.email, colleague.email])
    receipt = next(m for m in mails if m.recipient == colleague.email)
    assert receipt.subject == (f"Kvittering: selvevaluering {open_cycle.year} for "
                               f"Alfa Opholdssted er indsendt")
    assert "Hej Carl Kollega" in receipt.body
    assert "Af: Alice Medlem (alice@test.example)" in receipt.body
    assert "Indsendt: " in receipt.body
    assert f"http://testserver/assessments/{started.id}/submitted" in receipt.body


def test_a_failing_receipt_never_undoes_the_submit(started, session, cast, monkeypatch):
    def broken(**_kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr("app.services.assessment.organisation_mail.send_mail", broken)
    response = _submit_confirmed(started, session, cast)
    assert response.status_code == 303
    assert _status(session, started.id) == "submitted"
    assert version_of(session, started.id) > 1
