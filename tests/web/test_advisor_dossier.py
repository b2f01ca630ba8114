"""The member dossier: scores year by year, the contact log, cases; internal to LOS."""

import pytest
from sqlmodel import select

from app.models import ContactEntry, SupportCase
from tests.conftest import csrf_from
from tests.services.test_results import fill_in, past_cycle


@pytest.fixture
def advisor(login, cast):
    return login(cast.advisor)


@pytest.fixture
def history(session, cast, catalogue, open_cycle):
    fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {6: 4})
    return fill_in(session, cast.org_a, open_cycle, {6: 2}, user=cast.alice)


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_from(client, "/"), **data})


def test_the_dossier_sets_every_cycle_side_by_side(advisor, cast, history, open_cycle):
    html = advisor.get(f"/advisor/members/{cast.org_a.id}").text
    assert "Alfa Opholdssted" in html
    assert f">{open_cycle.year - 1}</a>" in html and f">{open_cycle.year}</a>" in html
    assert "6. Kompetencer" in html
    assert "4,0" in html and "2,0" in html
    assert "Alice Medlem" in html  # whom to contact
    assert f'href="/assessments/{history.id}/report"' in html  # comments and evidence
    assert f'href="/assessments/{history.id}/history#reopen-heading"' in html


def test_a_contact_is_logged_and_shown_newest_first(advisor, cast, session, history):
    base = f"/advisor/members/{cast.org_a.id}"
    response = _post(advisor, f"{base}/contacts", kind="call", happened_on="2026-11-20",
                     note="Talte om medicinhåndtering.", next_step="Møde i januar")
    assert response.status_code == 303
    assert response.headers["location"] == f"{base}?saved=contact#contacts"
    html = advisor.get(f"{base}?saved=contact").text
    assert "Kontakten er skrevet i loggen." in html
    assert "Talte om medicinhåndtering." in html and "Møde i januar" in html
    entry = session.exec(select(ContactEntry)).one()
    assert entry.by_id == cast.advisor.id and entry.by_name == "Anders Konsulent"


def test_a_contact_without_a_note_is_refused_and_keeps_what_was_typed(advisor, cast, session,
                                                                     history):
    response = _post(advisor, f"/advisor/members/{cast.org_a.id}/contacts", kind="meeting",
                     happened_on="2026-11-20", note="  ", next_step="Ring tilbage")
    assert response.status_code == 422
    assert "Kontakten blev ikke gemt." in response.text
    assert 'value="Ring tilbage"' in response.text
    assert session.exec(select(ContactEntry)).all() == []


def test_a_case_is_opened_then_closed_only_with_an_outcome(advisor, cast, session, history):
    base = f"/advisor/members/{cast.org_a.id}"
    assert _post(advisor, f"{base}/cases", reason="Påbud om medicin",
                 injunction_kind="paabud", next_contact_on="2026-12-15").status_code == 303
    case = session.exec(select(SupportCase)).one()
    assert case.injunction_kind == "paabud" and case.status == "open"
    refused = _post(advisor, f"{base}/cases/{case.id}", status="closed", outcome="",
                    version=str(case.version), next_contact_on="")
    assert refused.status_code == 422
    assert "Skriv, hvordan sagen endte, når den lukkes." in refused.text
    closed = _post(advisor, f"{base}/cases/{case.id}", status="closed", next_contact_on="",
                   outcome="Påbuddet er efterlevet.", version=str(case.version))
    assert closed.status_code == 303
    session.refresh(case)
    assert case.status == "closed" and case.closed_on is not None and case.version == 2


def test_a_stale_case_form_overwrites_nothing_and_says_so(advisor, cast, session, history):
    base = f"/advisor/members/{cast.org_a.id}"
    _post(advisor, f"{base}/cases", reason="Opfølgning")
    case = session.exec(select(SupportCase)).one()
    assert _post(advisor, f"{base}/cases/{case.id}", status="monitoring", outcome="",
                 version="1", next_contact_on="").status_code == 303
    stale = _post(advisor, f"{base}/cases/{case.id}", status="open", outcome="Gammel",
                  version="1", next_contact_on="")
    assert stale.status_code == 409
    assert "En anden har ændret sagen" in stale.text
    session.refresh(case)
    assert case.status == "monitoring" and case.outcome == ""


def test_a_case_of_another_member_is_not_found(advisor, cast, session, history):
    _post(advisor, f"/advisor/members/{cast.org_b.id}/cases", reason="Beta")
    case = session.exec(select(SupportCase)).one()
    response = _post(advisor, f"/advisor/members/{cast.org_a.id}/cases/{case.id}",
                     status="open", version="1", outcome="", next_contact_on="")
    assert response.status_code == 404


def test_members_never_see_the_contact_log_or_cases(advisor, login, cast, history):
    base = f"/advisor/members/{cast.org_a.id}"
    _post(advisor, f"{base}/contacts", kind="email", happened_on="2026-11-20",
          note="Intern note om ledelsen")
    _post(advisor, f"{base}/cases", reason="Intern sag om ledelsen")
    alice = login(cast.alice)
    assert alice.get(base).status_code == 403
    for path in ("/", f"/assessments/{history.id}/results", f"/assessments/{history.id}/report",
                 f"/assessments/{history.id}/submit"):
        page = alice.get(path).text
        assert "Intern note" not in page and "Intern sag" not in page, path


def test_an_action_is_planned_from_a_case_and_linked_to_it(advisor, cast, session, history):
    from app.models import Action

    base = f"/advisor/members/{cast.org_a.id}"
    _post(advisor, f"{base}/cases", reason="Påbud om medicin")
    case = session.exec(select(SupportCase)).one()
    html = advisor.get(f"{base}?case={case.id}").text
    assert f'<option value="{case.id}" selected>' in html
    response = _post(advisor, f"{base}/actions", title="Ny medicininstruks",
                     requirement_id="efk.sundhed", owner_email="alice@test.example",
                     due_on="", case_id=str(case.id))
    assert response.status_code == 303
    action = session.exec(select(Action).where(Action.title == "Ny medicininstruks")).one()
    assert action.case_id == case.id and action.requirement_id is not None
    assert "Ny medicininstruks" in advisor.get(base).text


def test_an_action_without_a_title_is_refused_and_keeps_the_rest(advisor, cast, history):
    response = _post(advisor, f"/advisor/members/{cast.org_a.id}/actions", title="",
                     owner_email="alice@test.example", due_on="", requirement_id="", case_id="")
    assert response.status_code == 422
    assert '<option value="alice@test.example" selected>Alice Medlem</option>' in response.text


def test_a_member_cannot_link_an_action_to_a_case(client, cast, session, history):
    from tests.conftest import api_token

    case = SupportCase(organisation_id=cast.org_a.id, opened_on=history.created_at.date(),
                       reason="Intern")
    session.add(case)
    session.commit()
    response = client.post("/api/v1/actions", json={
        "organisation_id": cast.org_a.id, "title": "Forsøg", "case_id": case.id},
        headers=api_token(client, cast.alice.email))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "case_id"]


def _inspection(session, organisation, visited_on, themes):
    from datetime import date

    from app.services.inspections import record_inspection

    return record_inspection(session=session, user=None, organisation_id=organisation.id,
                             today=date(2030, 1, 1), data={
                                 "visited_on": visited_on, "authority": "syd",
                                 "kind": "announced", "framework_version": "2017",
                                 "themes": [{"theme_id": t, "score": s}
                                            for t, s in themes.items()]})


def test_the_dossier_sets_the_self_assessment_beside_the_inspections_year_by_year(
        advisor, cast, session, catalogue, open_cycle):
    from datetime import date

    year = open_cycle.year
    fill_in(session, cast.org_a, past_cycle(session, catalogue, 2), {4: 5})
    fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {4: 4})
    _inspection(session, cast.org_a, date(year - 2, 3, 1), {"km.tema.sundhed-trivsel": 3.0})
    _inspection(session, cast.org_a, date(year - 1, 9, 1), {"km.tema.sundhed-trivsel": 3.5})
    html = advisor.get(f"/advisor/members/{cast.org_a.id}").text
    section = html.split('id="calibration-history"')[1].split("</section>")[0]
    table = section.split("<tbody>")[1]
    health = table.split("4. Sundhed og trivsel")[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in health.split("<td")[1:]]
    # Self and official in each year, then the gap in the first and the latest year.
    assert [c.split(">", 1)[1].split(" <")[0] for c in cells[:4]] == ["5,0", "3,0", "4,0",
                                                                       "3,5"]
    assert "+2,0 → +0,5" in cells[4] and "mindre forskel" in cells[4]
    competences = table.split("6. Kompetencer")[1].split("</tr>")[0]
    assert "Ikke vurderet af Socialtilsynet endnu" in competences
    assert 'data-figure="calibration-history-figure"' in section
    assert "/static/vendor/plotly.min.js" in html


def test_without_inspections_the_dossier_draws_no_chart_but_lists_the_years(
        advisor, cast, history):
    html = advisor.get(f"/advisor/members/{cast.org_a.id}").text
    section = html.split('id="calibration-history"')[1].split("</section>")[0]
    assert "Ikke vurderet af Socialtilsynet endnu" in section
    assert "calibration-history-figure" not in html and "plotly" not in html
