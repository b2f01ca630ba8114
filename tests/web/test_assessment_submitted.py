"""The submitted answers, read-only and printable: every answer as it was submitted, for
the organisation's own members and for LOS staff, never for another member."""

from sqlmodel import select

from app.models import Indicator, Requirement
from app.services.assessment.answers import save_answer, save_injunction, save_reflection
from app.services.assessment.evidence import add_link_evidence
from app.services.assessment.submission import reopen, submit
from app.services.assessment.view import indicators_in_scope
from tests.services.test_results import fill_in


def _submitted(session, cast, open_cycle):
    """Alice's organisation: requirement 1 scored 2 with a justification, requirement 2 not
    relevant, a reflection and a link on requirement 1, and a reported påbud."""
    assessment = fill_in(session, cast.org_a, open_cycle, {1: 2, 2: None}, submitted=False,
                         user=cast.alice)
    first = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id,
        Requirement.number == 1)).one()
    assessment, _ = save_reflection(session=session, assessment_id=assessment.id,
                                    requirement_key=first.key, user=cast.alice,
                                    data={"what_works": "Morgenmøderne",
                                          "what_to_improve": "Skoleopfølgning",
                                          "version": assessment.version})
    add_link_evidence(session=session, assessment_id=assessment.id, requirement_key=first.key,
                      user=cast.alice, url="https://intra.example/skoleplan",
                      title="Skoleplan 2026")
    session.refresh(assessment)
    assessment = save_injunction(session=session, assessment_id=assessment.id, user=cast.alice,
                                 data={"reported": True, "kind": "paabud",
                                       "description": "Påbud om medicinhåndtering",
                                       "version": assessment.version})
    return submit(session=session, assessment_id=assessment.id, user=cast.alice,
                  version=assessment.version)


def test_the_submitted_answers_show_everything_with_when_and_by_whom(
        login, session, cast, open_cycle):
    assessment = _submitted(session, cast, open_cycle)
    page = login(cast.alice).get(f"/assessments/{assessment.id}/submitted")
    assert page.status_code == 200
    html = page.text
    assert "Indsendt af" in html and "Alice Medlem" in html
    for indicator in indicators_in_scope(session, assessment.catalogue_version_id,
                                         "doegntilbud"):
        assert f'<span class="answer__ref">{indicator.ref}</span>' in html
    assert "Begrundelse" in html and "Ikke relevant" in html
    assert "Morgenmøderne" in html and "Skoleopfølgning" in html
    assert '<a href="https://intra.example/skoleplan"' in html and "Skoleplan 2026" in html
    assert "Påbud om medicinhåndtering" in html
    for number in range(1, 11):
        assert f'id="submitted-req-{number}"' in html
    assert "<textarea" not in html and 'type="radio"' not in html
    assert 'href="/static/css/etik.css"' in html and "data-print" in html


def test_se_besvarelsen_on_the_home_page_opens_the_submitted_answers(
        login, session, cast, open_cycle):
    assessment = _submitted(session, cast, open_cycle)
    home = login(cast.alice).get("/").text
    assert f'href="/assessments/{assessment.id}/submitted">Se besvarelsen</a>' in home


def test_after_reopening_it_still_shows_what_was_submitted(login, session, cast, open_cycle):
    assessment = _submitted(session, cast, open_cycle)
    reopen(session=session, assessment_id=assessment.id, user=cast.advisor,
           reason="Fordring 1 mangler noter")
    key = session.exec(select(Indicator.key).where(
        Indicator.catalogue_version_id == assessment.catalogue_version_id)
        .order_by(Indicator.position)).first()
    session.refresh(assessment)
    save_answer(session=session, assessment_id=assessment.id, indicator_key=key,
                user=cast.alice, data={"score": 5, "comment": "Rettet bagefter",
                                       "version": assessment.version})
    html = login(cast.alice).get(f"/assessments/{assessment.id}/submitted").text
    assert "Rettet bagefter" not in html
    assert "LOS har genåbnet selvevalueringen" in html
    assert login(cast.alice).get(
        f"/assessments/{assessment.id}/submitted?revision=1").status_code == 200
    assert login(cast.alice).get(
        f"/assessments/{assessment.id}/submitted?revision=2").status_code == 404


def test_staff_see_the_submitted_answers_another_member_gets_404_the_board_403(
        login, session, cast, open_cycle):
    assessment = _submitted(session, cast, open_cycle)
    url = f"/assessments/{assessment.id}/submitted"
    assert login(cast.advisor).get(url).status_code == 200
    assert login(cast.admin).get(url).status_code == 200
    assert login(cast.bob).get(url).status_code == 404
    assert login(cast.board).get(url).status_code == 403


def test_before_submitting_the_page_says_it_is_not_submitted_yet(started):
    page = started.client.get(f"/assessments/{started.id}/submitted")
    assert page.status_code == 200
    assert "Selvevalueringen er ikke indsendt endnu." in page.text


def test_the_history_links_each_revision_to_its_answers(login, session, cast, open_cycle):
    assessment = _submitted(session, cast, open_cycle)
    html = login(cast.alice).get(f"/assessments/{assessment.id}/history").text
    assert f'href="/assessments/{assessment.id}/submitted?revision=1"' in html


def test_a_revision_submitted_before_evidence_was_kept_lists_the_evidence_of_then(
        login, session, cast, open_cycle):
    from app.models import AssessmentRevision

    assessment = _submitted(session, cast, open_cycle)
    revision = session.exec(select(AssessmentRevision)).one()
    revision.snapshot = {k: v for k, v in revision.snapshot.items() if k != "evidence"}
    session.add(revision)
    session.commit()
    html = login(cast.alice).get(f"/assessments/{assessment.id}/submitted").text
    assert '<a href="https://intra.example/skoleplan"' in html
