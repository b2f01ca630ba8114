"""Pages cost a fixed number of SQL queries, whatever the number of members."""

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.models.vocabulary import Role


def _queries(client, path: str, headers: dict | None = None) -> int:
    response = client.get(path, headers=headers or {})
    assert response.status_code == 200, (path, response.status_code)
    return int(response.headers["x-query-count"])


def _add_members(factory, n: int) -> None:
    for _ in range(n):
        factory.user(Role.MEMBER)


@pytest.mark.parametrize("path", ["/", "/catalogues", "/admin/organisations", "/admin/users",
                                  "/admin/catalogues", "/admin/inspections/import"])
def test_admin_pages_cost_the_same_queries_with_ten_times_the_members(
        path, login, cast, factory, catalogue):
    client = login(cast.admin)
    _add_members(factory, 3)
    few = _queries(client, path)
    _add_members(factory, 30)
    assert _queries(client, path) == few


def test_member_home_costs_the_same_queries_with_more_colleagues(login, cast, factory,
                                                                catalogue, open_cycle):
    client = login(cast.alice)
    few = _queries(client, "/")
    for _ in range(10):
        factory.user(Role.MEMBER, organisation=cast.org_a)
    assert _queries(client, "/") == few


def test_account_page_costs_the_same_queries_with_more_logins(login, cast, session, settings):
    from app.services.credentials import start_browser_session

    client = login(cast.alice)
    few = _queries(client, "/account")
    for _ in range(10):
        start_browser_session(session=session, settings=settings, user=cast.alice,
                              user_agent="Mozilla/5.0 (Windows NT 10.0) Firefox/133.0")
    assert _queries(client, "/account") == few


@pytest.mark.parametrize("role", ["member", "member_admin", "admin"])
def test_colleagues_page_costs_the_same_queries_with_more_colleagues(role, login, cast,
                                                                   factory):
    client = login(cast.by_role(role))
    path = f"/organisations/{cast.org_a.id}/colleagues"
    few = _queries(client, path)
    for n in range(10):
        factory.user(Role.MEMBER, organisation=cast.org_a, member_admin=n % 2 == 0,
                     password_hash=None if n % 3 == 0 else "x", active=n != 5)
    assert _queries(client, path) == few


def test_the_query_count_header_is_not_sent_in_production(app, client):
    production = Settings(env="production", secret_key="s" * 32,
                          database_url=app.state.settings.database_url)
    with TestClient(create_app(production, engine=app.state.engine)) as prod_client:
        response = prod_client.get("/login")
    assert "x-query-count" not in response.headers
    assert "x-query-count" in client.get("/login").headers


@pytest.mark.parametrize("path", ["/advisor/flags", "/advisor/heatmap", "/advisor/heatmap?sort=3",
                                  "/api/v1/flags"])
def test_advisor_pages_cost_the_same_queries_for_ten_and_a_thousand_members(
        path, login, cast, session, open_cycle):
    from tests.conftest import api_token
    from tests.web.advisor_pages import bulk_members

    client = login(cast.advisor)
    headers = api_token(client, cast.advisor.email) if path.startswith("/api/") else None
    bulk_members(session, open_cycle, 10)
    few = _queries(client, path, headers)
    bulk_members(session, open_cycle, 990, seed=2)
    assert _queries(client, path, headers) == few


@pytest.mark.parametrize("page", ["plan", "action", "cancel"])
def test_the_action_plan_costs_the_same_queries_with_more_actions_and_colleagues(
        page, login, cast, factory, session, catalogue):
    from app.models import Action, ActionComment

    def add(n: int) -> Action:
        for i in range(n):
            colleague = factory.user(Role.MEMBER, organisation=cast.org_a)
            action = Action(organisation_id=cast.org_a.id, title=f"Handling {i}",
                            owner_email=colleague.email if i % 2 else "ekstern@udefra.dk",
                            status=("open", "in_progress", "done", "cancelled")[i % 4])
            session.add(action)
            session.flush()
            session.add(ActionComment(action_id=action.id, user_id=cast.alice.id,
                                      user_name="Alice", text="Kommentar"))
        session.commit()
        return action

    first = add(2)
    path = {"plan": f"/organisations/{cast.org_a.id}/actions",
            "action": f"/organisations/{cast.org_a.id}/actions/{first.id}",
            "cancel": f"/organisations/{cast.org_a.id}/actions/{first.id}/cancel"}[page]
    client = login(cast.alice)
    few = _queries(client, path)
    add(20)
    assert _queries(client, path) == few


@pytest.mark.parametrize("path", ["/admin/cycles/{cycle}/round",
                                  "/admin/cycles/{cycle}/round?status=not_started",
                                  "/admin/cycles/{cycle}/round.csv"])
def test_a_rounds_page_costs_the_same_queries_for_ten_and_a_hundred_members(
        path, login, cast, factory, session, open_cycle):
    from app.models import NoticeSent
    from app.models.base import utcnow
    from tests.web.advisor_pages import bulk_members

    def add(n: int, seed: int) -> None:
        bulk_members(session, open_cycle, n // 2, seed=seed)  # submitted
        for _ in range(n - n // 2):  # not started, each with a user logged in and reminded
            user = factory.user(Role.MEMBER, last_login_at=utcnow())
            session.add(NoticeSent(key=f"reminder:{open_cycle.id}:{user.id}:x",
                                   recipient=user.email))
        session.commit()

    client = login(cast.admin)
    url = path.format(cycle=open_cycle.id)
    add(10, 1)
    few = _queries(client, url)
    add(90, 2)
    assert _queries(client, url) == few


@pytest.mark.parametrize("path", ["/advisor/members/{org}",
                                  "/api/v1/calibration/history?organisation_id={org}"])
def test_the_dossier_and_its_calibration_history_cost_the_same_queries_over_more_years(
        path, login, cast, session, catalogue, open_cycle):
    from datetime import date

    from app.services.inspections import record_inspection
    from tests.conftest import api_token
    from tests.services.test_results import fill_in, past_cycle

    def add_year(years_ago: int) -> None:
        fill_in(session, cast.org_a, past_cycle(session, catalogue, years_ago), {4: 3})
        for theme in ("km.tema.sundhed-trivsel", "km.tema.kompetencer"):
            record_inspection(session=session, user=None, organisation_id=cast.org_a.id,
                              today=date(2030, 1, 1), data={
                                  "visited_on": date(open_cycle.year - years_ago, 5, 1),
                                  "authority": "syd", "kind": "announced",
                                  "framework_version": "2017",
                                  "themes": [{"theme_id": theme, "score": 3.5}]})

    client = login(cast.advisor)
    headers = api_token(client, cast.advisor.email) if path.startswith("/api/") else None
    path = path.format(org=cast.org_a.id)
    add_year(1)
    few = _queries(client, path, headers)
    for years_ago in range(2, 6):
        add_year(years_ago)
    assert _queries(client, path, headers) == few
