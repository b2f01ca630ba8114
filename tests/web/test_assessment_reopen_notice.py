"""Reopening mails every active user of the organisation who at LOS reopened the
self-assessment, when and why, with a link to the form, once the reopening is committed."""

import pytest
from sqlmodel import select

from app.models import Assessment, OutboxMessage
from app.models.vocabulary import Role
from tests.conftest import api_token, csrf_from
from tests.services.test_results import fill_in

REASON = "Indikator 1.a mangler en begrundelse"


@pytest.fixture
def submitted(session, cast, open_cycle):
    return fill_in(session, cast.org_a, open_cycle, {1: 4}, user=cast.alice)


def _reopen_on_the_web(login, cast, assessment, reason=REASON):
    advisor = login(cast.advisor)
    return advisor.post(f"/assessments/{assessment.id}/reopen",
                        data={"csrf_token": csrf_from(advisor, "/"), "reason": reason})


def _mails(session):
    session.expire_all()
    return session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_reopening_mails_each_active_user_of_the_organisation_who_when_why_and_a_link(
        login, session, cast, factory, submitted, open_cycle):
    colleague = factory.user(Role.MEMBER, organisation=cast.org_a, name="Carl Kollega")
    factory.user(Role.MEMBER, organisation=cast.org_a, email="gone@test.example", active=False)
    assert _reopen_on_the_web(login, cast, submitted).status_code == 303
    mails = _mails(session)
    assert sorted(m.recipient for m in mails) == sorted([cast.alice.email, colleague.email])
    notice = next(m for m in mails if m.recipient == colleague.email)
    assert notice.subject == (f"Selvevaluering {open_cycle.year} for Alfa Opholdssted er "
                              "genåbnet")
    assert "Hej Carl Kollega" in notice.body
    assert f"Af: {cast.advisor.name} ({cast.advisor.email})" in notice.body
    assert "Genåbnet: " in notice.body
    assert f"Begrundelse: {REASON}" in notice.body
    assert f"http://testserver/assessments/{submitted.id}/requirements/1" in notice.body


def test_reopening_through_the_api_mails_the_same(client, session, cast, submitted):
    response = client.post(f"/api/v1/assessments/{submitted.id}/reopen",
                           json={"reason": REASON}, headers=api_token(client, cast.advisor.email))
    assert response.status_code == 200
    assert {m.recipient for m in _mails(session)} == {cast.alice.email}


def test_a_refused_reopening_mails_nobody(login, session, cast, submitted):
    assert _reopen_on_the_web(login, cast, submitted, reason="  ").status_code == 422
    assert _mails(session) == []


def test_a_failing_mail_never_undoes_the_reopening(login, session, cast, submitted,
                                                   monkeypatch):
    def broken(**_kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr("app.services.assessment.organisation_mail.send_mail", broken)
    assert _reopen_on_the_web(login, cast, submitted).status_code == 303
    session.expire_all()
    assert session.get(Assessment, submitted.id).status == "reopened"
