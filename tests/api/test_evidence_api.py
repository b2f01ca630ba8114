"""The evidence API: list, add a file or a link, download, remove; isolation between orgs."""

import pytest
from sqlmodel import Session, select

from app.clock import today
from app.models import Assessment, Evidence, Requirement
from app.services.assessment.start import start_assessment
from tests.conftest import api_token
from tests.services.test_file_types import EXE_HEADER, MINIMAL_PDF, docx_bytes, xlsx_bytes

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def assessment(session, cast, open_cycle) -> Assessment:
    assessment, _ = start_assessment(session=session, user=cast.alice, cycle_id=open_cycle.id,
                                     today=today())
    return assessment


@pytest.fixture
def requirement_key(session, assessment) -> str:
    return session.exec(select(Requirement.key).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id)
        .order_by(Requirement.number)).first()


@pytest.fixture
def alice(client, cast) -> dict:
    return api_token(client, cast.alice.email)


def post_file(client, headers, assessment, key, name="rapport.pdf", data=MINIMAL_PDF,
              title="", content_type="application/pdf"):
    return client.post(f"/api/v1/assessments/{assessment.id}/evidence", headers=headers,
                       data={"requirement_id": key, "title": title},
                       files={"file": (name, data, content_type)})


def rows(session) -> list[Evidence]:
    session.expire_all()
    return list(session.exec(select(Evidence)))


def stored_files(settings) -> list[str]:
    folder = settings.var_dir / "evidence"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def stored(client, alice, assessment, requirement_key) -> dict:
    response = post_file(client, alice, assessment, requirement_key, title="Magtpolitik")
    assert response.status_code == 201, response.text
    return response.json()


# --- adding and listing ------------------------------------------------------------------


def test_a_member_uploads_a_file_and_gets_it_back_described(client, alice, assessment,
                                                            requirement_key):
    response = post_file(client, alice, assessment, requirement_key, title="Magtpolitik")
    assert response.status_code == 201
    body = response.json()
    assert body["requirement_id"] == requirement_key
    assert (body["kind"], body["title"], body["filename"]) == ("file", "Magtpolitik",
                                                               "rapport.pdf")
    assert (body["content_type"], body["size_bytes"]) == ("application/pdf", len(MINIMAL_PDF))
    assert body["download_url"] == f"/api/v1/evidence/{body['id']}"
    assert body["url"] is None


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("politik.docx", docx_bytes(), DOCX_TYPE),
    ("oversigt.xlsx", xlsx_bytes(), XLSX_TYPE),
])
def test_word_and_excel_files_are_accepted_with_their_real_type(client, alice, assessment,
                                                                requirement_key, name, data,
                                                                expected):
    # The client claims a generic type: only the content counts.
    response = post_file(client, alice, assessment, requirement_key, name=name, data=data,
                         content_type="application/octet-stream")
    assert response.status_code == 201
    assert response.json()["content_type"] == expected


def test_a_link_is_added(client, alice, assessment, requirement_key):
    response = client.post(f"/api/v1/assessments/{assessment.id}/evidence", headers=alice,
                           data={"requirement_id": requirement_key,
                                 "url": "https://www.los.dk/etik", "title": "LOS om etik"})
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["url"], body["title"]) == ("link", "https://www.los.dk/etik",
                                                          "LOS om etik")
    assert body["download_url"] is None


def test_the_list_holds_files_and_links_of_the_assessment(client, alice, assessment,
                                                         requirement_key, stored):
    client.post(f"/api/v1/assessments/{assessment.id}/evidence", headers=alice,
                data={"requirement_id": requirement_key, "url": "https://los.dk",
                      "title": "LOS"})
    listed = client.get(f"/api/v1/assessments/{assessment.id}/evidence", headers=alice).json()
    assert [(e["kind"], e["title"]) for e in listed] == [("file", "Magtpolitik"),
                                                        ("link", "LOS")]


def test_an_advisor_lists_and_downloads_evidence(client, cast, assessment, stored):
    advisor = api_token(client, cast.advisor.email)
    listed = client.get(f"/api/v1/assessments/{assessment.id}/evidence", headers=advisor)
    assert [e["id"] for e in listed.json()] == [stored["id"]]
    download = client.get(stored["download_url"], headers=advisor)
    assert download.status_code == 200
    assert download.content == MINIMAL_PDF


# --- refusals ----------------------------------------------------------------------------


def test_an_exe_called_pdf_is_refused_and_nothing_is_stored(client, alice, session, settings,
                                                            assessment, requirement_key):
    response = post_file(client, alice, assessment, requirement_key, name="rapport.pdf",
                         data=EXE_HEADER)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "file"]
    assert error["msg"] == "«rapport.pdf» er ikke en PDF-, Word-, Excel- eller billedfil."
    assert rows(session) == []
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(client, alice, session,
                                                                settings, assessment,
                                                                requirement_key):
    too_big = MINIMAL_PDF + b"x" * settings.max_upload_bytes
    response = post_file(client, alice, assessment, requirement_key, data=too_big)
    assert response.status_code in (413, 422)
    assert "detail" in response.json()
    assert rows(session) == []
    assert stored_files(settings) == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)",
                                 "data:text/html,<script>alert(1)</script>",
                                 "ftp://files.example.org/x", "https://"])
def test_a_link_that_is_not_http_is_refused(client, alice, session, assessment,
                                            requirement_key, url):
    response = client.post(f"/api/v1/assessments/{assessment.id}/evidence", headers=alice,
                           data={"requirement_id": requirement_key, "url": url,
                                 "title": "Link"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "url"]
    assert rows(session) == []


def test_an_unknown_requirement_is_refused(client, alice, session, assessment):
    response = post_file(client, alice, assessment, "no.such.requirement")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "requirement_id"]
    assert rows(session) == []


def test_a_file_and_a_link_at_once_is_refused(client, alice, assessment, requirement_key):
    response = client.post(f"/api/v1/assessments/{assessment.id}/evidence", headers=alice,
                           data={"requirement_id": requirement_key, "url": "https://los.dk",
                                 "title": "x"},
                           files={"file": ("rapport.pdf", MINIMAL_PDF, "application/pdf")})
    assert response.status_code == 422


def test_a_file_is_removed_again_when_the_database_refuses_the_row(client, alice, session,
                                                                   settings, assessment,
                                                                   requirement_key,
                                                                   monkeypatch):
    def refuse(self):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Session, "commit", refuse)
    with pytest.raises(RuntimeError):
        post_file(client, alice, assessment, requirement_key)
    monkeypatch.undo()
    assert rows(session) == []
    assert stored_files(settings) == []


# --- isolation ---------------------------------------------------------------------------


def test_another_organisations_member_gets_404_everywhere(client, cast, assessment,
                                                          requirement_key, stored):
    bob = api_token(client, cast.bob.email)
    assert client.get(f"/api/v1/assessments/{assessment.id}/evidence",
                      headers=bob).status_code == 404
    assert client.get(stored["download_url"], headers=bob).status_code == 404
    assert client.delete(stored["download_url"], headers=bob).status_code == 404
    assert post_file(client, bob, assessment, requirement_key).status_code == 404


def test_a_missing_evidence_answers_exactly_like_another_organisations(client, cast, stored):
    bob = api_token(client, cast.bob.email)
    theirs = client.get(stored["download_url"], headers=bob)
    missing = client.get(f"/api/v1/evidence/{stored['id'] + 1000}", headers=bob)
    assert (theirs.status_code, theirs.json()) == (missing.status_code, missing.json())


def test_the_board_gets_403(client, cast, assessment, requirement_key, stored):
    board = api_token(client, cast.board.email)
    assert client.get(f"/api/v1/assessments/{assessment.id}/evidence",
                      headers=board).status_code == 403
    assert client.get(stored["download_url"], headers=board).status_code == 403
    assert client.delete(stored["download_url"], headers=board).status_code == 403
    assert post_file(client, board, assessment, requirement_key).status_code == 403


def test_an_advisor_cannot_add_or_remove(client, cast, assessment, requirement_key, stored):
    advisor = api_token(client, cast.advisor.email)
    assert post_file(client, advisor, assessment, requirement_key).status_code == 403
    assert client.delete(stored["download_url"], headers=advisor).status_code == 403


# --- downloading and removing ------------------------------------------------------------


def test_the_download_is_an_attachment_that_is_never_sniffed(client, alice, stored):
    response = client.get(stored["download_url"], headers=alice)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"rapport.pdf\"; filename*=UTF-8''rapport.pdf")


def test_removing_deletes_the_row_and_the_file(client, alice, session, settings, stored):
    assert client.delete(stored["download_url"], headers=alice).status_code == 204
    assert rows(session) == []
    assert stored_files(settings) == []
    assert client.get(stored["download_url"], headers=alice).status_code == 404


def test_a_link_has_nothing_to_download(client, alice, assessment, requirement_key):
    link = client.post(f"/api/v1/assessments/{assessment.id}/evidence", headers=alice,
                       data={"requirement_id": requirement_key, "url": "https://los.dk",
                             "title": "LOS"}).json()
    assert client.get(f"/api/v1/evidence/{link['id']}", headers=alice).status_code == 404
    assert client.delete(f"/api/v1/evidence/{link['id']}", headers=alice).status_code == 204


def test_nothing_changes_after_submitting(client, alice, session, settings, assessment,
                                          requirement_key, stored):
    assessment.status = "submitted"
    session.add(assessment)
    session.commit()
    assert post_file(client, alice, assessment, requirement_key).status_code == 409
    assert client.delete(stored["download_url"], headers=alice).status_code == 409
    assert [e.id for e in rows(session)] == [stored["id"]]
    assert len(stored_files(settings)) == 1
    assert client.get(stored["download_url"], headers=alice).status_code == 200
