"""All of an organisation's data as a ZIP: the JSON document and the evidence files, for
its own members (from the home page) and for admins (from the organisation page)."""

import io
import json
import zipfile

import pytest
from sqlmodel import select

from app.clock import today
from app.models import AuditEntry, Requirement
from app.services.actions import create_action, update_action
from app.services.assessment.answers import save_answer, save_reflection
from app.services.assessment.evidence import add_file_evidence
from app.services.assessment.start import start_assessment
from app.services.assessment.view import indicators_in_scope
from tests.services.test_file_types import MINIMAL_PDF


@pytest.fixture
def filled(session, settings, cast, open_cycle, catalogue):
    """Alice's organisation has an assessment with an answer, a reflection, a file and an
    action with a comment; Bob's has an assessment of its own."""
    assessment, _ = start_assessment(session=session, user=cast.alice, cycle_id=open_cycle.id,
                                     today=today())
    indicator = indicators_in_scope(session, catalogue.id, "doegntilbud")[0]
    assessment, _ = save_answer(session=session, assessment_id=assessment.id,
                                indicator_key=indicator.key, user=cast.alice,
                                data={"score": 2, "comment": "Vi mangler en politik",
                                      "version": assessment.version})
    evidence = add_file_evidence(session=session, settings=settings,
                                 assessment_id=assessment.id,
                                 requirement_key=_requirement_key(session, indicator),
                                 user=cast.alice, filename="magtpolitik.pdf",
                                 content=MINIMAL_PDF, title="Magtpolitik")
    save_reflection(session=session, user=cast.alice, assessment_id=assessment.id,
                    requirement_key=_requirement_key(session, indicator),
                    data={"what_works": "Gode møder", "what_to_improve": "Skriftlighed",
                          "version": session.get(type(assessment), assessment.id).version})
    action = create_action(session=session, user=cast.advisor, today=today(), data={
        "organisation_id": cast.org_a.id, "title": "Skriv magtpolitikken",
        "owner_email": "alice@test.example"})
    update_action(session=session, user=cast.alice, action_id=action.id,
                  data={"comment": "Vi er i gang", "version": action.version})
    start_assessment(session=session, user=cast.bob, cycle_id=open_cycle.id, today=today())
    return assessment, evidence


def _requirement_key(session, indicator) -> str:
    return session.get(Requirement, indicator.requirement_id).key


def _archive(response) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("data.json")), archive


def test_the_member_home_links_to_all_of_the_organisations_data(login, cast):
    page = login(cast.alice).get("/").text
    assert f'href="/organisations/{cast.org_a.id}/data.zip"' in page
    assert "Hent alle jeres data" in page


def test_a_member_downloads_the_organisations_data_and_files(login, cast, filled):
    assessment, _ = filled
    response = login(cast.alice).get(f"/organisations/{cast.org_a.id}/data.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and f"etik-data-{cast.org_a.cvr}-" in disposition
    document, archive = _archive(response)
    assert document["organisation"]["name"] == "Alfa Opholdssted"
    (exported,) = document["assessments"]
    assert exported["id"] == assessment.id
    assert exported["answers"][0]["comment"] == "Vi mangler en politik"
    assert exported["reflections"][0]["what_to_improve"] == "Skriftlighed"
    assert exported["requirement_scores"]
    assert "supervision_report" in exported and "revisions" in exported
    (item,) = exported["evidence"]
    assert item["title"] == "Magtpolitik" and item["file"].endswith("magtpolitik.pdf")
    assert archive.read(item["file"]) == MINIMAL_PDF
    (action,) = document["actions"]
    assert action["title"] == "Skriv magtpolitikken"
    assert [c["text"] for c in action["comments"]] == ["Vi er i gang"]


def test_the_export_holds_no_password_hashes_tokens_or_other_organisations(login, cast, filled):
    response = login(cast.alice).get(f"/organisations/{cast.org_a.id}/data.zip")
    document, archive = _archive(response)
    assert [u["email"] for u in document["users"]] == ["alice@test.example"]
    text = archive.read("data.json").decode()
    assert "password" not in text and "token" not in text and "$argon2" not in text
    assert "bob@test.example" not in text and "Beta Bosted" not in text


def test_another_organisations_data_is_not_found_for_a_member(login, cast, filled):
    assert login(cast.bob).get(f"/organisations/{cast.org_a.id}/data.zip").status_code == 404


@pytest.mark.parametrize("role", ["advisor", "board"])
def test_advisors_and_the_board_may_not_download_a_members_data(login, cast, role):
    response = login(cast.by_role(role)).get(f"/organisations/{cast.org_a.id}/data.zip")
    assert response.status_code == 403


def test_an_admin_downloads_any_organisation_from_its_admin_page(login, cast, filled):
    admin = login(cast.admin)
    page = admin.get(f"/admin/organisations/{cast.org_b.id}").text
    assert f'href="/organisations/{cast.org_b.id}/data.zip"' in page
    document, _ = _archive(admin.get(f"/organisations/{cast.org_b.id}/data.zip"))
    assert document["organisation"]["name"] == "Beta Bosted"
    assert [u["email"] for u in document["users"]] == ["bob@test.example"]


def test_a_download_is_in_the_audit_trail_with_who_and_which_organisation(login, cast, filled,
                                                                         session):
    login(cast.admin).get(f"/organisations/{cast.org_a.id}/data.zip")
    session.expire_all()
    (entry,) = session.exec(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert (entry.user_id, entry.organisation_id, entry.entity) == (
        cast.admin.id, cast.org_a.id, "organisation")
    assert entry.changes == {"files": [None, 1]}


def test_a_file_missing_on_disk_is_said_so_and_the_rest_is_exported(login, cast, filled,
                                                                   settings, session):
    _, evidence = filled
    (settings.var_dir / "evidence" / evidence.storage_key).unlink()
    document, archive = _archive(login(cast.alice).get(f"/organisations/{cast.org_a.id}/data.zip"))
    (item,) = document["assessments"][0]["evidence"]
    assert item["file"] is None and item["file_missing"] is True
    assert archive.namelist() == ["data.json"]


def test_no_temporary_zip_is_left_behind(login, cast, filled, tmp_path, monkeypatch):
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    assert login(cast.alice).get(f"/organisations/{cast.org_a.id}/data.zip").status_code == 200
    assert list(folder.iterdir()) == []


def test_an_unknown_organisation_is_not_found_for_an_admin(login, cast):
    assert login(cast.admin).get("/organisations/987654/data.zip").status_code == 404


def test_the_export_holds_the_inspections_and_their_reports_pdf(login, cast, session,
                                                                settings, catalogue):
    from datetime import date

    from app.services.inspection_report import put_report
    from app.services.inspections import record_inspection

    record = record_inspection(session=session, user=cast.alice, organisation_id=cast.org_a.id,
                               today=today(), data={
                                   "visited_on": date(2025, 9, 1), "authority": "nord",
                                   "kind": "announced", "framework_version": "2017",
                                   "themes": [{"theme_id": "km.tema.kompetencer", "score": 4}]})
    put_report(session=session, settings=settings, user=cast.alice,
               organisation_id=cast.org_a.id, inspection_id=record.inspection.id,
               filename="tilsyn.pdf", content=MINIMAL_PDF)
    document, archive = _archive(login(cast.alice).get(
        f"/organisations/{cast.org_a.id}/data.zip"))
    [inspection] = document["inspections"]
    assert inspection["themes"] == [{"theme_id": "km.tema.kompetencer", "score": 4.0}]
    report = inspection["report"]
    assert report["filename"] == "tilsyn.pdf" and report["size_bytes"] == len(MINIMAL_PDF)
    assert report["file"] == f"inspections/2025/{record.inspection.id}-tilsyn.pdf"
    assert archive.read(report["file"]) == MINIMAL_PDF
