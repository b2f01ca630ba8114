"""/api/v1/reference-figures: read by the board, advisors and admins; written by admins."""

from tests.conftest import api_token

HEALTH = "km.tema.sundhed-trivsel"
FIGURE = {"source": "Tilbudsportalen", "year": 2025, "theme_key": HEALTH,
          "provider_group": "public", "mean": 3.6}


def test_an_admin_records_corrects_and_deletes_a_figure(client, cast, catalogue):
    admin = api_token(client, cast.admin.email)
    created = client.post("/api/v1/reference-figures", json=FIGURE, headers=admin)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["theme_title"] == "Sundhed og trivsel" and body["mean"] == 3.6
    corrected = client.post("/api/v1/reference-figures", json=FIGURE | {"mean": 3.9},
                            headers=admin)
    assert corrected.status_code == 200 and corrected.json()["id"] == body["id"]
    board = api_token(client, cast.board.email)
    listed = client.get("/api/v1/reference-figures", headers=board).json()
    assert [(r["id"], r["mean"]) for r in listed] == [(body["id"], 3.9)]
    assert client.delete(f"/api/v1/reference-figures/{body['id']}",
                         headers=admin).status_code == 204
    assert client.get("/api/v1/reference-figures", headers=board).json() == []
    assert client.delete(f"/api/v1/reference-figures/{body['id']}",
                         headers=admin).status_code == 404


def test_a_bad_figure_names_its_fields_and_saves_nothing(client, cast, catalogue):
    admin = api_token(client, cast.admin.email)
    response = client.post("/api/v1/reference-figures", headers=admin,
                           json=FIGURE | {"mean": 5.5, "theme_key": "km.tema.findes-ikke"})
    assert response.status_code == 422
    assert [d["loc"][-1] for d in response.json()["detail"]] == ["mean"]
    response = client.post("/api/v1/reference-figures", headers=admin,
                           json=FIGURE | {"theme_key": "km.tema.findes-ikke"})
    assert response.status_code == 422
    assert [d["loc"][-1] for d in response.json()["detail"]] == ["theme_key"]
    assert client.get("/api/v1/reference-figures", headers=admin).json() == []


def test_the_board_may_read_but_not_write(client, cast, catalogue):
    board = api_token(client, cast.board.email)
    assert client.post("/api/v1/reference-figures", json=FIGURE,
                       headers=board).status_code == 403
