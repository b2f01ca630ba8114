"""A reopened self-assessment: the member's home says who at LOS reopened it, when and why."""

from app.services.assessment.submission import reopen
from tests.services.test_results import fill_in


def test_the_home_page_says_who_reopened_when_and_why(login, cast, session, open_cycle):
    assessment = fill_in(session, cast.org_a, open_cycle, user=cast.alice)
    reopen(session=session, assessment_id=assessment.id, user=cast.advisor,
           reason="Indikator 1.a mangler en begrundelse")
    html = login(cast.alice).get("/").text
    assert "Anders Konsulent fra LOS genåbnede selvevalueringen" in html
    assert "Indikator 1.a mangler en begrundelse" in html


def test_a_submitted_assessment_shows_no_reopening(login, cast, session, open_cycle):
    fill_in(session, cast.org_a, open_cycle, user=cast.alice)
    assert "genåbnede" not in login(cast.alice).get("/").text
