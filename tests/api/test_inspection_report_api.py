"""The inspection report's PDF in the API: upload, replace, download, remove; only a PDF,
within the upload limit; the inspection's access rule (own member, staff; never the board)."""

from datetime import date

import pytest
from sqlmodel import select

from app.models import AuditEntry, InspectionReport
from app.services.inspections import record_inspection
from tests.conftest import api_token
from tests.services.test_file_types import EXE_HEADER, MINIMAL_PDF, docx_bytes

THEME = "km.tema.kompetencer"
OTHER_PDF = MINIMAL_PDF.replace(b"/Count 1", b"/Count 1 ") + b"% another report\n"


@pytest.fixture
def inspection(session, cast, catalogue):
    return record_inspection(session=session, user=cast.alice, organisation_id=cast.org_a.id,
                             today=date.today(), data={
                                 "visited_on": date(2026, 2, 10), "authority": "nord",
                                 "kind": "announced", "framework_version": "2017",
                                 "themes": [{"theme_id": THEME, "score": 4}]}).inspection


@pytest.fixture
def alice(client, cast) -> dict:
    return api_token(client, cast.alice.email)


def url(inspection) -> str:
    return (f"/api/v1/organisations/{inspection.organisation_id}/inspections/"
            f"{inspection.id}/report")


def put(client, headers, inspection, name="tilsynsrapport.pdf", data=MINIMAL_PDF,
        content_type="application/pdf"):
    return client.put(url(inspection), headers=headers,
                      files={"file": (name, data, content_type)})


def stored_files(settings) -> list[str]:
    folder = settings.var_dir / "evidence"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def reports(session) -> list[InspectionReport]:
    session.expire_all()
    return list(session.exec(select(InspectionReport)))


def test_a_member_uploads_the_report_and_downloads_the_same_bytes(client, alice, session,
                                                                  settings, inspection):
    response = put(client, alice, inspection, name="Rapport nord æøå.pdf")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["filename"] == "Rapport nord æøå.pdf"
    assert body["content_type"] == "application/pdf"
    assert body["size_bytes"] == len(MINIMAL_PDF)
    assert body["download_url"] == url(inspection)
    download = client.get(url(inspection), headers=alice)
    assert download.status_code == 200
    assert download.content == MINIMAL_PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    [report] = reports(session)
    assert stored_files(settings) == [report.storage_key]


def test_a_new_upload_replaces_the_report_and_its_old_file(client, alice, session, settings,
                                                           inspection):
    assert put(client, alice, inspection).status_code == 200
    [first] = reports(session)
    first_key = first.storage_key
    replaced = put(client, alice, inspection, name="ny.pdf", data=OTHER_PDF)
    assert replaced.status_code == 200, replaced.text
    [report] = reports(session)
    assert report.filename == "ny.pdf" and report.storage_key != first_key
    assert stored_files(settings) == [report.storage_key]
    assert client.get(url(inspection), headers=alice).content == OTHER_PDF
    trail = session.exec(select(AuditEntry).where(AuditEntry.entity == "inspection_report")
                         .order_by(AuditEntry.id)).all()
    assert [e.action for e in trail] == ["create", "update"]
    assert trail[1].changes["filename"] == ["tilsynsrapport.pdf", "ny.pdf"]


@pytest.mark.parametrize(("name", "data"), [("rapport.pdf", EXE_HEADER),
                                            ("rapport.docx", None)])
def test_anything_but_a_pdf_is_refused_at_the_file_field(client, alice, session, settings,
                                                         inspection, name, data):
    response = put(client, alice, inspection, name=name, data=data or docx_bytes())
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "file"
    assert "ikke en PDF-fil" in error["msg"]
    assert reports(session) == [] and stored_files(settings) == []


def test_a_report_over_the_limit_is_refused_and_nothing_is_left_on_disk(client, alice,
                                                                        session, settings,
                                                                        inspection):
    response = put(client, alice, inspection,
                   data=MINIMAL_PDF + b"x" * settings.max_upload_bytes)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "file" and "grænsen er 10 MB" in error["msg"]
    assert reports(session) == [] and stored_files(settings) == []


def test_a_refused_replacement_keeps_the_old_report(client, alice, session, settings,
                                                     inspection):
    assert put(client, alice, inspection).status_code == 200
    assert put(client, alice, inspection, data=EXE_HEADER).status_code == 422
    [report] = reports(session)
    assert stored_files(settings) == [report.storage_key]
    assert client.get(url(inspection), headers=alice).content == MINIMAL_PDF


def test_removing_deletes_the_row_and_the_file_but_not_the_inspection(client, alice, session,
                                                                     settings, inspection):
    assert put(client, alice, inspection).status_code == 200
    assert client.delete(url(inspection), headers=alice).status_code == 204
    assert reports(session) == [] and stored_files(settings) == []
    assert client.get(url(inspection), headers=alice).status_code == 404
    assert len(client.get(f"/api/v1/organisations/{inspection.organisation_id}/inspections",
                          headers=alice).json()) == 1


def test_another_member_gets_404_and_stores_nothing(client, cast, alice, session, settings,
                                                    inspection):
    assert put(client, alice, inspection).status_code == 200
    bob = api_token(client, cast.bob.email)
    assert client.get(url(inspection), headers=bob).status_code == 404
    assert put(client, bob, inspection, data=OTHER_PDF).status_code == 404
    assert client.delete(url(inspection), headers=bob).status_code == 404
    assert len(reports(session)) == 1 and len(stored_files(settings)) == 1


def test_the_board_gets_403(client, cast, alice, inspection):
    assert put(client, alice, inspection).status_code == 200
    board = api_token(client, cast.board.email)
    assert client.get(url(inspection), headers=board).status_code == 403
    assert put(client, board, inspection).status_code == 403
    assert client.delete(url(inspection), headers=board).status_code == 403


def test_an_advisor_uploads_downloads_and_removes(client, cast, session, settings, inspection):
    advisor = api_token(client, cast.advisor.email)
    assert put(client, advisor, inspection).status_code == 200
    assert client.get(url(inspection), headers=advisor).content == MINIMAL_PDF
    assert client.delete(url(inspection), headers=advisor).status_code == 204
    assert stored_files(settings) == []
