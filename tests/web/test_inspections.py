"""The inspection pages: recording through the form without JavaScript, refusals at their
field with nothing typed lost, corrections against a stale version, and the results page's
comparison."""

from datetime import date

from app.services.inspections import list_inspections, record_inspection
from tests.services.test_results import fill_in

THEME_4 = "km.tema.sundhed-trivsel"
THEME_6 = "km.tema.kompetencer"


def _form(**changes) -> dict:
    return {"visited_on": "2026-02-10", "authority": "nord", "kind": "announced",
            "framework_version": "2017", f"score-{THEME_4}": "4,2", f"score-{THEME_6}": "",
            "sanction_rows": "2", "sanction-0-kind": "paabud",
            "sanction-0-description": "Dokumentation af magtanvendelse",
            "sanction-0-deadline": "2026-05-01", "sanction-1-kind": "",
            "sanction-1-description": "", "sanction-1-deadline": "", "note": ""} | changes


def _post(client, url, data):
    page = client.get(url)
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    return client.post(url, data=data | {"csrf_token": token})


def test_a_member_records_an_inspection_with_the_form(login, cast, catalogue, session):
    client = login(cast.alice)
    base = f"/organisations/{cast.org_a.id}/inspections"
    response = _post(client, f"{base}/new", _form())
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{base}?saved=1"
    [saved] = list_inspections(session=session, user=cast.alice, organisation_id=cast.org_a.id)
    assert saved.themes == {THEME_4: 4.2}
    assert [(s.kind, s.deadline) for s in saved.sanctions] == [("paabud", date(2026, 5, 1))]
    page = client.get(f"{base}?saved=1")
    assert "Tilsynet er gemt." in page.text and "4,2" in page.text
    assert "Dokumentation af magtanvendelse" in page.text


def test_a_bad_score_is_shown_at_its_theme_and_nothing_typed_is_lost(login, cast, catalogue,
                                                                    session):
    client = login(cast.alice)
    response = _post(client, f"/organisations/{cast.org_a.id}/inspections/new",
                     _form(**{f"score-{THEME_6}": "7", "sanction-0-deadline": ""}))
    assert response.status_code == 422
    html = response.text
    field = html.split(f'id="score-{THEME_6}-error"')[1][:200]
    assert "5" in field  # the score's bound, said at that theme
    assert 'id="sanction-0-deadline-error"' in html  # the order without its deadline
    assert 'value="4,2"' in html and 'value="2026-02-10"' in html
    assert "Dokumentation af magtanvendelse" in html
    assert list_inspections(session=session, user=cast.alice,
                            organisation_id=cast.org_a.id) == []


def test_a_correction_from_a_stale_form_is_refused_and_keeps_what_was_typed(login, cast,
                                                                           catalogue, session):
    record = record_inspection(session=session, user=cast.alice, organisation_id=cast.org_a.id,
                               today=date.today(), data={
                                   "visited_on": date(2026, 1, 5), "authority": "nord",
                                   "kind": "desk", "framework_version": "2017",
                                   "themes": [{"theme_id": THEME_4, "score": 3}]})
    client = login(cast.alice)
    url = f"/organisations/{cast.org_a.id}/inspections/{record.inspection.id}"
    assert _post(client, url, _form(version="1")).status_code == 303
    stale = _post(client, url, _form(version="1", **{f"score-{THEME_4}": "2,5"}))
    assert stale.status_code == 409
    assert "En anden har rettet tilsynet" in stale.text
    assert 'value="2,5"' in stale.text
    [saved] = list_inspections(session=session, user=cast.alice, organisation_id=cast.org_a.id)
    assert saved.themes == {THEME_4: 4.2}


def test_another_member_never_sees_the_inspection_pages(login, cast, catalogue):
    client = login(cast.bob)
    assert client.get(f"/organisations/{cast.org_a.id}/inspections").status_code == 404
    assert client.get(f"/organisations/{cast.org_a.id}/inspections/new").status_code == 404


def test_the_results_page_sets_self_beside_official_and_says_what_is_missing(
        login, cast, catalogue, open_cycle, session):
    assessment = fill_in(session, cast.org_a, open_cycle, {4: 5, 6: 3}, user=cast.alice)
    record_inspection(session=session, user=cast.alice, organisation_id=cast.org_a.id,
                      today=date.today(), data={
                          "visited_on": date(2025, 6, 1), "authority": "nord",
                          "kind": "announced", "framework_version": "2017",
                          "themes": [{"theme_id": THEME_4, "score": 3.5}]})
    html = login(cast.alice).get(f"/assessments/{assessment.id}/results").text
    section = html.split('id="calibration"')[1].split("</section>")[0]
    assert "Sundhed og trivsel" in section and "+1,5" in section
    assert "Ikke vurderet endnu" in section  # competences: no inspection scored it
    assert "Fordring 8, 9, 10 hører ikke til et tema" in section


def test_without_inspections_the_results_page_invites_to_enter_them(login, cast, catalogue,
                                                                    open_cycle, session):
    assessment = fill_in(session, cast.org_a, open_cycle, user=cast.alice)
    html = login(cast.alice).get(f"/assessments/{assessment.id}/results").text
    section = html.split('id="calibration"')[1].split("</section>")[0]
    assert "Der er ingen score fra Socialtilsynet at sammenligne med endnu." in section
    assert f'href="/organisations/{cast.org_a.id}/inspections"' in section
