"""PATCH /api/v1/me: the caller's own name, through the same service as My account."""

from sqlmodel import select

from app.models import AuditEntry, User
from tests.conftest import api_token


def test_a_caller_changes_their_own_name(client, cast, session):
    headers = api_token(client, cast.alice.email)
    response = client.patch("/api/v1/me", headers=headers, json={"name": " Alice Andersen "})
    assert response.status_code == 200
    assert response.json()["name"] == "Alice Andersen"
    assert response.json()["email"] == "alice@test.example"
    session.expire_all()
    assert session.get(User, cast.alice.id).name == "Alice Andersen"
    assert client.get("/api/v1/me", headers=headers).json()["name"] == "Alice Andersen"


def test_the_change_is_audited_as_the_caller(client, cast, session):
    client.patch("/api/v1/me", headers=api_token(client, cast.advisor.email),
                 json={"name": "Anders A."})
    entry = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.user_id == cast.advisor.id
    assert entry.changes == {"name": ["Anders Konsulent", "Anders A."]}


def test_an_empty_name_is_422_naming_the_field(client, cast):
    response = client.patch("/api/v1/me", headers=api_token(client, cast.alice.email),
                            json={"name": "  "})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_email_and_role_cannot_be_changed_this_way(client, cast, session):
    response = client.patch("/api/v1/me", headers=api_token(client, cast.alice.email),
                            json={"name": "Alice", "email": "new@test.example",
                                  "role": "admin"})
    assert response.status_code == 200
    session.expire_all()
    alice = session.get(User, cast.alice.id)
    assert (alice.email, alice.role) == ("alice@test.example", "member")


def test_without_a_token_it_is_401(client):
    assert client.patch("/api/v1/me", json={"name": "X"}).status_code == 401
