"""The report's PDF on the inspection's page, without JavaScript: upload and replace with a
confirmation after the redirect, download, remove with a ticked box, refusals at the field;
the list shows which inspections have one; retention removes the file and says so."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.models import InspectionReport
from app.services.inspections import record_inspection
from app.services.retention import apply_retention
from tests.services.test_file_types import EXE_HEADER, MINIMAL_PDF

THEME = "km.tema.kompetencer"


@pytest.fixture
def inspection(session, cast, catalogue):
    return record_inspection(session=session, user=cast.alice, organisation_id=cast.org_a.id,
                             today=date.today(), data={
                                 "visited_on": date(2026, 2, 10), "authority": "nord",
                                 "kind": "announced", "framework_version": "2017",
                                 "themes": [{"theme_id": THEME, "score": 4}]}).inspection


def page_url(inspection) -> str:
    return f"/organisations/{inspection.organisation_id}/inspections/{inspection.id}"


def _token(client, url) -> str:
    return client.get(url).text.split('name="csrf_token" value="')[1].split('"')[0]


def upload(client, inspection, name="tilsynsrapport.pdf", data=MINIMAL_PDF):
    url = page_url(inspection)
    return client.post(f"{url}/report", data={"csrf_token": _token(client, url)},
                       files={"file": (name, data, "application/pdf")})


def remove(client, inspection, confirm=True):
    url = page_url(inspection)
    data = {"csrf_token": _token(client, url)} | ({"confirm": "yes"} if confirm else {})
    return client.post(f"{url}/report/delete", data=data)


def stored_files(settings) -> list[str]:
    folder = settings.var_dir / "evidence"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_member_uploads_the_report_and_sees_it_confirmed_with_name_and_size(
        login, cast, inspection):
    client = login(cast.alice)
    response = upload(client, inspection, name="Rapport 2026.pdf")
    assert response.status_code == 303
    assert response.headers["location"] == f"{page_url(inspection)}?report=saved#report"
    page = client.get(response.headers["location"])
    assert "Rapporten er gemt." in page.text
    assert f'href="{page_url(inspection)}/report" download>Rapport 2026.pdf</a>' in page.text
    assert f"(PDF, {len(MINIMAL_PDF)} byte," in page.text
    download = client.get(f"{page_url(inspection)}/report")
    assert download.content == MINIMAL_PDF
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"


def test_replacing_the_report_keeps_one_file_and_serves_the_new_one(login, cast, session,
                                                                    settings, inspection):
    client = login(cast.alice)
    assert upload(client, inspection).status_code == 303
    newer = MINIMAL_PDF + b"% rettet udgave\n"
    assert upload(client, inspection, name="rettet.pdf", data=newer).status_code == 303
    assert "Erstat rapporten" in client.get(page_url(inspection)).text
    assert client.get(f"{page_url(inspection)}/report").content == newer
    [report] = session.exec(select(InspectionReport)).all()
    assert stored_files(settings) == [report.storage_key]


def test_a_file_that_is_not_a_pdf_is_refused_at_the_field_and_the_inspection_stays(
        login, cast, session, settings, inspection):
    client = login(cast.alice)
    response = upload(client, inspection, name="rapport.pdf", data=EXE_HEADER)
    assert response.status_code == 422
    error = response.text.split('id="report-file-error">')[1].split("</p>")[0]
    assert "«rapport.pdf» er ikke en PDF-fil" in error
    assert 'aria-invalid="true"' in response.text.split('id="report-file"')[1][:400]
    assert 'value="2026-02-10"' in response.text  # the inspection's form, as saved
    assert session.exec(select(InspectionReport)).all() == []
    assert stored_files(settings) == []


def test_an_upload_without_a_file_asks_for_one_at_the_field(login, cast, inspection):
    client = login(cast.alice)
    url = page_url(inspection)
    response = client.post(f"{url}/report", data={"csrf_token": _token(client, url)},
                           files={"file": ("", b"", "application/octet-stream")})
    assert response.status_code == 422
    assert "Vælg rapporten som PDF-fil." in response.text.split('id="report-file-error">')[1]


def test_an_oversized_report_is_refused_at_the_field_and_nothing_is_left_on_disk(
        login, cast, session, settings, inspection):
    client = login(cast.alice)
    response = upload(client, inspection, data=MINIMAL_PDF + b"x" * settings.max_upload_bytes)
    assert response.status_code == 422
    assert "grænsen er 10 MB" in response.text.split('id="report-file-error">')[1]
    assert session.exec(select(InspectionReport)).all() == []
    assert stored_files(settings) == []


def test_removing_needs_the_box_ticked_then_removes_row_and_file(login, cast, session,
                                                                 settings, inspection):
    client = login(cast.alice)
    assert upload(client, inspection).status_code == 303
    unticked = remove(client, inspection, confirm=False)
    assert unticked.status_code == 422
    assert "Sæt flueben" in unticked.text.split('id="report-confirm-error">')[1]
    assert len(stored_files(settings)) == 1
    removed = remove(client, inspection)
    assert removed.status_code == 303
    assert "Rapporten er fjernet." in client.get(removed.headers["location"]).text
    session.expire_all()
    assert session.exec(select(InspectionReport)).all() == []
    assert stored_files(settings) == []


def test_the_list_shows_which_inspections_have_a_report(login, cast, inspection):
    client = login(cast.alice)
    base = f"/organisations/{cast.org_a.id}/inspections"
    assert f'href="{base}/{inspection.id}/report"' not in client.get(base).text
    assert upload(client, inspection).status_code == 303
    assert f'href="{base}/{inspection.id}/report"' in client.get(base).text


def test_another_member_gets_404_and_the_board_403(login, cast, settings, inspection):
    assert upload(login(cast.alice), inspection).status_code == 303
    bob = login(cast.bob)
    assert bob.get(f"{page_url(inspection)}/report").status_code == 404
    board = login(cast.board)
    assert board.get(f"{page_url(inspection)}/report").status_code == 403
    assert len(stored_files(settings)) == 1


def test_an_advisor_uploads_and_downloads_a_members_report(login, cast, inspection):
    client = login(cast.advisor)
    assert upload(client, inspection).status_code == 303
    assert client.get(f"{page_url(inspection)}/report").content == MINIMAL_PDF


def test_retention_removes_the_file_and_the_page_says_so(login, cast, session, settings,
                                                         inspection):
    client = login(cast.alice)
    assert upload(client, inspection).status_code == 303
    report = session.exec(select(InspectionReport)).one()
    report.uploaded_at -= timedelta(days=settings.evidence_retention_days + 1)
    session.add(report)
    session.commit()
    run = apply_retention(session=session, settings=settings)
    assert [r.inspection_id for r in run.reports] == [inspection.id]
    assert stored_files(settings) == []
    session.expire_all()
    assert session.exec(select(InspectionReport)).one().file_removed_at is not None
    page = client.get(page_url(inspection))
    assert "Filen er slettet efter opbevaringsperioden." in page.text
    assert f'href="{page_url(inspection)}/report"' not in page.text
    assert client.get(f"{page_url(inspection)}/report").status_code == 404
    assert apply_retention(session=session, settings=settings).reports == []


def test_removing_a_report_that_is_not_there_is_404(login, cast, inspection):
    client = login(cast.alice)
    assert remove(client, inspection, confirm=False).status_code == 404
    assert remove(client, inspection).status_code == 404
