"""An assessment names the indicators in scope for it, so a client never has to guess."""

import pytest

from app.models.vocabulary import ServiceType
from app.services.assessment.view import indicators_in_scope
from tests.conftest import api_token, make_user


@pytest.fixture
def adult_service(session, factory):
    """A § 107 botilbud: some of the catalogue's indicators are only for children's services."""
    organisation = factory.organisation(service_type=ServiceType.MIDLERTIDIGT_BOTILBUD)
    return make_user(session, organisation=organisation)


@pytest.fixture
def started(client, adult_service, open_cycle):
    headers = api_token(client, adult_service.email)
    body = client.post("/api/v1/assessments", json={"cycle_id": open_cycle.id},
                       headers=headers).json()
    return headers, body["id"]


def test_an_assessment_lists_its_in_scope_indicators_in_catalogue_order(
        client, session, catalogue, started):
    headers, assessment_id = started
    body = client.get(f"/api/v1/assessments/{assessment_id}", headers=headers).json()
    expected = [i.key for i in indicators_in_scope(session, catalogue.id,
                                                   ServiceType.MIDLERTIDIGT_BOTILBUD)]
    every = [i.key for i in indicators_in_scope(session, catalogue.id, ServiceType.DOEGNTILBUD)]
    assert body["indicators"] == expected
    assert set(every) - set(expected), "the fixture should leave some indicators out of scope"


def test_submitting_names_only_the_indicators_in_scope(client, started):
    headers, assessment_id = started
    body = client.get(f"/api/v1/assessments/{assessment_id}", headers=headers).json()
    response = client.post(f"/api/v1/assessments/{assessment_id}/submit",
                           json={"version": body["version"]}, headers=headers)
    assert response.status_code == 422
    named = [p["indicator_id"] for p in response.json()["problems"]]
    assert named == body["indicators"]
    assert {e["loc"][-1] for e in response.json()["detail"]} == set(body["indicators"])


def test_an_out_of_scope_indicator_cannot_be_answered(client, session, catalogue, started):
    headers, assessment_id = started
    body = client.get(f"/api/v1/assessments/{assessment_id}", headers=headers).json()
    every = [i.key for i in indicators_in_scope(session, catalogue.id, ServiceType.DOEGNTILBUD)]
    outside = next(key for key in every if key not in body["indicators"])
    response = client.put(f"/api/v1/assessments/{assessment_id}/answers/{outside}",
                          json={"score": 4, "version": body["version"]}, headers=headers)
    # Not in this assessment: the path names nothing here, as for an unknown key.
    assert response.status_code == 404
    assert response.json()["detail"] == "Indikatoren findes ikke i denne selvevaluering."
