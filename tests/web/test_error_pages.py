"""Error pages for people stay whole, whatever the service did before failing."""

from fastapi import APIRouter
from fastapi.testclient import TestClient

from app.auth.deps import SessionDep, WebUser
from app.main import create_app
from app.services.errors import Conflict
from tests.conftest import login_client


def test_an_error_after_a_rollback_still_renders_the_page_with_the_persons_name(
        settings, engine, session, cast):
    app = create_app(settings, engine=engine)
    router = APIRouter()

    @router.get("/test-only/rollback")
    def fails_after_rollback(user: WebUser, db: SessionDep):
        db.rollback()  # as a service does before raising a domain error
        raise Conflict("Nogen kom før dig.")

    app.include_router(router)
    with TestClient(app, follow_redirects=False) as client:
        login_client(client, session, settings, cast.alice)
        response = client.get("/test-only/rollback")
    assert response.status_code == 409
    assert "Alice Medlem" in response.text
