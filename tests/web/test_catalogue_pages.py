"""Reading catalogues, and the admin's versions, load and diff pages."""

import shutil

import pytest

from app.config import PROJECT_ROOT
from app.services.catalogue.loading import load_catalogues
from tests.conftest import csrf_from


@pytest.fixture
def loaded(session):
    assert load_catalogues(session=session, root=PROJECT_ROOT / "catalogue").ok


def test_member_reads_requirements_guidance_and_quality_model_themes(login, cast, loaded):
    page = login(cast.alice).get("/catalogues/los-etisk-forventningskatalog/2023")
    assert page.status_code == 200
    assert "Arbejdsudkast." in page.text
    assert "Spørgsmål til refleksion" in page.text
    assert "Kvalitetsmodellen" in page.text
    assert "Tema 1" in page.text or "Tema" in page.text
    assert page.text.count('class="panel requirement"') == 10


def test_current_catalogue_link_goes_to_the_newest_assessment_catalogue(login, cast, loaded):
    response = login(cast.alice).get("/catalogue")
    assert response.status_code == 303
    assert response.headers["location"] == "/catalogues/los-etisk-forventningskatalog/2023"


def test_catalogue_page_is_english_when_the_visitor_chose_english(login, cast, loaded):
    client = login(cast.alice)
    client.cookies.set("etik_lang", "en")
    page = client.get("/catalogues/los-etisk-forventningskatalog/2023")
    assert '<html lang="en">' in page.text
    assert "to a very high degree" in page.text.lower() or "very high" in page.text.lower()


def test_unknown_version_is_a_danish_404_page(login, cast, loaded):
    page = login(cast.alice).get("/catalogues/los-etisk-forventningskatalog/1999")
    assert page.status_code == 404
    assert "Kataloget findes ikke i den version." in page.text


def test_admin_sees_each_file_and_whether_it_is_loaded(login, cast, session):
    page = login(cast.admin).get("/admin/catalogues")
    assert page.status_code == 200
    assert page.text.count("Ikke indlæst endnu") == 3


def test_admin_loads_new_versions_from_the_page(login, cast, session):
    client = login(cast.admin)
    token = csrf_from(client, "/admin/catalogues")
    response = client.post("/admin/catalogues/load", data={"csrf_token": token})
    assert response.status_code == 200
    assert "Indlæst." in response.text
    assert "Ikke indlæst endnu" not in response.text


def test_admin_load_page_names_a_changed_version_and_stores_nothing(
        login, cast, session, settings, tmp_path):
    root = tmp_path / "catalogue"
    shutil.copytree(PROJECT_ROOT / "catalogue", root)
    settings.catalogue_dir = root
    assert load_catalogues(session=session, root=root).ok
    los = root / "los-etisk-forventningskatalog" / "2023.yaml"
    los.write_text(los.read_text(encoding="utf-8").replace("i høj grad opfyldt",
                                                           "i stor grad opfyldt", 1),
                   encoding="utf-8")
    client = login(cast.admin)
    response = client.post("/admin/catalogues/load",
                           data={"csrf_token": csrf_from(client, "/admin/catalogues")})
    assert response.status_code == 422
    assert "Intet blev indlæst." in response.text
    assert "udgiv ændringen som en ny version" in response.text


def test_admin_diff_lists_removed_and_mapped_nodes_between_model_versions(login, cast, loaded):
    page = login(cast.admin).get("/admin/catalogues/diff", params={
        "old": "socialtilsyn-kvalitetsmodel/2017", "new": "socialtilsyn-kvalitetsmodel/2025"})
    assert page.status_code == 200
    assert "Fjernet" in page.text
    assert "Uddannelse og beskæftigelse" in page.text


def test_members_cannot_open_the_admin_catalogue_pages(login, cast, loaded):
    assert login(cast.alice).get("/admin/catalogues").status_code == 403
