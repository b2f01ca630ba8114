"""The injunction report step: saved, required, and kept from overwriting a colleague's."""

from app.models import Assessment
from tests.web.assessment_pages import form_values, version_of


def test_the_injunction_report_is_saved_and_leads_on_to_submitting(started, session):
    url = f"/assessments/{started.id}/injunction"
    values = form_values(started.client.get(url).text, url)
    response = started.client.post(url, data={**values, "reported": "yes", "kind": "paabud",
                                              "description": "Påbud om medicinhåndtering"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{started.id}/submit"
    session.expire_all()
    assessment = session.get(Assessment, started.id)
    assert assessment.injunction_reported is True
    assert assessment.injunction_kind == "paabud"
    assert assessment.injunction_description == "Påbud om medicinhåndtering"


def test_the_injunction_report_needs_a_yes_or_no(started, session):
    url = f"/assessments/{started.id}/injunction"
    values = form_values(started.client.get(url).text, url)
    response = started.client.post(url, data={**values, "description": "Noget"})
    assert response.status_code == 422
    assert 'id="reported-error"' in response.text
    assert "Noget" in response.text
    session.expire_all()
    assert session.get(Assessment, started.id).injunction_reported is None


def test_a_stale_injunction_report_shows_both_versions_and_overwrites_nothing(
        started, session, colleague):
    from app.services.assessment.answers import save_injunction

    url = f"/assessments/{started.id}/injunction"
    values = form_values(started.client.get(url).text, url)
    save_injunction(session=session, assessment_id=started.id, user=colleague,
                    data={"reported": True, "kind": "skaerpet_tilsyn",
                          "description": "Carls beskrivelse", "version": 1})
    response = started.client.post(url, data={**values, "reported": "no"})
    assert response.status_code == 409
    assert "Din version" in response.text and "Carls beskrivelse" in response.text
    assert "Skærpet tilsyn" in response.text
    session.expire_all()
    assert session.get(Assessment, started.id).injunction_kind == "skaerpet_tilsyn"
    keep = version_of(session, started.id)
    kept = started.client.post(url, data={**values, "reported": "no", "keep": str(keep)})
    assert kept.status_code == 303
    session.expire_all()
    assert session.get(Assessment, started.id).injunction_reported is False
