"""Every page and API read costs the same number of SQL queries with 10 and with 100 members.

Walks every GET row of the access table (tests/access_rules.py) as the most privileged role
it allows, so a new page is measured without anyone remembering to add it here. The extra
members are real rows of every kind a list shows: an organisation with a member user, a
submitted assessment with its requirement scores (counted in the stored histogram as a
submit counts it), an inspection and an open action.
"""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.config import PROJECT_ROOT
from app.models import (
    Action,
    Assessment,
    Cycle,
    Organisation,
    Requirement,
    RequirementScore,
    User,
)
from app.models.base import utcnow
from app.models.vocabulary import AssessmentStatus, Region, Role, ServiceType
from app.services.board.histograms import count_submitted
from app.services.catalogue.loading import load_catalogues
from app.services.credentials import issue_api_token
from app.services.inspections import record_inspection
from tests.access_roles import PUBLIC, allows
from tests.access_rules import RULES
from tests.web.test_access import (
    CAST_PLACEHOLDERS,
    _fill,
    _names_a_missing_object,
    _object_ids,
)

# The most privileged first: their lists hold every member.
ROLE_ORDER = ["admin", "advisor", "board", "member_admin", "member", "other_member",
              "anonymous"]
FEW, MANY = 10, 100


def _role_for(allowed) -> str:
    if allowed == PUBLIC:
        return "anonymous"
    return next(role for role in ROLE_ORDER if allows(allowed, role))


GET_ROWS = [(template, _role_for(allowed)) for method, template, allowed in RULES
            if method == "GET" and not _names_a_missing_object(template)]


def _add_members(session, n: int) -> None:
    """n more members, each with a user, a submitted assessment in every cycle, an
    inspection and an open action: added in bulk, as the demo's bulk seeder does."""
    cycles = session.exec(select(Cycle)).all()
    requirements = {c.id: session.exec(select(Requirement.id).where(
        Requirement.catalogue_version_id == c.catalogue_version_id)).all() for c in cycles}
    today = date.today()
    first = next(_numbers) * 1000  # room for n numbers
    organisations = [Organisation(name=f"Medlem {first + i}", cvr=f"{70000000 + first + i}",
                                  service_type=ServiceType.DOEGNTILBUD,
                                  region=Region.MIDTJYLLAND, places=12) for i in range(n)]
    session.add_all(organisations)
    session.flush()
    assessments = [Assessment(organisation_id=o.id, cycle_id=c.id,
                              catalogue_version_id=c.catalogue_version_id,
                              status=AssessmentStatus.SUBMITTED, submitted_at=utcnow())
                   for o in organisations for c in cycles]
    session.add_all(
        [User(email=f"medlem{first + i}@test.example", name=f"Medlem {first + i}",
              role=Role.MEMBER, organisation_id=o.id, password_hash="x")
         for i, o in enumerate(organisations)]
        + [Action(organisation_id=o.id, title="Opfølgning", due_on=today + timedelta(days=30))
           for o in organisations] + assessments)
    session.flush()
    session.add_all([RequirementScore(assessment_id=a.id, requirement_id=r, score=3 + k % 3)
                     for a in assessments
                     for k, r in enumerate(requirements[a.cycle_id])])
    session.flush()
    for assessment in assessments:
        count_submitted(session, assessment)
    for organisation in organisations:
        record_inspection(session=session, user=None, organisation_id=organisation.id,
                          today=today, commit=False, data={
                              "visited_on": today, "authority": "syd", "kind": "announced",
                              "framework_version": "2017",
                              "themes": [{"theme_id": "km.tema.kompetencer", "score": 3}]})
    session.commit()


_numbers = iter(range(10**6))


def _get(login, session, settings, cast, path: str, role: str):
    user = cast.by_role(role)
    client = login(user)
    headers = {}
    if path.startswith("/api/") and user is not None:
        token, _ = issue_api_token(session=session, settings=settings, user=user)
        headers["Authorization"] = f"Bearer {token}"
    return client.get(path, headers=headers)


@pytest.mark.parametrize(("template", "role"), [
    pytest.param(template, role, id=f"{template} as {role}") for template, role in GET_ROWS])
def test_the_page_costs_the_same_queries_with_ten_times_the_members(
        template, role, login, session, settings, cast):
    load_catalogues(session=session, root=PROJECT_ROOT / "catalogue")
    objects = _object_ids(session, settings, cast, template)  # the cycle, assessment, …
    path = _fill(template, {name: getattr(cast, name).id for name in CAST_PLACEHOLDERS}
                 | objects)
    _add_members(session, FEW)
    few = _get(login, session, settings, cast, path, role)
    assert few.status_code < 400, (template, role, few.status_code)
    _add_members(session, MANY - FEW)
    many = _get(login, session, settings, cast, path, role)
    assert many.status_code == few.status_code
    assert int(many.headers["x-query-count"]) == int(few.headers["x-query-count"])
