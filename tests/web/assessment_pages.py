"""A started self-assessment for the web tests of its pages, and reading those pages' forms
as a browser without JavaScript would.

tests/conftest.py loads this module as a plugin (`pytest_plugins`), so its fixtures reach
the test modules of those pages; they import the plain functions.
"""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlmodel import Session, select

from app.clock import today
from app.models import Answer, Assessment, Cycle, Indicator, Requirement
from app.services.assessment.answers import save_answer
from app.services.assessment.start import start_assessment
from app.services.assessment.submission import submit
from app.services.assessment.view import indicators_in_scope
from tests.conftest import csrf_from

HX = {"HX-Request": "true"}


class _FormReader(HTMLParser):
    """What a browser without JavaScript would send for the form posting to `action`."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.values, self._textarea = action, False, {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif self.inside and tag == "input" and a.get("name"):
            if a.get("type") not in ("radio", "checkbox") or "checked" in a:
                self.values[a["name"]] = a.get("value", "")
        elif self.inside and tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # A browser drops the newline right after <textarea>.
            self.values[self._textarea] = self.values[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self.inside = False


def form_values(html: str, action: str) -> dict[str, str]:
    reader = _FormReader(action)
    reader.feed(html)
    return reader.values


def keys_of(session: Session, assessment_id: int, number: int) -> list[str]:
    assessment = session.get(Assessment, assessment_id)
    requirement = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id,
        Requirement.number == number)).one()
    return [i.key for i in indicators_in_scope(session, assessment.catalogue_version_id,
                                               "doegntilbud")
            if i.requirement_id == requirement.id]


def saved(session: Session, assessment_id: int, key: str) -> Answer | None:
    session.expire_all()
    return session.exec(select(Answer).join(Indicator, Indicator.id == Answer.indicator_id)
                        .where(Answer.assessment_id == assessment_id,
                               Indicator.key == key)).first()


def version_of(session: Session, assessment_id: int) -> int:
    session.expire_all()
    return session.get(Assessment, assessment_id).version


def hx_save(client, assessment_id, key, csrf, *, choice="", comment="", version, extra=None,
            headers=HX):
    data = {f"answer.{key}": choice, f"comment.{key}": comment, f"version.{key}": version,
            **(extra or {})}
    return client.post(f"/assessments/{assessment_id}/answers/{key}", data=data,
                       headers={**headers, "X-CSRF-Token": csrf})


class Started:
    def __init__(self, client, assessment_id, csrf):
        self.client, self.id, self.csrf = client, assessment_id, csrf

    def page(self, number=1):
        return self.client.get(f"/assessments/{self.id}/requirements/{number}")


@pytest.fixture
def started(login, cast, open_cycle) -> Started:
    """Alice has started this year's assessment through the home page's button."""
    client = login(cast.alice)
    csrf = csrf_from(client, "/")
    response = client.post("/assessments", data={"csrf_token": csrf, "cycle_id": open_cycle.id})
    assert response.status_code == 303
    return Started(client, int(response.headers["location"].split("/")[2]), csrf)


@pytest.fixture
def colleague(factory, cast):
    """A second person of Alice's organisation, saving through the same services."""
    from app.models.vocabulary import Role

    return factory.user(Role.MEMBER, organisation=cast.org_a, name="Carl Kollega")


def submitted_last_year(session, user, catalogue, score=4, comment="Sidste år"):
    """A submitted assessment of the user's organisation in last year's cycle."""
    now = today()
    cycle = Cycle(year=now.year - 1, catalogue_version_id=catalogue.id,
                  opens_on=now - timedelta(days=400), deadline=now - timedelta(days=300))
    session.add(cycle)
    session.commit()
    assessment, _ = start_assessment(session=session, user=user, cycle_id=cycle.id,
                                     today=cycle.opens_on)
    for indicator in indicators_in_scope(session, catalogue.id, "doegntilbud"):
        assessment, _ = save_answer(session=session, assessment_id=assessment.id,
                                    indicator_key=indicator.key, user=user,
                                    data={"score": score, "comment": comment,
                                          "version": assessment.version})
    return submit(session=session, assessment_id=assessment.id, user=user,
                  version=assessment.version)
