"""Admin pages for member organisations: list, search, create, edit, deactivate."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlmodel import select

from app.models import Organisation
from tests.conftest import csrf_from

HTMX = {"HX-Request": "true"}


@contextmanager
def count_queries(engine):
    """Counts the SQL statements sent while the block runs."""
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def organisation_form(**overrides) -> dict:
    return {"name": "Egebo", "cvr": "12345678", "company_name": "Egebo ApS",
            "service_type": "doegntilbud", "region": "midtjylland", "places": "12",
            "advisor_id": ""} | overrides


@pytest.fixture
def admin(login, cast):
    return login(cast.admin)


def test_admin_sees_every_active_organisation_with_its_number_of_active_users(admin, cast,
                                                                            factory):
    factory.user(organisation=cast.org_a, active=False)
    page = admin.get("/admin/organisations")
    assert page.status_code == 200
    assert "Alfa Opholdssted" in page.text and "Beta Bosted" in page.text
    row = page.text.split("Alfa Opholdssted")[1].split("</tr>")[0]
    assert '<td class="num">1</td>' in row  # alice; the deactivated user is not counted


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("query", ["alfa", "ALFA"])
def test_search_finds_organisations_by_name_ignoring_case(admin, cast, headers, query):
    page = admin.get("/admin/organisations", params={"q": query}, headers=headers)
    assert "Alfa Opholdssted" in page.text
    assert "Beta Bosted" not in page.text


def test_search_finds_organisations_by_cvr_and_company_name(admin, factory):
    factory.organisation(name="Egebo", cvr="12345678", company_name="Skovbrynet ApS")
    assert "Egebo" in admin.get("/admin/organisations?q=12345678").text
    assert "Egebo" in admin.get("/admin/organisations?q=skovbrynet").text


def test_htmx_search_answers_only_the_results_block(admin, cast):
    partial = admin.get("/admin/organisations?q=alfa", headers=HTMX)
    assert "<html" not in partial.text
    assert 'id="results-heading"' in partial.text
    full = admin.get("/admin/organisations?q=alfa")
    assert "<html" in full.text and 'id="results"' in full.text


def test_search_field_searches_as_you_type_and_also_works_as_a_plain_form(admin):
    page = admin.get("/admin/organisations").text
    assert '<form method="get" action="/admin/organisations"' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert 'hx-target="#results"' in page


def test_deactivated_organisations_are_listed_only_when_asked_for(admin, factory):
    factory.organisation(name="Lukket Tilbud", active=False)
    assert "Lukket Tilbud" not in admin.get("/admin/organisations").text
    assert "Lukket Tilbud" in admin.get("/admin/organisations?inactive=1").text


def test_list_shows_50_organisations_a_page_with_a_link_to_the_next(admin, cast, factory):
    for n in range(50):
        factory.organisation(name=f"Zeta {n:02d}")
    first = admin.get("/admin/organisations").text
    assert first.count('<a href="/admin/organisations/') == 50
    assert 'href="/admin/organisations?page=2"' in first
    second = admin.get("/admin/organisations?page=2").text
    assert second.count('<a href="/admin/organisations/') == 2
    assert "Side 2 af 2" in second


def test_page_links_keep_the_search(admin, factory):
    for n in range(51):
        factory.organisation(name=f"Zeta {n:02d}")
    page = admin.get("/admin/organisations?q=zeta&inactive=1").text
    assert 'href="/admin/organisations?q=zeta&amp;inactive=1&amp;page=2"' in page


def test_list_costs_the_same_number_of_queries_for_few_and_many_organisations(
        admin, cast, factory, engine):
    admin.get("/admin/organisations")  # warm up
    with count_queries(engine) as few:
        admin.get("/admin/organisations")
    for n in range(40):
        organisation = factory.organisation(name=f"Zeta {n:02d}")
        factory.user(organisation=organisation)
    with count_queries(engine) as many:
        admin.get("/admin/organisations")
    assert len(many) == len(few)


def test_admin_creates_an_organisation_and_lands_on_its_page(admin, session):
    token = csrf_from(admin, "/admin/organisations/new")
    response = admin.post("/admin/organisations",
                          data=organisation_form(csrf_token=token, cvr="12 34 56 78"))
    assert response.status_code == 303
    created = session.exec(select(Organisation).where(Organisation.name == "Egebo")).one()
    assert created.cvr == "12345678"
    assert response.headers["location"] == f"/admin/organisations/{created.id}?created=1"
    assert "Medlemmet er oprettet." in admin.get(response.headers["location"]).text


def test_a_refused_organisation_form_names_the_field_and_keeps_what_was_typed(admin, session):
    token = csrf_from(admin, "/admin/organisations/new")
    response = admin.post("/admin/organisations",
                          data=organisation_form(csrf_token=token, cvr="1234"))
    assert response.status_code == 422
    assert 'id="cvr-error"' in response.text
    assert 'aria-describedby="cvr-hint cvr-error" aria-invalid="true"' in response.text
    assert 'value="Egebo"' in response.text and 'value="1234"' in response.text
    assert session.exec(select(Organisation).where(Organisation.name == "Egebo")).all() == []


def test_new_organisation_form_offers_service_types_regions_and_advisors_in_danish(admin,
                                                                                   cast):
    page = admin.get("/admin/organisations/new").text
    assert '<option value="doegntilbud">Døgntilbud</option>' in page
    assert '<option value="sjaelland">Sjælland</option>' in page
    assert f'<option value="{cast.advisor.id}">Anders Konsulent</option>' in page


def test_admin_edits_an_organisation(admin, cast, session):
    token = csrf_from(admin, f"/admin/organisations/{cast.org_a.id}")
    response = admin.post(f"/admin/organisations/{cast.org_a.id}", data=organisation_form(
        csrf_token=token, name="Alfa Nyt Navn", advisor_id=str(cast.advisor.id)))
    assert response.status_code == 303
    session.refresh(cast.org_a)
    assert (cast.org_a.name, cast.org_a.advisor_id) == ("Alfa Nyt Navn", cast.advisor.id)
    assert "Ændringerne er gemt." in admin.get(response.headers["location"]).text


def test_a_refused_edit_changes_nothing_and_shows_the_error(admin, cast, session):
    token = csrf_from(admin, f"/admin/organisations/{cast.org_a.id}")
    response = admin.post(f"/admin/organisations/{cast.org_a.id}",
                          data=organisation_form(csrf_token=token, name="", places="-3"))
    assert response.status_code == 422
    assert 'id="name-error"' in response.text and 'id="places-error"' in response.text
    session.refresh(cast.org_a)
    assert cast.org_a.name == "Alfa Opholdssted"


def test_organisation_page_lists_its_users_and_who_has_not_accepted_the_invitation(
        admin, cast, factory):
    factory.user(organisation=cast.org_a, name="Ny Kollega", password_hash=None)
    page = admin.get(f"/admin/organisations/{cast.org_a.id}").text
    assert "Alice Medlem" in page
    assert "Ny Kollega" in page.split("Inviteret")[0]
    assert f'href="/admin/users/new?organisation_id={cast.org_a.id}"' in page


def test_admin_deactivates_and_reactivates_an_organisation(admin, cast, session):
    token = csrf_from(admin, f"/admin/organisations/{cast.org_a.id}")
    path = f"/admin/organisations/{cast.org_a.id}"
    response = admin.post(f"{path}/deactivate", data={"csrf_token": token})
    assert response.status_code == 303
    session.refresh(cast.org_a)
    assert cast.org_a.active is False
    assert "Gør medlemmet aktivt igen" in admin.get(path).text
    admin.post(f"{path}/reactivate", data={"csrf_token": token})
    session.refresh(cast.org_a)
    assert cast.org_a.active is True


def test_a_form_post_without_the_csrf_token_is_refused(admin, cast, session):
    response = admin.post(f"/admin/organisations/{cast.org_a.id}/deactivate")
    assert response.status_code == 403
    session.refresh(cast.org_a)
    assert cast.org_a.active is True


def test_an_unknown_organisation_is_404(admin):
    assert admin.get("/admin/organisations/999999").status_code == 404


@pytest.mark.parametrize("role", ["member", "advisor", "board"])
def test_other_roles_cannot_see_the_organisation_list(login, cast, role):
    assert login(cast.by_role(role)).get("/admin/organisations").status_code == 403
