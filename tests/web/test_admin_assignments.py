"""Admin: assigning members to advisors in bulk, previewed first, audited per member."""

import pytest
from sqlmodel import select

from app.models import AuditEntry, Organisation
from app.models.vocabulary import Region, Role
from tests.conftest import csrf_from


@pytest.fixture
def admin(login, cast):
    return login(cast.admin)


def _post(client, **data):
    return client.post("/admin/assignments",
                       data={"csrf_token": csrf_from(client, "/admin/assignments"), **data})


def test_the_page_shows_how_members_are_spread(admin, cast):
    html = admin.get("/admin/assignments").text
    assert "Anders Konsulent" in html and "Ikke tildelt" in html


def test_a_region_is_previewed_then_assigned_and_each_change_audited(admin, cast, session,
                                                                    factory):
    north = factory.organisation(name="Nord", region=Region.NORDJYLLAND)
    preview = _post(admin, advisor_id=str(cast.advisor.id), region="nordjylland",
                    service_type="")
    assert preview.status_code == 200
    assert "1 medlem passer til valget" in preview.text
    session.refresh(north)
    assert north.advisor_id is None  # nothing changed yet
    done = _post(admin, advisor_id=str(cast.advisor.id), region="nordjylland",
                 service_type="", confirm="1")
    assert done.status_code == 303 and done.headers["location"] == "/admin/assignments?changed=1"
    session.refresh(north)
    session.refresh(cast.org_a)
    assert north.advisor_id == cast.advisor.id and cast.org_a.advisor_id is None
    entry = session.exec(select(AuditEntry).where(AuditEntry.entity_id == str(north.id))
                         .order_by(AuditEntry.id.desc())).first()
    assert entry.changes == {"advisor_id": [None, cast.advisor.id]}


def test_only_unassigned_leaves_other_advisors_members_alone(admin, cast, session, factory):
    other = factory.user(Role.ADVISOR)
    cast.org_a.advisor_id = other.id
    session.add(cast.org_a)
    session.commit()
    _post(admin, advisor_id=str(cast.advisor.id), region="", service_type="",
          only_unassigned="1", confirm="1")
    advisors = dict(session.exec(select(Organisation.name, Organisation.advisor_id)).all())
    assert advisors["Alfa Opholdssted"] == other.id
    assert advisors["Beta Bosted"] == cast.advisor.id


def test_a_user_who_is_not_an_advisor_is_refused(admin, cast, session):
    response = _post(admin, advisor_id=str(cast.board.id), region="", service_type="",
                     confirm="1")
    assert response.status_code == 422
    assert "Vælg en aktiv konsulent." in response.text
    session.refresh(cast.org_a)
    assert cast.org_a.advisor_id is None


def test_nothing_is_assigned_until_an_advisor_or_none_is_chosen(admin, cast, session):
    cast.org_a.advisor_id = cast.advisor.id
    session.add(cast.org_a)
    session.commit()
    refused = _post(admin, advisor_id="", region="", service_type="", confirm="1")
    assert refused.status_code == 422
    assert "Vælg en konsulent" in refused.text
    session.refresh(cast.org_a)
    assert cast.org_a.advisor_id == cast.advisor.id
    _post(admin, advisor_id="none", region="", service_type="", confirm="1")
    session.refresh(cast.org_a)
    assert cast.org_a.advisor_id is None
