"""Evidence on the requirement page: upload, links, download, removal, and who may do what."""

import re
from urllib.parse import quote

import pytest
from sqlmodel import select

from app.clock import today
from app.models import Assessment, Evidence, Requirement
from app.services.assessment.start import start_assessment
from tests.conftest import csrf_from
from tests.services.test_file_types import EXE_HEADER, HTML, MINIMAL_PDF, png_bytes

HTMX = {"HX-Request": "true"}


@pytest.fixture
def assessment(session, cast, open_cycle) -> Assessment:
    assessment, _ = start_assessment(session=session, user=cast.alice, cycle_id=open_cycle.id,
                                     today=today())
    return assessment


@pytest.fixture
def requirement(session, assessment) -> Requirement:
    return session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id)
        .order_by(Requirement.number)).first()


@pytest.fixture
def page_url(assessment, requirement) -> str:
    return f"/assessments/{assessment.id}/requirements/{requirement.number}"


@pytest.fixture
def upload_url(assessment, requirement) -> str:
    return f"/assessments/{assessment.id}/requirements/{requirement.key}/evidence"


@pytest.fixture
def alice(login, cast):
    return login(cast.alice)


def upload(client, url, page_url, name="rapport.pdf", data=MINIMAL_PDF, title="", headers=None):
    token = csrf_from(client, page_url)
    return client.post(url, data={"csrf_token": token, "kind": "file", "title": title},
                       files={"file": (name, data, "application/pdf")}, headers=headers)


def add_link(client, url, page_url, link, title, headers=None):
    token = csrf_from(client, page_url)
    return client.post(url, data={"csrf_token": token, "kind": "link", "url": link,
                                  "title": title}, headers=headers)


def rows(session) -> list[Evidence]:
    session.expire_all()
    return list(session.exec(select(Evidence)))


def stored_files(settings) -> list[str]:
    folder = settings.var_dir / "evidence"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def stored(session, alice, upload_url, page_url) -> Evidence:
    assert upload(alice, upload_url, page_url, title="Magtpolitik").status_code == 303
    (evidence,) = rows(session)
    return evidence


# --- adding ------------------------------------------------------------------------------


def test_a_member_uploads_a_pdf_and_is_sent_back_to_the_requirement(alice, session, settings,
                                                                      upload_url, page_url,
                                                                      requirement):
    response = upload(alice, upload_url, page_url, title="Politik for magtanvendelse")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"{page_url}#evidence-{requirement.key.replace('.', '_')}")
    (evidence,) = rows(session)
    assert (evidence.kind, evidence.title, evidence.filename) == (
        "file", "Politik for magtanvendelse", "rapport.pdf")
    assert evidence.content_type == "application/pdf"
    assert evidence.requirement_id == requirement.id


def test_the_file_is_stored_outside_the_web_root_under_a_random_name(alice, session, settings,
                                                                      upload_url, page_url):
    upload(alice, upload_url, page_url)
    (evidence,) = rows(session)
    path = settings.var_dir / "evidence" / evidence.storage_key
    assert path.read_bytes() == MINIMAL_PDF
    assert stored_files(settings) == [evidence.storage_key]
    assert re.fullmatch(r"[0-9a-f]{32}", evidence.storage_key)
    assert "rapport" not in evidence.storage_key


def test_an_htmx_upload_answers_with_the_evidence_block(alice, upload_url, page_url, requirement):
    response = upload(alice, upload_url, page_url, title="Magtpolitik", headers=HTMX)
    assert response.status_code == 200
    assert f'id="evidence-{requirement.key.replace(".", "_")}"' in response.text
    assert "«Magtpolitik» er tilføjet." in response.text
    assert "<html" not in response.text


def test_the_requirement_page_lists_the_evidence_with_danish_sizes(alice, upload_url, page_url):
    padded = MINIMAL_PDF + b"%" + b"x" * (1536 * 1024)  # a comment line: still a PDF
    upload(alice, upload_url, page_url, name="stor.pdf", data=padded, title="Stor rapport")
    upload(alice, upload_url, page_url, name="lille.png", data=png_bytes() + b"\0" * 2000)
    text = alice.get(page_url).text
    assert "Stor rapport" in text and "PDF, 1,5 MB" in text
    assert "lille.png" in text and "PNG, 2 kB" in text


def test_titles_and_names_are_shown_as_text_never_as_markup(alice, session, upload_url,
                                                           page_url):
    upload(alice, upload_url, page_url, name="<img src=x onerror=alert(1)>.pdf",
           title="<script>alert(1)</script>")
    text = alice.get(page_url).text
    assert "<script>alert(1)</script>" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_a_name_sent_with_folders_keeps_only_the_file_name(alice, session, upload_url,
                                                           page_url):
    upload(alice, upload_url, page_url, name="C:\\Users\\alice\\..\\rapport.pdf")
    (evidence,) = rows(session)
    assert evidence.filename == "rapport.pdf"


def test_a_file_named_pdf_that_is_a_png_gets_the_png_type_and_extension(alice, session,
                                                                         upload_url, page_url):
    upload(alice, upload_url, page_url, name="rapport.pdf", data=png_bytes())
    (evidence,) = rows(session)
    assert (evidence.content_type, evidence.filename) == ("image/png", "rapport.pdf.png")


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(("name", "data"), [("rapport.pdf", EXE_HEADER),
                                            ("rapport.pdf", HTML)], ids=["exe", "html"])
def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_stored(alice, session, settings,
                                                                   upload_url, page_url, htmx,
                                                                   name, data):
    response = upload(alice, upload_url, page_url, name=name, data=data, title="Min titel",
                      headers=HTMX if htmx else None)
    assert response.status_code == 422
    assert "«rapport.pdf» er ikke en PDF-, Word-, Excel- eller billedfil." in response.text
    assert 'value="Min titel"' in response.text  # what was typed stays
    assert ("<html" in response.text) is not htmx
    assert rows(session) == []
    assert stored_files(settings) == []


def test_a_file_just_over_the_limit_is_refused_naming_its_size(alice, session, settings,
                                                               upload_url, page_url):
    too_big = MINIMAL_PDF + b"x" * (settings.max_upload_bytes + 1 - len(MINIMAL_PDF))
    response = upload(alice, upload_url, page_url, name="stor.pdf", data=too_big, headers=HTMX)
    assert response.status_code == 422
    assert "Filen «stor.pdf» er 10,1 MB; grænsen er 10 MB." in response.text
    assert rows(session) == []
    assert stored_files(settings) == []


def test_a_request_far_over_the_limit_is_refused_before_it_is_read(alice, session, settings,
                                                                   upload_url, page_url):
    response = upload(alice, upload_url, page_url, name="stor.pdf",
                      data=MINIMAL_PDF + b"x" * (settings.max_upload_bytes + 200_000))
    assert response.status_code == 413
    assert rows(session) == []
    assert stored_files(settings) == []


def test_the_file_form_without_a_file_asks_for_one(alice, session, upload_url, page_url):
    token = csrf_from(alice, page_url)
    response = alice.post(upload_url, data={"csrf_token": token, "kind": "file"},
                          files={"file": ("", b"", "application/octet-stream")},
                          headers=HTMX)
    assert response.status_code == 422
    assert "Vælg en fil." in response.text
    assert rows(session) == []


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_link_is_added_with_its_title(alice, session, upload_url, page_url, htmx):
    response = add_link(alice, upload_url, page_url, "https://www.los.dk/politik",
                        "LOS' politik", headers=HTMX if htmx else None)
    assert response.status_code == (200 if htmx else 303)
    (evidence,) = rows(session)
    assert (evidence.kind, evidence.url, evidence.title) == (
        "link", "https://www.los.dk/politik", "LOS' politik")
    assert 'href="https://www.los.dk/politik"' in alice.get(page_url).text


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_javascript_link_is_refused_keeping_what_was_typed(alice, session, upload_url, page_url,
                                                             htmx):
    response = add_link(alice, upload_url, page_url, "javascript:alert(document.cookie)",
                        "Farligt link", headers=HTMX if htmx else None)
    assert response.status_code == 422
    assert "Et link skal begynde med http:// eller https://." in response.text
    assert 'value="Farligt link"' in response.text
    assert 'value="javascript:alert(document.cookie)"' in response.text
    assert 'aria-describedby="evidence-' in response.text
    assert rows(session) == []


def test_a_link_needs_a_title(alice, session, upload_url, page_url):
    response = add_link(alice, upload_url, page_url, "https://www.los.dk", "", headers=HTMX)
    assert response.status_code == 422
    assert "Giv linket en titel" in response.text
    assert rows(session) == []


# --- downloading -------------------------------------------------------------------------


def test_a_member_downloads_the_file_as_an_attachment(alice, stored):
    response = alice.get(f"/evidence/{stored.id}/download")
    assert response.status_code == 200
    assert response.content == MINIMAL_PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_advisor_downloads_the_file(login, cast, stored):
    response = login(cast.advisor).get(f"/evidence/{stored.id}/download")
    assert response.status_code == 200
    assert response.content == MINIMAL_PDF


def test_another_organisations_member_gets_404_as_for_a_missing_file(login, cast, stored):
    bob = login(cast.bob)
    assert bob.get(f"/evidence/{stored.id}/download").status_code == 404
    assert bob.get(f"/evidence/{stored.id + 1000}/download").status_code == 404


def test_the_board_never_downloads_evidence(login, cast, stored):
    assert login(cast.board).get(f"/evidence/{stored.id}/download").status_code == 403


def test_a_name_with_danish_letters_and_quotes_downloads_with_a_safe_header(alice, session,
                                                                            upload_url, page_url):
    name = 'Årsrapport "Æblehaven" ø.pdf'
    upload(alice, upload_url, page_url, name=name)
    (evidence,) = rows(session)
    header = alice.get(f"/evidence/{evidence.id}/download").headers["content-disposition"]
    assert f"filename*=UTF-8''{quote(name, safe='')}" in header
    assert 'filename="Aarsrapport _Aeblehaven_ oe.pdf"' in header  # for old clients
    assert header.count('"') == 2  # the name's own quotes never end the header's


# --- removing ----------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_removing_evidence_deletes_the_row_and_the_file(alice, session, settings, stored, page_url,
                                                        assessment, htmx):
    token = csrf_from(alice, page_url)
    response = alice.post(f"/assessments/{assessment.id}/evidence/{stored.id}/delete",
                          data={"csrf_token": token}, headers=HTMX if htmx else None)
    assert response.status_code == (200 if htmx else 303)
    if htmx:
        assert "«Magtpolitik» er fjernet." in response.text
    assert rows(session) == []
    assert stored_files(settings) == []


def test_another_organisations_member_can_neither_add_nor_remove(login, cast, session, stored,
                                                                 assessment, upload_url):
    bob = login(cast.bob)
    token = csrf_from(bob, "/")
    delete = bob.post(f"/assessments/{assessment.id}/evidence/{stored.id}/delete",
                      data={"csrf_token": token})
    add = bob.post(upload_url, data={"csrf_token": token, "kind": "file"},
                   files={"file": ("x.pdf", MINIMAL_PDF, "application/pdf")})
    assert (delete.status_code, add.status_code) == (404, 404)
    assert len(rows(session)) == 1


def test_an_advisor_reads_the_evidence_but_cannot_change_it(login, cast, stored, page_url,
                                                            assessment, upload_url):
    advisor = login(cast.advisor)
    text = advisor.get(page_url).text
    assert "Magtpolitik" in text and "Tilføj fil" not in text and "Fjern" not in text
    token = csrf_from(advisor, "/")
    assert advisor.post(upload_url, data={"csrf_token": token}).status_code == 403
    assert advisor.post(f"/assessments/{assessment.id}/evidence/{stored.id}/delete",
                        data={"csrf_token": token}).status_code == 403


# --- after submitting --------------------------------------------------------------------


@pytest.fixture
def submitted(session, assessment, stored) -> Evidence:
    assessment.status = "submitted"
    session.add(assessment)
    session.commit()
    return stored


def test_nothing_can_be_added_after_submitting(alice, session, settings, submitted, upload_url,
                                               page_url):
    response = upload(alice, upload_url, page_url)
    assert response.status_code == 409
    assert len(rows(session)) == 1
    assert stored_files(settings) == [submitted.storage_key]


def test_nothing_can_be_removed_after_submitting(alice, session, settings, submitted, page_url,
                                                 assessment):
    token = csrf_from(alice, page_url)
    response = alice.post(f"/assessments/{assessment.id}/evidence/{submitted.id}/delete",
                          data={"csrf_token": token}, headers=HTMX)
    assert response.status_code == 409
    assert "kan ikke længere ændres" in response.text
    assert len(rows(session)) == 1
    assert stored_files(settings) == [submitted.storage_key]


def test_a_submitted_assessment_shows_its_evidence_without_forms(alice, submitted, page_url):
    text = alice.get(page_url).text
    assert "Magtpolitik" in text
    assert "Tilføj fil" not in text
