"""Every route against every role, as tests/access_rules.py says (HTML and API alike)."""

from collections import Counter

import pytest
from fastapi.routing import iter_route_contexts
from starlette.routing import Match, Mount

from app.config import Settings
from app.main import create_app
from app.services.credentials import issue_api_token
from tests.access_roles import FILLERS, LOGGED_IN, PUBLIC, ROLES, allows
from tests.access_rules import KNOWN_BUGS, RULES
from tests.conftest import csrf_from

CAST_PLACEHOLDERS = ("org_a", "org_b", "alice", "bob", "advisor", "board", "admin")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Alice's assessment in an open cycle, and keys within it (see _object_ids).
OBJECT_PLACEHOLDERS = ("assessment_a", "cycle", "indicator", "requirement",
                       "requirement_number", "reference", "inspection_a")


@pytest.fixture(scope="module")
def bare_app(tmp_path_factory):
    """The app's routes, without a database: enough to compare routes with rules."""
    settings = Settings(env="test", database_url="sqlite://", secret_key="test-secret-key",
                        var_dir=tmp_path_factory.mktemp("access-var"))
    return create_app(settings)


def _fill(template: str, ids: dict[str, int]) -> str:
    return template.format_map({**FILLERS, **ids})


def _app_routes(app) -> set[tuple[str, str]]:
    """(method, path) of every route but the static files; HEAD comes free with GET."""
    routes = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            continue
        for method in route.methods or ():
            if method != "HEAD":
                routes.add((method, route.path))
    return routes


def _route_serving(app, method: str, path: str) -> tuple[str, str] | None:
    """The route that answers this request, found the way Starlette's router finds it."""
    scope = {"type": "http", "method": method, "path": path.split("?")[0], "root_path": "",
             "path_params": {}}
    for route in iter_route_contexts(app.routes):
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return None if isinstance(route.original_route, Mount) else (method, route.path)
    return None


def _about_alices_objects(allowed) -> bool:
    """A row that lets alice ("member") in but not bob ("other_member") is about her own
    organisation's objects: to bob they are not found, as if they did not exist."""
    return allowed != PUBLIC and "member" in allowed and "other_member" not in allowed


def _names_a_missing_object(template: str) -> bool:
    """A FILLERS placeholder is a made-up value: the object does not exist, so 404 is right."""
    return any(f"{{{name}}}" in template for name in FILLERS)


def _dummy_ids() -> dict[str, int]:
    names = CAST_PLACEHOLDERS + OBJECT_PLACEHOLDERS
    return {name: number for number, name in enumerate(names, start=1)}


# --- the table itself ---------------------------------------------------------------------


def test_every_rule_is_a_method_a_path_and_public_or_a_set_of_known_roles():
    for method, template, allowed in RULES:
        assert method in {"GET", "POST", "PUT", "PATCH", "DELETE"}, (method, template)
        assert template.startswith("/"), template
        _fill(template, _dummy_ids())  # raises KeyError for an unknown placeholder
        if allowed != PUBLIC:
            assert isinstance(allowed, (set, frozenset)) and allowed, (method, template)
            assert allowed <= LOGGED_IN, (
                f"{method} {template}: unknown roles {set(allowed) - LOGGED_IN} "
                "(write PUBLIC for routes anonymous visitors may use)")


def test_every_known_bug_names_a_rule_and_a_role_it_allows():
    rules = {(method, template): allowed for method, template, allowed in RULES}
    for method, template, role in KNOWN_BUGS:
        assert (method, template) in rules, f"KNOWN_BUGS: no rule {method} {template}"
        allowed = rules[method, template]
        assert role in ROLES and allows(allowed, role), (
            f"KNOWN_BUGS: {role} is not allowed {method} {template}")


def test_no_route_has_two_rules(bare_app):
    served = Counter(_route_serving(bare_app, m, _fill(t, _dummy_ids())) for m, t, _ in RULES)
    doubled = sorted(str(route) for route, n in served.items() if n > 1 and route)
    assert not doubled, f"routes with more than one rule: {doubled}"


def test_every_route_has_an_access_rule(bare_app):
    covered = {_route_serving(bare_app, m, _fill(t, _dummy_ids())) for m, t, _ in RULES}
    missing = sorted(_app_routes(bare_app) - covered)
    assert not missing, (
        f"routes without a row in tests/access_rules.py RULES: {missing}")


def test_every_access_rule_names_a_route_that_exists(bare_app):
    stale = [(m, t) for m, t, _ in RULES
             if _route_serving(bare_app, m, _fill(t, _dummy_ids())) is None]
    assert not stale, f"rows in tests/access_rules.py RULES that no route serves: {stale}"


# --- each rule, each role -------------------------------------------------------------------


def _object_ids(session, settings, cast, template: str) -> dict[str, object]:
    """Ids of objects beyond the cast, created only for the rows that name them."""
    if not any(f"{{{name}}}" in template for name in OBJECT_PLACEHOLDERS):
        return {}
    from datetime import timedelta

    from sqlmodel import select

    from app.clock import today
    from app.config import PROJECT_ROOT
    from app.models import CatalogueVersion, Cycle, SectorReference
    from app.services.assessment.start import start_assessment
    from app.services.assessment.view import indicators_in_scope
    from app.services.catalogue.loading import load_catalogues

    load_catalogues(session=session, root=PROJECT_ROOT / "catalogue")
    version = session.exec(select(CatalogueVersion).where(
        CatalogueVersion.kind == "assessment")).first()
    now = today()
    cycle = Cycle(year=now.year, catalogue_version_id=version.id,
                  opens_on=now - timedelta(days=1), deadline=now + timedelta(days=1))
    session.add(cycle)
    session.commit()
    assessment, _ = start_assessment(session=session, user=cast.alice, cycle_id=cycle.id,
                                     today=now)
    indicator = indicators_in_scope(session, version.id, cast.org_a.service_type)[0]
    requirement = version.document["requirements"][0]
    reference = SectorReference(source="Kilde", year=now.year, theme_key="km.tema.kompetencer",
                                provider_group="all", mean=3.5)
    session.add(reference)
    session.commit()
    from app.services.inspections import record_inspection

    inspection = record_inspection(session=session, user=None, organisation_id=cast.org_a.id,
                                   today=now, data={
                                       "visited_on": now, "authority": "syd",
                                       "kind": "announced", "framework_version": "2017",
                                       "themes": [{"theme_id": "km.tema.kompetencer",
                                                   "score": 4}]})
    if template.endswith(("/report", "/report/delete")):
        from app.services.inspection_report import put_report
        from tests.services.test_file_types import MINIMAL_PDF

        put_report(session=session, settings=settings, user=cast.admin,
                   organisation_id=cast.org_a.id, inspection_id=inspection.inspection.id,
                   filename="rapport.pdf", content=MINIMAL_PDF)
    return {"assessment_a": assessment.id, "cycle": cycle.id, "indicator": indicator.key,
            "requirement": requirement["id"], "requirement_number": requirement["number"],
            "reference": reference.id, "inspection_a": inspection.inspection.id}


def _request(login, session, settings, cast, method: str, template: str, role: str):
    user = cast.by_role(role)
    client = login(user)
    ids = {name: getattr(cast, name).id for name in CAST_PLACEHOLDERS}
    path = _fill(template, ids | _object_ids(session, settings, cast, template))
    if path.startswith("/api/"):
        headers = {}
        if user is not None:
            token, _ = issue_api_token(session=session, settings=settings, user=user)
            headers["Authorization"] = f"Bearer {token}"
        body = {} if method not in SAFE_METHODS else None
        return client.request(method, path, headers=headers, json=body)
    if method in SAFE_METHODS:
        return client.request(method, path)
    # A valid CSRF token, so the answer is about who may call the route, not about CSRF.
    token = csrf_from(client, "/password/forgot")
    return client.request(method, path, data={"csrf_token": token})


def _sent_to_login(response) -> bool:
    return (response.status_code == 303
            and response.headers.get("location", "").startswith("/login?next="))


def _known_bug(rule, role) -> list:
    method, template, _allowed = rule
    if (method, template, role) not in KNOWN_BUGS:
        return []
    return [pytest.mark.xfail(strict=True, reason="known app bug, see KNOWN_BUGS in "
                                                  "tests/access_rules.py")]


@pytest.mark.parametrize(("rule", "role"), [
    pytest.param(rule, role, id=f"{rule[0]} {rule[1]} as {role}", marks=_known_bug(rule, role))
    for rule in RULES for role in ROLES
])
def test_route_answers_each_role_as_its_access_rule_says(rule, role, login, session, settings,
                                                         cast):
    method, template, allowed = rule
    response = _request(login, session, settings, cast, method, template, role)
    status = response.status_code
    said = f"{method} {template} as {role}: {status} {response.headers.get('location', '')}"
    if allows(allowed, role):
        assert status not in (401, 403) and not _sent_to_login(response), said
        if not _names_a_missing_object(template):
            assert status != 404, f"{said}: an allowed role must find the object"
        assert status < 500, said
    elif role == "anonymous":
        if template.startswith("/api/"):
            assert status == 401, said
        else:
            assert _sent_to_login(response), said
    elif role == "other_member" and _about_alices_objects(allowed):
        # Another organisation's object is 404 to a member, exactly as a missing one.
        assert status in (403, 404), said
    else:
        assert status == 403, said
