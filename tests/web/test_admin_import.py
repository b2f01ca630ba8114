"""The member import page: the format, the example file, a preview, then all rows or none."""

import re
from html import unescape
from pathlib import Path

import pytest
from sqlmodel import select

from app.models import Organisation, OutboxMessage, User
from tests.conftest import csrf_from

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "members"
PAGE = "/admin/organisations/import"


@pytest.fixture
def admin(login, cast):
    return login(cast.admin)


def upload(client, name: str, content: bytes):
    token = csrf_from(client, PAGE)
    return client.post(PAGE, data={"csrf_token": token},
                       files={"file": (name, content, "text/csv")})


def confirm_form(page: str) -> dict:
    """The hidden fields of the preview's confirm form, as a browser would send them."""
    form = page.split('action="/admin/organisations/import/confirm"')[1].split("</form>")[0]
    return {name: unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)}


def test_import_page_documents_the_columns_and_the_accepted_values(admin):
    page = admin.get(PAGE).text
    for column in ("name", "cvr", "company_name", "service_type", "region", "places",
                   "contact_name", "contact_email"):
        assert f"<code>{column}</code>" in page
    assert "<code>midlertidigt_botilbud</code>" in page and "Midlertidigt botilbud" in page
    assert "<code>sjaelland</code>" in page
    assert 'href="/admin/organisations/import/medlemmer-eksempel.csv" download' in page
    assert 'enctype="multipart/form-data"' in page


def test_members_page_links_to_the_import(admin):
    assert f'href="{PAGE}"' in admin.get("/admin/organisations").text


def test_example_file_is_a_utf8_csv_with_bom_that_passes_its_own_check(admin, session):
    response = admin.get(f"{PAGE}/medlemmer-eksempel.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbfname;cvr;")
    preview = upload(admin, "medlemmer-eksempel.csv", response.content)
    assert preview.status_code == 200
    assert "Filen er i orden" in preview.text


def test_a_good_file_is_previewed_and_nothing_is_written_yet(admin, session):
    response = upload(admin, "medlemmer.csv", (FIXTURES / "excel_semicolon.csv").read_bytes())
    assert response.status_code == 200
    assert "3 tilbud og 3 brugere" in response.text
    assert "Fjordhuset" in response.text and "Midlertidigt botilbud (§ 107)" in response.text
    assert "Importér og send invitationer" in response.text
    assert session.exec(select(Organisation).where(Organisation.name == "Fjordhuset")
                        ).all() == []


def test_confirming_the_preview_imports_every_row_and_sends_the_invitations(admin, session):
    preview = upload(admin, "medlemmer.csv", (FIXTURES / "excel_semicolon.csv").read_bytes())
    response = admin.post(f"{PAGE}/confirm", files={
        name: (None, value) for name, value in confirm_form(preview.text).items()})
    assert response.status_code == 303
    assert response.headers["location"] == f"{PAGE}?organisations=3&users=3&invited=3"
    assert "Importeret: 3 tilbud og 3 brugere." in admin.get(response.headers["location"]).text
    assert len(session.exec(select(User).where(User.email.like("%egebo.example"))).all()) == 2
    recipients = session.exec(select(OutboxMessage.recipient)).all()
    assert "hanne@fjordhuset.example" in recipients


def test_a_file_with_bad_rows_lists_every_line_and_reason_and_imports_nothing(admin, session):
    response = upload(admin, "medlemmer.csv", (FIXTURES / "bad_rows.csv").read_bytes())
    assert response.status_code == 422
    assert "Intet blev importeret" in response.text
    lines = re.findall(r'<tr><td class="num">(\d+)</td><td><code>(\w+)</code></td>',
                       response.text)
    assert lines == [("2", "cvr"), ("3", "service_type"), ("4", "region"), ("5", "name"),
                     ("6", "places"), ("7", "contact_email"), ("8", "contact_email")]
    assert "Ukendt region »Jylland«" in response.text
    assert "/confirm" not in response.text
    assert session.exec(select(Organisation).where(Organisation.name == "Havblik")).all() == []


def test_confirm_checks_again_and_refuses_when_the_database_changed_meanwhile(admin, session,
                                                                             factory):
    preview = upload(admin, "medlemmer.csv", (FIXTURES / "codes_comma.csv").read_bytes())
    factory.user(email="louise@solsikken.example")
    response = admin.post(f"{PAGE}/confirm", files={
        name: (None, value) for name, value in confirm_form(preview.text).items()})
    assert response.status_code == 422
    assert "Der findes allerede en bruger med denne e-mail." in response.text
    assert session.exec(select(Organisation).where(Organisation.name == "Bakkely")).all() == []


def test_uploading_without_choosing_a_file_asks_for_one(admin):
    token = csrf_from(admin, PAGE)
    response = admin.post(PAGE, data={"csrf_token": token},
                          files={"file": ("", b"", "application/octet-stream")})
    assert response.status_code == 422
    assert "Vælg en CSV-fil." in response.text


def test_a_file_in_another_encoding_is_refused_with_advice(admin):
    response = upload(admin, "medlemmer.csv", (FIXTURES / "latin1.csv").read_bytes())
    assert response.status_code == 422
    assert "CSV UTF-8" in response.text


@pytest.mark.parametrize("role", ["member", "advisor", "board"])
def test_other_roles_cannot_import_members(login, cast, role, session):
    client = login(cast.by_role(role))
    token = csrf_from(client, "/password/forgot")
    content = (FIXTURES / "codes_comma.csv").read_text(encoding="utf-8")
    response = client.post(f"{PAGE}/confirm", data={"csrf_token": token, "content": content})
    assert response.status_code == 403
    assert session.exec(select(Organisation).where(Organisation.name == "Bakkely")).all() == []
