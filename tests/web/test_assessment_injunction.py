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


def _saved_no(session, started, cast):
    from app.services.assessment.answers import save_injunction

    save_injunction(session=session, assessment_id=started.id, user=cast.alice,
                    data={"reported": False, "description": "Intet", "version": 1})


def test_a_yes_without_kind_and_description_is_refused_beside_each_field(
        started, session, cast):
    _saved_no(session, started, cast)
    url = f"/assessments/{started.id}/injunction"
    values = form_values(started.client.get(url).text, url)
    response = started.client.post(url, data={**values, "reported": "yes", "kind": "",
                                              "description": "  "})
    assert response.status_code == 422
    assert 'id="kind-error"' in response.text and 'id="description-error"' in response.text
    assert "Vælg, hvad det drejede sig om." in response.text
    assert 'id="reported-yes" name="reported" value="yes" checked' in response.text
    session.expire_all()
    kept = session.get(Assessment, started.id)
    assert (kept.injunction_reported, kept.injunction_description) == (False, "Intet")


def test_a_yes_with_a_kind_still_needs_a_description(started, session):
    url = f"/assessments/{started.id}/injunction"
    values = form_values(started.client.get(url).text, url)
    response = started.client.post(url, data={**values, "reported": "yes",
                                              "kind": "skaerpet_tilsyn"})
    assert response.status_code == 422
    assert 'id="description-error"' in response.text and 'id="kind-error"' not in response.text
    assert 'value="skaerpet_tilsyn" checked' in response.text
    session.expire_all()
    assert session.get(Assessment, started.id).injunction_reported is None


def _yes_saved_before_the_rule(session, started):
    """A "yes" without its details, as saved before they were required."""
    assessment = session.get(Assessment, started.id)
    assessment.injunction_reported, assessment.injunction_kind = True, ""
    assessment.injunction_description = ""
    session.add(assessment)
    session.commit()


def test_an_incomplete_yes_blocks_submitting_with_links_to_its_fields(started, session, cast):
    from tests.web.test_assessment_submit import answer_everything

    version = answer_everything(session, started.id, cast.alice)
    _yes_saved_before_the_rule(session, started)
    page = started.client.get(f"/assessments/{started.id}/submit").text
    assert "Alt er besvaret" not in page
    assert "Beretningen om påbud og skærpet tilsyn er ikke udfyldt helt" in page
    assert f'href="/assessments/{started.id}/injunction#kind"' in page
    assert f'href="/assessments/{started.id}/injunction#description"' in page
    response = started.client.post(f"/assessments/{started.id}/submit", data={
        "csrf_token": started.csrf, "version": str(version), "confirmed": "yes"})
    assert response.status_code == 422
    session.expire_all()
    assert session.get(Assessment, started.id).status == "draft"
    field = started.client.get(f"/assessments/{started.id}/injunction").text
    assert 'id="kind"' in field and 'id="kind-error"' in field
    assert 'id="description-error"' in field


def test_progress_counts_an_incomplete_yes_as_not_done(started, session, cast):
    from tests.web.test_assessment_submit import answer_everything

    answer_everything(session, started.id, cast.alice)
    _yes_saved_before_the_rule(session, started)
    home = started.client.get("/").text
    assert "Påbud og skærpet tilsyn skal ses på, før I kan indsende" in home
    assert f'href="/assessments/{started.id}/injunction">Fortsæt</a>' in home
    form = started.page(1).text
    assert 'class="step step--problems step--named"' in form
    assert "Påbud og skærpet tilsyn skal ses på" in form
