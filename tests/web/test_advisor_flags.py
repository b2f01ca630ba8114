"""The flagged members page: the list, its filters in the URL, htmx, and the exports."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.models import Organisation
from app.models.vocabulary import ServiceType
from tests.services.test_results import fill_in


@pytest.fixture
def flagged(session, cast, open_cycle):
    """Alfa scores requirement 6 low; Beta has not submitted; a school elsewhere is fine."""
    fill_in(session, cast.org_a, open_cycle, {6: 2}, user=cast.alice)
    return open_cycle


def test_the_advisor_sees_who_is_flagged_and_why(login, cast, flagged):
    html = login(cast.advisor).get("/advisor/flags").text
    assert "Medlemmer med flag" in html
    assert "Alfa Opholdssted" in html
    assert "Fordring 6 ligger på 2,0 (under 3)." in html
    assert f'href="/advisor/members/{cast.org_a.id}"' in html
    assert "Sådan sættes flag" in html


def test_a_reason_filter_in_the_url_narrows_the_list(login, cast, flagged):
    html = login(cast.advisor).get("/advisor/flags?reason=declined").text
    assert "Alfa Opholdssted" not in html
    assert "Ingen medlemmer har flag med dette filter." in html


def test_htmx_gets_only_the_results_block(login, cast, flagged):
    response = login(cast.advisor).get("/advisor/flags?reason=low_score",
                                       headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Alfa Opholdssted" in response.text
    assert "<form" not in response.text and "<html" not in response.text


def test_a_form_sent_without_javascript_with_empty_choices_shows_everything(
        login, cast, flagged):
    html = login(cast.advisor).get(
        f"/advisor/flags?cycle_id={flagged.id}&reason=&advisor=&service_type=&region=&size="
    ).text
    assert "Alfa Opholdssted" in html


def test_a_value_no_list_knows_is_refused_naming_the_filter(login, cast, flagged):
    response = login(cast.advisor).get("/advisor/flags?service_type=castle")
    assert response.status_code == 422
    assert "service_type" in response.text


def test_a_segment_filter_keeps_its_choice_in_the_form(login, cast, flagged):
    html = login(cast.advisor).get("/advisor/flags?service_type=kostskole").text
    assert '<option value="kostskole" selected>' in html
    assert "Alfa Opholdssted" not in html


def test_csv_and_excel_hold_exactly_the_filtered_rows(login, cast, session, flagged):
    school = Organisation(name="Gamma Skole", cvr="87654321", service_type=ServiceType.KOSTSKOLE,
                          region="hovedstaden", places=40)
    session.add(school)
    session.commit()
    fill_in(session, school, flagged, {6: 1})
    client = login(cast.advisor)
    csv = client.get("/advisor/flags.csv?service_type=kostskole")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Medlem;Alvor;Point;Årsager")
    assert len(lines) == 2 and lines[1].startswith("Gamma Skole;")
    xlsx = client.get("/advisor/flags.xlsx?service_type=kostskole")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Medlem", "Alvor", "Point")
    assert [row[0] for row in rows[1:]] == ["Gamma Skole"]
    assert isinstance(rows[1][2], int)


def test_the_page_is_in_english_when_asked(login, cast, flagged):
    client = login(cast.advisor)
    client.cookies.set("etik_lang", "en")
    html = client.get("/advisor/flags").text
    assert "Requirement 6 is at 2.0 (below 3)." in html


def test_past_the_deadline_every_unsubmitted_member_is_listed(login, cast, session, flagged):
    flagged.deadline = flagged.opens_on + timedelta(days=1)
    session.add(flagged)
    session.commit()
    html = login(cast.advisor).get("/advisor/flags?reason=missing_submission").text
    assert "Beta Bosted" in html and "Ikke indsendt; fristen var" in html
