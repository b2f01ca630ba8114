"""The inspection import page: the format, the example file, a preview, then all rows or
none, and the imported inspections on each member's own list."""

import re
from html import unescape

import pytest
from sqlmodel import select

from app.models import Inspection
from app.web.admin.inspection_import import EXAMPLE_MEMBERS
from tests.conftest import csrf_from
from tests.services.test_inspection_import import GOOD, csv_bytes

PAGE = "/admin/inspections/import"


@pytest.fixture
def admin(login, cast):
    return login(cast.admin)


@pytest.fixture
def members(factory, catalogue):
    return {name: factory.organisation(name=name, cvr=cvr) for cvr, name in EXAMPLE_MEMBERS}


def upload(client, content: bytes, name: str = "tilsyn.csv"):
    token = csrf_from(client, PAGE)
    return client.post(PAGE, data={"csrf_token": token},
                       files={"file": (name, content, "text/csv")})


def confirm(client, preview: str):
    """Posts the preview's confirm form with its hidden fields, as a browser would."""
    form = preview.split(f'action="{PAGE}/confirm"')[1].split("</form>")[0]
    fields = {name: unescape(value) for name, value in
              re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)}
    return client.post(f"{PAGE}/confirm", data=fields)


def problem_rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr><td class="num">(\d+)</td><td><code>(\w+)</code></td>', html)


def test_the_page_documents_every_column_theme_and_accepted_value(admin, catalogue):
    page = admin.get(PAGE).text
    for column in ("cvr", "name", "visited_on", "authority", "kind", "framework_version",
                   "sanction", "sanction_description", "sanction_deadline", "note",
                   "uddannelse_beskaeftigelse", "fysiske_rammer"):
        assert f"<code>{column}</code>" in page
    assert "<code>km.tema.sundhed-trivsel</code>" in page and "Sundhed og trivsel" in page
    assert "<code>oest</code>" in page and "Socialtilsyn Øst" in page
    assert "<code>skaerpet_tilsyn</code>" in page
    assert f'href="{PAGE}/tilsyn-eksempel.csv" download' in page
    assert 'enctype="multipart/form-data"' in page


def test_the_members_page_links_to_the_import(admin):
    assert f'href="{PAGE}"' in admin.get("/admin/organisations").text


def test_the_example_file_has_a_column_per_theme_and_passes_its_own_check(admin, members):
    response = admin.get(f"{PAGE}/tilsyn-eksempel.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbfcvr;name;visited_on;")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert "uddannelse_beskaeftigelse;selvstaendighed_relationer;" in header
    preview = upload(admin, response.content)
    assert preview.status_code == 200, problem_rows(preview.text)
    assert "Filen er i orden" in preview.text
    assert "3 tilsyn hos 3 medlemmer, med 2 sanktioner" in preview.text


def test_a_good_file_is_previewed_and_nothing_is_saved_yet(admin, members, session):
    response = upload(admin, GOOD)
    assert response.status_code == 200
    assert "Egebo Opholdssted" in response.text and "Kildebo Kostskole" in response.text
    assert "Socialtilsyn Midt" in response.text and "Påbud" in response.text
    assert "Importér tilsynene" in response.text
    assert session.exec(select(Inspection)).all() == []


def test_confirming_imports_every_row_onto_each_members_inspection_list(admin, members,
                                                                        session):
    response = confirm(admin, upload(admin, GOOD).text)
    assert response.status_code == 303
    assert response.headers["location"] == f"{PAGE}?inspections=2&members=2&sanctions=2"
    done = admin.get(response.headers["location"]).text
    assert "Importeret: 2 tilsyn hos 2 medlemmer, med 2 sanktioner." in done
    listed = admin.get(f"/organisations/{members['Egebo Opholdssted'].id}/inspections").text
    assert re.search(r'id="inspections-heading">1\s+tilsyn<', listed) and ">3,2<" in listed
    assert "Magtanvendelser skal indberettes." in listed
    assert "Skærpet tilsyn i tre måneder." in listed


def test_a_file_with_bad_rows_lists_each_line_and_column_and_saves_nothing(admin, members,
                                                                          session):
    content = csv_bytes(
        "12345678;Egebo Opholdssted;12-09-2024;midt;anmeldt;2017;2,5;3,2;4;;;",
        "99999999;;01-03-2025;nord;desk;2025;;4;4;;;",
        "87654321;;01-03-2025;nord;desk;2025;;6;4;;;",
        "87654321;;1. marts;nord;desk;2025;;4;4;;;",
        "87654321;;03-03-2025;nord;desk;2025;3;4;;;;",
        "87654321;;04-03-2025;nord;desk;2025;;4;;påbud;Magtanvendelse;")
    response = upload(admin, content)
    assert response.status_code == 422
    assert "Intet blev importeret" in response.text
    assert problem_rows(response.text) == [
        ("3", "cvr"), ("4", "sundhed_trivsel"), ("5", "visited_on"),
        ("6", "uddannelse_beskaeftigelse"), ("7", "sanction_deadline")]
    assert "Intet medlem har CVR-nummeret 99999999." in response.text
    assert f"{PAGE}/confirm" not in response.text
    assert session.exec(select(Inspection)).all() == []


def test_confirm_checks_again_and_refuses_what_was_recorded_meanwhile(admin, members,
                                                                     session, cast):
    preview = upload(admin, GOOD).text
    assert confirm(admin, preview).status_code == 303
    again = confirm(admin, preview)
    assert again.status_code == 422
    assert problem_rows(again.text) == [("2", "visited_on"), ("4", "visited_on")]
    assert len(session.exec(select(Inspection)).all()) == 2


def test_uploading_without_choosing_a_file_asks_for_one(admin, catalogue):
    token = csrf_from(admin, PAGE)
    response = admin.post(PAGE, data={"csrf_token": token},
                          files={"file": ("", b"", "application/octet-stream")})
    assert response.status_code == 422
    assert "Vælg en CSV-fil." in response.text


@pytest.mark.parametrize("role", ["member", "advisor", "board"])
def test_other_roles_cannot_import_inspections(login, cast, role, members, session):
    client = login(cast.by_role(role))
    token = csrf_from(client, "/password/forgot")
    response = client.post(f"{PAGE}/confirm", data={"csrf_token": token,
                                                    "content": GOOD.decode()})
    assert response.status_code == 403
    assert session.exec(select(Inspection)).all() == []
