"""Admin: sector reference figures – the form (create, correct, errors at the field), the
CSV import (preview, all rows or none, line-numbered problems), deleting, the audit trail."""

import html

import pytest
from sqlmodel import select

from app.models import AuditEntry, SectorReference
from tests.conftest import csrf_from

HEALTH = "km.tema.sundhed-trivsel"
SKILLS = "km.tema.kompetencer"


@pytest.fixture
def admin(login, cast, catalogue):
    client = login(cast.admin)
    client.csrf = csrf_from(client, "/admin/references")
    return client


def _form(admin, **fields):
    return {"csrf_token": admin.csrf, "source": "Tilbudsportalen", "year": "2025",
            "theme_key": HEALTH, "provider_group": "public", "mean": "3,6", **fields}


def _stored(session):
    session.expire_all()
    return session.exec(select(SectorReference).order_by(SectorReference.id)).all()


def _upload(admin, text: str, name: str = "ref.csv"):
    return admin.post("/admin/references/import", data={"csrf_token": admin.csrf},
                      files={"file": (name, text.encode("utf-8"), "text/csv")})


def test_the_page_lists_every_theme_of_the_quality_model_in_the_form(admin):
    html = admin.get("/admin/references").text
    assert "Ingen referencetal endnu" in html
    # 2017's seven themes, the two that left in 2025 included (they are still its years').
    for theme in ("km.tema.uddannelse-beskaeftigelse", "km.tema.selvstaendighed-relationer",
                  HEALTH, SKILLS, "km.tema.fysiske-rammer"):
        assert f'<option value="{theme}"' in html


def test_a_figure_saved_by_form_is_listed_and_audited(admin, session, cast):
    response = admin.post("/admin/references", data=_form(admin))
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/references?created=1"
    [row] = _stored(session)
    assert (row.source, row.year, row.theme_key, row.provider_group, row.mean) == (
        "Tilbudsportalen", 2025, HEALTH, "public", 3.6)
    html = admin.get(response.headers["location"]).text
    assert "Referencetallet er gemt." in html
    assert "Sundhed og trivsel" in html and "3,60" in html and "Offentlige tilbud" in html
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.entity == "sector_reference"))
    assert entry.action == "create" and entry.user_id == cast.admin.id
    assert entry.changes["mean"] == [None, 3.6]


def test_saving_the_same_figure_again_corrects_its_mean(admin, session):
    admin.post("/admin/references", data=_form(admin))
    response = admin.post("/admin/references", data=_form(admin, mean="4.1"))
    assert response.headers["location"] == "/admin/references?updated=1"
    [row] = _stored(session)
    assert row.mean == 4.1
    entries = session.exec(select(AuditEntry).where(
        AuditEntry.entity == "sector_reference").order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes == {"mean": [3.6, 4.1]}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("mean", "6", "Må højst være 5"),
    ("mean", "0,5", "Skal være mindst 1"),
    ("mean", "høj", "Skal være et tal"),
    ("mean", "nan", "Skal være et tal"),
    ("year", "1850", "Skal være mindst 2000"),
    ("source", "", "Skal udfyldes"),
    ("source", "x" * 201, "højst 200 tegn"),
    ("theme_key", "km.tema.findes-ikke", "Temaet findes ikke i kvalitetsmodellen"),
    ("provider_group", "kommunale", "Vælg en af mulighederne"),
])
def test_a_bad_field_is_refused_beside_it_and_nothing_is_saved(admin, session, field, value,
                                                               message):
    response = admin.post("/admin/references", data=_form(admin, **{field: value}))
    assert response.status_code == 422
    error = response.text[response.text.index(f'id="{field}-error"'):]
    assert message in error[:300]
    assert "5.0" not in error[:300] and "1.0" not in error[:300]  # no English decimal point
    assert _stored(session) == []
    # What was typed is still in the form.
    if field != "theme_key" and field != "provider_group" and value:
        assert f'value="{value}"' in response.text


def test_deleting_a_figure_removes_it_and_keeps_it_in_the_audit_trail(admin, session):
    admin.post("/admin/references", data=_form(admin))
    [row] = _stored(session)
    row_id = row.id
    response = admin.post(f"/admin/references/{row_id}/delete", data={"csrf_token": admin.csrf})
    assert response.status_code == 303
    assert _stored(session) == []
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "delete")).one()
    assert entry.changes["mean"] == [3.6, None] and entry.changes["source"][0] == "Tilbudsportalen"
    assert admin.post(f"/admin/references/{row_id}/delete",
                      data={"csrf_token": admin.csrf}).status_code == 404


GOOD_FILE = (
    "kilde;år;tema;gruppe;gennemsnit\n"
    "Tilbudsportalen;2025;km.tema.sundhed-trivsel;Offentlige tilbud;3,6\n"
    "Tilbudsportalen;2025;Kompetencer;non_public;3.9\n"
    "Tilbudsportalen;2025;Health and well-being;;3,7\n"
)


def test_a_good_file_is_previewed_then_imported_all_at_once(admin, session):
    preview = _upload(admin, GOOD_FILE)
    assert preview.status_code == 200
    assert "Filen er i orden." in preview.text
    assert "gemmer 3 referencetal" in preview.text
    assert _stored(session) == []  # the preview writes nothing
    content = preview.text.split('name="content" value="')[1].split('"')[0]
    response = admin.post("/admin/references/import/confirm",
                          data={"csrf_token": admin.csrf, "content": html.unescape(content)})
    assert response.status_code == 303
    rows = _stored(session)
    assert [(r.theme_key, r.provider_group, r.mean) for r in rows] == [
        (HEALTH, "public", 3.6), (SKILLS, "non_public", 3.9), (HEALTH, "all", 3.7)]
    page = admin.get(response.headers["location"]).text
    assert "Importeret: 3 nye referencetal, 0 rettet." in page
    # The same file again corrects instead of doubling.
    again = _upload(admin, GOOD_FILE.replace("3,6", "3,5"))
    assert "heraf retter 3 nogle, der findes" in again.text


def test_a_bad_file_names_each_line_and_column_and_saves_nothing(admin, session):
    admin.post("/admin/references", data=_form(admin, theme_key=SKILLS, mean="3"))
    bad = (
        "source;year;theme;provider_group;mean\n"
        "Tilbudsportalen;2025;km.tema.sundhed-trivsel;public;3,6\n"
        "Tilbudsportalen;2025;Sundhed;public;3,6\n"
        "Tilbudsportalen;20x5;km.tema.kompetencer;kommunal;7\n"
        "Tilbudsportalen;2025;km.tema.sundhed-trivsel;public;3,8\n"
    )
    response = _upload(admin, bad)
    assert response.status_code == 422
    problems = response.text[response.text.index("Intet blev importeret"):]
    for line, column, text in [(3, "theme", "Ukendt tema »Sundhed«"),
                               (4, "year", "Skal være et helt tal"),
                               (4, "provider_group", "Ukendt gruppe »kommunal«"),
                               (4, "mean", "Må højst være 5"),
                               (5, "source", "Samme tal (kilde, år, tema og gruppe) står også i "
                                             "linje 2")]:
        assert (f'<td class="num">{line}</td><td><code>{column}</code></td><td>{text}'
                in problems), (line, column)
    assert len(_stored(session)) == 1  # only the one saved by form before


def test_a_file_without_a_required_column_is_refused_at_the_header(admin):
    response = _upload(admin, "source;year;mean\nX;2025;3\n")
    assert response.status_code == 422
    assert '<td class="num">1</td><td><code>theme</code></td><td>Kolonnen mangler.' in response.text


def test_the_example_file_imports_cleanly(admin, session):
    example = admin.get("/admin/references/referencetal-eksempel.csv")
    assert example.status_code == 200
    assert example.headers["content-type"].startswith("text/csv")
    preview = admin.post("/admin/references/import", data={"csrf_token": admin.csrf},
                         files={"file": ("e.csv", example.content, "text/csv")})
    assert preview.status_code == 200 and "Filen er i orden." in preview.text
