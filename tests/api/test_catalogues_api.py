"""GET /api/v1/catalogues and /api/v1/catalogues/{key}/{version}."""

import pytest

from app.config import PROJECT_ROOT
from app.services.catalogue.loading import load_catalogues
from tests.conftest import api_token


@pytest.fixture
def loaded(session):
    assert load_catalogues(session=session, root=PROJECT_ROOT / "catalogue").ok


def test_catalogue_list_names_each_version_with_its_requirement_count(client, cast, loaded):
    headers = api_token(client, cast.alice.email)
    response = client.get("/api/v1/catalogues", headers=headers)
    assert response.status_code == 200
    by_key = {(c["key"], c["version"]): c for c in response.json()}
    los = by_key[("los-etisk-forventningskatalog", "2023")]
    assert los["requirement_count"] == 10
    assert set(los) >= {"key", "version", "title", "requirement_count", "published_on"}
    assert by_key[("socialtilsyn-kvalitetsmodel", "2025")]["requirement_count"] == 0


def test_one_version_has_scale_requirements_indicators_and_quality_model_links(
        client, cast, loaded):
    headers = api_token(client, cast.board.email)
    body = client.get("/api/v1/catalogues/los-etisk-forventningskatalog/2023",
                      headers=headers).json()
    assert [s["value"] for s in body["scale"]] == [1, 2, 3, 4, 5]
    assert body["scale"][0]["label"] == "i meget lav grad opfyldt"
    assert len(body["requirements"]) == 10
    first = body["requirements"][0]
    assert first["number"] == 1
    assert 2 <= len(first["indicators"]) <= 5
    assert {"id", "text"} <= set(first["indicators"][0])
    assert first["kvalitetsmodel"], "requirement 1 maps into the 2017 quality model"
    assert body["requirements"][9]["kvalitetsmodel"] == []


def test_an_unknown_version_is_a_json_404(client, cast, loaded):
    headers = api_token(client, cast.alice.email)
    response = client.get("/api/v1/catalogues/los-etisk-forventningskatalog/1999",
                          headers=headers)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_catalogues_need_a_token(client, loaded):
    assert client.get("/api/v1/catalogues").status_code == 401
