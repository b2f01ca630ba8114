"""Schemathesis against the app's own /openapi.json, as each role, over HTTP to a served
etik: no 5xx, every status and content type documented, responses as declared, and no
request the schema calls valid refused (with the exceptions named below).

A bounded number of examples per operation keeps it part of `make test`. An open cycle
and a started assessment exist, so requests reach past the loaders, not only 404s.
"""

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from app.config import Settings
from app.main import create_app
from tests.browser.live import serve
from tests.conftest import api_token

EXAMPLES = 8
ROLES = ("member", "advisor", "board", "admin")
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance]
# "No valid request refused": a request the schema calls valid gets no 4xx beyond 401, 403,
# 404, 409 and 429. The schemas say every rule JSON Schema can say (lengths, ranges,
# patterns, a case closed needs an outcome); these operations keep rules it cannot.
REFUSES_VALID_BY_SCHEMA = {
    "POST /api/v1/actions": "the deadline may not be before today; the assessment, case "
                            "and requirement named must be the organisation's",
    "POST /api/v1/assessments/{assessment_id}/evidence": "a file or a link, one of them",
    "POST /api/v1/organisations/{organisation_id}/contacts": "case_id must be one of the "
                                                             "member's own cases",
    "GET /api/v1/aggregates": "`value` needs `segment` (OpenAPI cannot tie two query "
                              "parameters)",
    "GET /api/v1/aggregates/trend": "with `segment`, `value` is needed (the same)",
    "POST /api/v1/reference-figures": "`theme_key` must be a theme of the stored quality "
                                      "model (data, not schema)",
    "POST /api/v1/organisations/{organisation_id}/inspections": "the themes must be in the "
        "stored quality model version named, and the visit between 2014 and today (data)",
    "PUT /api/v1/organisations/{organisation_id}/inspections/{inspection_id}": "the same",
    "PUT /api/v1/organisations/{organisation_id}/inspections/{inspection_id}/report": "the "
        "file must be a PDF by content, and within the upload limit (data, not schema)",
    "GET /api/v1/calibration": "`cycle_id` must be a stored cycle (data, not schema)",
    "GET /api/v1/calibration/history": "staff must name a stored member; a member only "
                                        "its own (data, not schema)",
}


def _openapi() -> dict:
    # The document only: this app never opens its (in-memory) database.
    return create_app(Settings(env="test", database_url="sqlite://",
                               secret_key="fuzzing")).openapi()


schema = schemathesis.openapi.from_dict(_openapi())


@pytest.fixture
def live(settings, engine) -> Iterator[str]:
    with serve(settings, engine) as server:
        yield server.url


@pytest.fixture
def tokens(client, cast, open_cycle, session, catalogue) -> dict[str, dict]:
    """Tokens per role, and something to find: an assessment, a PDF in it, an action."""
    from sqlmodel import select

    from app.models import Requirement
    from tests.services.test_file_types import MINIMAL_PDF

    member = api_token(client, cast.alice.email)
    started = client.post("/api/v1/assessments", json={"cycle_id": open_cycle.id},
                          headers=member)
    assert started.status_code == 201, started.text
    key = session.exec(select(Requirement.key).where(
        Requirement.catalogue_version_id == catalogue.id, Requirement.number == 1)).one()
    uploaded = client.post(f"/api/v1/assessments/{started.json()['id']}/evidence",
                           headers=member, data={"requirement_id": key},
                           files={"file": ("politik.pdf", MINIMAL_PDF, "application/pdf")})
    assert uploaded.status_code == 201, uploaded.text
    action = client.post("/api/v1/actions", headers=member, json={
        "organisation_id": cast.org_a.id, "title": "Ny procedure"})
    assert action.status_code == 201, action.text
    return {role: api_token(client, cast.by_role(role).email) for role in ROLES}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request_as_documented(case, live, tokens):
    wanted = CHECKS if case.operation.label in REFUSES_VALID_BY_SCHEMA else [
        *CHECKS, checks.positive_data_acceptance]
    for role in ROLES:
        case.call_and_validate(base_url=live, headers=tokens[role], checks=wanted)


def test_every_exception_names_an_operation_that_exists():
    labels = {operation.label for operation in schema.get_all_operations()
              if hasattr(operation, "label")}
    labels |= {result.ok().label for result in schema.get_all_operations()
               if hasattr(result, "ok")}
    assert set(REFUSES_VALID_BY_SCHEMA) <= labels
