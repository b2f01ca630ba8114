"""Admin page: the audit trail, filtered and paged, and the same as CSV."""

import pytest

from app.services.organisations import update_organisation


@pytest.fixture
def admin(login, cast):
    return login(cast.admin)


@pytest.fixture
def renamed(session, cast):
    organisation = cast.org_a
    update_organisation(session=session, user=cast.admin, organisation_id=organisation.id,
                        data={"name": "Alfa Omdøbt", "cvr": organisation.cvr,
                              "company_name": organisation.company_name,
                              "service_type": organisation.service_type,
                              "region": organisation.region, "places": organisation.places})


def test_the_page_shows_who_changed_what_before_and_after(admin, cast, renamed):
    html = admin.get("/admin/audit").text
    assert "Revisionsspor" in html
    assert cast.admin.email in html
    assert "Alfa Opholdssted → Alfa Omdøbt" in html


def test_a_filter_for_another_organisation_shows_nothing(admin, cast, renamed):
    html = admin.get(f"/admin/audit?organisation_id={cast.org_b.id}").text
    assert "Ingen ændringer med dette filter." in html


def test_the_csv_has_one_line_per_changed_field(admin, cast, renamed):
    response = admin.get(f"/admin/audit.csv?organisation_id={cast.org_a.id}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("tidspunkt;bruger;handling")
    assert any(";name;Alfa Opholdssted;Alfa Omdøbt" in line for line in lines[1:])


def test_the_admin_navigation_links_the_trail(admin):
    assert '<a href="/admin/audit" aria-current="page">Revisionsspor</a>' in \
        admin.get("/admin/audit").text


def test_the_page_names_actions_and_types_in_words_and_the_csv_keeps_the_codes(
        admin, cast, renamed):
    html = admin.get("/admin/audit").text
    assert "<td>Ændret</td>" in html
    assert f"<td>Organisation {cast.org_a.id}</td>" in html
    assert '<option value="organisation">Organisation</option>' in html
    csv = admin.get("/admin/audit.csv").text
    assert ";update;organisation;" in csv
