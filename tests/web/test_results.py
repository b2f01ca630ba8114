"""The results page and the printable report: chart data, table, gaps, draft notice, access."""

import json
import re

import pytest

from app.models import Action
from app.services.assessment.answers import save_injunction, save_reflection
from app.services.assessment.submission import reopen
from tests.conftest import make_organisation
from tests.services.test_results import fill_in, past_cycle, peers

DATA_BLOCK = re.compile(r'<script type="application/json" id="radar-figure">(.*?)</script>', re.S)


@pytest.fixture
def submitted(session, cast, open_cycle):
    """Alice's submitted assessment: requirement 1 low (a gap), 2 all "not relevant"."""
    return fill_in(session, cast.org_a, open_cycle, {1: 2, 2: None, 3: 3}, user=cast.alice)


def figure_of(html: str) -> dict:
    match = DATA_BLOCK.search(html)
    assert match, "no figure data block"
    return json.loads(match.group(1))


def test_the_member_sees_the_radar_data_the_table_and_the_gaps(login, cast, submitted):
    response = login(cast.alice).get(f"/assessments/{submitted.id}/results")
    assert response.status_code == 200
    html = response.text
    traces = figure_of(html)["data"]
    assert [t["type"] for t in traces] == ["scatterpolar", "scatterpolar"]  # threshold, own
    own = traces[1]
    assert own["r"][:3] == [2.0, None, 3.0] and own["r"][-1] == own["r"][0]  # closed line
    assert 'data-figure="radar-figure"' in html
    assert "Tallene bag diagrammet" in html
    assert 'id="gap-1"' in html and 'id="gap-3"' not in html
    assert "1 fordring under 3" in html
    assert "Gælder ikke jer" not in html and "Ingen score" in html  # 2 is "not relevant"


def test_the_page_needs_no_inline_script_or_style(login, cast, submitted):
    html = login(cast.alice).get(f"/assessments/{submitted.id}/results").text
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert scripts == [' type="application/json" id="radar-figure"']
    assert " style=" not in html and " onclick=" not in html
    assert '<script src="/static/vendor/plotly.min.js" defer></script>' in html
    assert html.index("/static/js/charts.js") < html.index("/static/vendor/plotly.min.js")


def test_a_draft_shows_the_scores_so_far_with_a_notice(login, cast, session, open_cycle):
    draft = fill_in(session, cast.org_a, open_cycle, {1: 2}, submitted=False, user=cast.alice)
    html = login(cast.alice).get(f"/assessments/{draft.id}/results").text
    assert "Selvevalueringen er ikke indsendt endnu." in html
    assert figure_of(html)["data"][1]["r"][0] == 2.0


def test_last_year_and_a_decline_are_shown(login, cast, session, catalogue, open_cycle):
    last = past_cycle(session, catalogue, 1)
    fill_in(session, cast.org_a, last, {1: 4})
    current = fill_in(session, cast.org_a, open_cycle, {1: 2}, user=cast.alice)
    html = login(cast.alice).get(f"/assessments/{current.id}/results").text
    names = [t["name"] for t in figure_of(html)["data"]]
    assert f"Sidste gang ({last.year})" in names
    assert "Faldet" in html and "−2,0" in html
    assert f"1 fordring er faldet siden {last.year}" in html


def test_the_peer_median_shows_from_five_peers(login, cast, session, open_cycle, submitted):
    peers(session, open_cycle, [1, 2, 3, 4])
    html = login(cast.alice).get(f"/assessments/{submitted.id}/results").text
    assert len(figure_of(html)["data"]) == 2
    assert "Skjult" in html and "mindst 5" in html
    peers(session, open_cycle, [5])
    html = login(cast.alice).get(f"/assessments/{submitted.id}/results").text
    peer_line = figure_of(html)["data"][2]
    assert peer_line["name"] == "Median for tilbud af samme type"
    assert peer_line["r"][0] == 3.0
    assert "Skjult" not in html


@pytest.mark.parametrize(("role", "status"), [("member", 200), ("advisor", 200),
                                              ("admin", 200), ("other_member", 404),
                                              ("board", 403)])
@pytest.mark.parametrize("page", ["results", "report"])
def test_who_may_see_the_results_and_the_report(login, cast, submitted, role, status, page):
    response = login(cast.by_role(role)).get(f"/assessments/{submitted.id}/{page}")
    assert response.status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(login, submitted):
    response = login(None).get(f"/assessments/{submitted.id}/results")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_the_report_holds_the_whole_assessment(login, cast, session, open_cycle):
    assessment = fill_in(session, cast.org_a, open_cycle, {1: 1}, submitted=False,
                         user=cast.alice)
    first_key = assessment_requirement_key(session, assessment, 1)
    assessment, _ = save_reflection(session=session, assessment_id=assessment.id,
                                    requirement_key=first_key, user=cast.alice,
                                    data={"what_works": "Morgenmøderne",
                                          "what_to_improve": "Skoleopfølgning",
                                          "version": assessment.version})
    save_injunction(session=session, assessment_id=assessment.id, user=cast.alice,
                    data={"reported": True, "kind": "paabud",
                          "description": "Påbud om magtanvendelse", "version": assessment.version})
    session.add(Action(organisation_id=cast.org_a.id, title="Plan for skolegang"))
    session.commit()
    html = login(cast.alice).get(f"/assessments/{assessment.id}/report").text
    for number in range(1, 11):
        assert f'id="report-req-{number}"' in html
    assert html.count('class="answer__ref"') == assessment.in_scope_count
    assert "Begrundelse" in html  # the comment of every low score
    assert "Morgenmøderne" in html and "Skoleopfølgning" in html
    assert "Påbud om magtanvendelse" in html
    assert "Plan for skolegang" in html
    assert '<button type="button" class="button button--primary" data-print hidden>' in html
    assert "onclick" not in html


def test_the_report_names_an_unconfirmed_carry_over(login, cast, session, catalogue,
                                                    open_cycle):
    from app.services.assessment.carry_over import carry_over_last_year
    from app.services.assessment.start import start_assessment

    fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {1: 4})
    current, _ = start_assessment(session=session, user=cast.alice, cycle_id=open_cycle.id,
                                  today=open_cycle.opens_on)
    carry_over_last_year(session=session, assessment_id=current.id, user=cast.alice)
    html = login(cast.alice).get(f"/assessments/{current.id}/report").text
    assert "Fra sidste år, ikke bekræftet" in html


def test_a_reopened_assessment_shows_the_draft_notice(login, cast, session, submitted):
    reopen(session=session, assessment_id=submitted.id, user=cast.advisor, reason="Ret 1.a")
    html = login(cast.advisor).get(f"/assessments/{submitted.id}/results").text
    assert "Selvevalueringen er ikke indsendt endnu." in html


def test_peers_of_another_organisation_never_appear_by_name(login, cast, session, open_cycle,
                                                             submitted):
    for n in range(5):
        fill_in(session, make_organisation(session, name=f"Hemmelig {n}"), open_cycle, {1: 5})
    html = login(cast.alice).get(f"/assessments/{submitted.id}/results").text
    assert "Hemmelig" not in html


def assessment_requirement_key(session, assessment, number: int) -> str:
    from sqlmodel import select

    from app.models import Requirement

    return session.exec(select(Requirement.key).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id,
        Requirement.number == number)).one()
