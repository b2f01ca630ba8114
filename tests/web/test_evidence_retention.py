"""Evidence whose file went after the retention period: the pages say so, never a broken
link; the download, the API and the data export agree."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.clock import today
from app.models import Evidence, Requirement
from app.services.assessment.answers import save_answer
from app.services.assessment.evidence import add_file_evidence
from app.services.assessment.start import start_assessment
from app.services.assessment.submission import submit
from app.services.assessment.view import indicators_in_scope
from app.services.retention import apply_retention
from tests.conftest import api_token
from tests.services.test_file_types import MINIMAL_PDF

REMOVED = "Filen er slettet efter opbevaringsperioden"


@pytest.fixture
def expired(session, settings, cast, open_cycle, catalogue):
    """Alice's submitted assessment with a file uploaded long ago, removed by retention."""
    assessment, _ = start_assessment(session=session, user=cast.alice, cycle_id=open_cycle.id,
                                     today=today())
    requirement = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == catalogue.id).order_by(Requirement.number)).first()
    evidence = add_file_evidence(session=session, settings=settings,
                                 assessment_id=assessment.id, requirement_key=requirement.key,
                                 user=cast.alice, filename="magtpolitik.pdf",
                                 content=MINIMAL_PDF, title="Magtpolitik 2019")
    for indicator in indicators_in_scope(session, catalogue.id, "doegntilbud"):
        assessment, _ = save_answer(session=session, assessment_id=assessment.id,
                                    indicator_key=indicator.key, user=cast.alice,
                                    data={"score": 4, "version": assessment.version})
    submit(session=session, assessment_id=assessment.id, user=cast.alice,
           version=assessment.version)
    evidence.created_at -= timedelta(days=settings.evidence_retention_days + 1)
    session.add(evidence)
    session.commit()
    assert len(apply_retention(session=session, settings=settings).files) == 1
    return assessment, requirement, evidence


def test_the_requirement_page_says_the_file_went_instead_of_linking_to_it(login, cast, expired):
    assessment, requirement, evidence = expired
    page = login(cast.alice).get(
        f"/assessments/{assessment.id}/requirements/{requirement.number}").text
    assert "Magtpolitik 2019" in page and REMOVED in page
    assert f"/evidence/{evidence.id}/download" not in page


def test_the_submitted_answers_say_the_file_went(login, cast, expired):
    assessment, _, evidence = expired
    page = login(cast.alice).get(f"/assessments/{assessment.id}/submitted").text
    assert "Magtpolitik 2019" in page and REMOVED in page
    assert f"/evidence/{evidence.id}/download" not in page


def test_the_download_is_not_found_and_says_why(login, cast, expired):
    _, _, evidence = expired
    response = login(cast.alice).get(f"/evidence/{evidence.id}/download")
    assert response.status_code == 404
    assert REMOVED in response.text


def test_the_api_lists_it_without_a_download(client, cast, expired):
    assessment, _, evidence = expired
    headers = api_token(client, "alice@test.example")
    (item,) = client.get(f"/api/v1/assessments/{assessment.id}/evidence", headers=headers).json()
    assert item["download_url"] is None and item["file_removed_at"]
    assert client.get(f"/api/v1/evidence/{evidence.id}", headers=headers).status_code == 404


def test_the_data_export_keeps_the_row_without_the_file(login, cast, expired, session):
    import io
    import json
    import zipfile

    response = login(cast.alice).get(f"/organisations/{cast.org_a.id}/data.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    (item,) = json.loads(archive.read("data.json"))["assessments"][0]["evidence"]
    assert item["file"] is None and item["file_removed_at"]
    assert archive.namelist() == ["data.json"]
    assert session.exec(select(Evidence)).one().file_removed_at is not None
