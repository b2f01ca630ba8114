"""A form post and an API call hand the service the same raw input and get the same words."""

import pytest

from app.models import Assessment
from app.models.vocabulary import AssessmentStatus
from tests.conftest import api_token, csrf_from
from tests.services.test_results import fill_in


@pytest.fixture
def submitted_assessment(session, cast, open_cycle):
    return fill_in(session, cast.org_a, open_cycle, {1: 4}, user=cast.alice)


@pytest.mark.parametrize("cycle_id", ["", "abc", "1.5"])
def test_starting_without_a_usable_round_says_so_in_the_form_and_the_api(
        login, client, cast, open_cycle, cycle_id):
    browser = login(cast.alice)
    page = browser.post("/assessments", data={"csrf_token": csrf_from(browser, "/"),
                                              "cycle_id": cycle_id})
    api = client.post("/api/v1/assessments", json={"cycle_id": cycle_id or None},
                      headers=api_token(client, cast.alice.email))
    assert page.status_code == api.status_code == 422
    assert "Vælg den runde, der skal besvares." in page.text
    assert api.json()["code"] == "invalid"
    # A number the API refuses is refused in the same words on the page.
    words = {item["msg"] for item in api.json()["detail"]}
    assert words and words <= {"Skal være et helt tal.", "Skal udfyldes."}


def test_submitting_a_form_without_its_version_is_refused_and_nothing_is_submitted(
        started, session):
    response = started.client.post(f"/assessments/{started.id}/submit",
                                   data={"csrf_token": started.csrf, "version": "x",
                                         "confirmed": "yes"})
    assert response.status_code == 422
    assert session.get(Assessment, started.id).status == AssessmentStatus.DRAFT


def test_a_blank_reopen_reason_gets_the_same_field_words_on_the_page_and_in_the_api(
        login, client, cast, submitted_assessment):
    advisor = login(cast.advisor)
    url = f"/assessments/{submitted_assessment.id}/reopen"
    page = advisor.post(url, data={"csrf_token": csrf_from(advisor, "/"), "reason": "   "})
    api = client.post(f"/api/v1{url}", json={"reason": "   "},
                      headers=api_token(client, cast.advisor.email))
    assert page.status_code == api.status_code == 422
    assert api.json()["detail"] == [{"loc": ["body", "reason"], "msg": "Skal udfyldes."}]
    assert "Skal udfyldes." in page.text


def _headings(html: str) -> set[str]:
    import re

    return {re.sub(r"\s+", " ", h).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)}


def test_the_form_the_report_and_the_submitted_answers_name_the_reflection_alike(
        login, session, cast, submitted_assessment):
    from app.services.assessment.submission import reopen

    reopen(session=session, assessment_id=submitted_assessment.id, user=cast.advisor,
           reason="Ret refleksionen")
    member = login(cast.alice)
    base = f"/assessments/{submitted_assessment.id}"
    form = member.get(f"{base}/requirements/1").text
    words = {"Det fungerer godt", "Det vil vi forbedre"}
    assert all(f">{word}<" in form for word in words)
    for page in (f"{base}/report", f"{base}/submitted"):
        html = member.get(page).text
        assert words <= _headings(html), page
        assert "Det virker" not in html, page
