"""Admin: the annual cycles – list with status, create and edit, errors at their fields."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.clock import today
from app.models import Cycle
from tests.conftest import csrf_from
from tests.services.test_results import fill_in, past_cycle


@pytest.fixture
def admin(login, cast, catalogue):
    client = login(cast.admin)
    client.csrf = csrf_from(client, "/admin/cycles")
    return client


def _form(admin, catalogue, **fields):
    year = today().year + 1
    return {"csrf_token": admin.csrf, "year": str(year),
            "catalogue_version_id": str(catalogue.id),
            "opens_on": f"{year}-02-01", "deadline": f"{year}-04-30", **fields}


def _cycles(session):
    session.expire_all()
    return session.exec(select(Cycle).order_by(Cycle.year)).all()


def test_the_list_shows_each_cycle_with_its_status_and_counts(admin, session, cast, catalogue,
                                                              open_cycle):
    last = past_cycle(session, catalogue, 1)
    fill_in(session, cast.org_a, last, {})
    planned = Cycle(year=today().year + 1, catalogue_version_id=catalogue.id,
                    opens_on=today() + timedelta(days=100), deadline=today() + timedelta(days=200))
    session.add(planned)
    session.commit()
    html = admin.get("/admin/cycles").text
    assert "3 runder" in html
    for cycle, label in ((open_cycle, "Åben"), (last, "Lukket"), (planned, "Planlagt")):
        row = html[html.index(f'id="cycle-{cycle.id}"'):]
        row = row[:row.index("</tr>")]
        assert label in row, (cycle.year, row)
    last_row = html[html.index(f'id="cycle-{last.id}"'):]
    assert '<td class="num">1</td>\n          <td class="num">1</td>' in last_row


def test_the_admin_navigation_has_runder(admin):
    html = admin.get("/admin/cycles").text
    assert '<a href="/admin/cycles" aria-current="page">Runder</a>' in html


def test_creating_a_cycle_saves_it_and_returns_to_the_list(admin, session, catalogue):
    response = admin.post("/admin/cycles", data=_form(admin, catalogue))
    assert response.status_code == 303
    [cycle] = _cycles(session)
    assert response.headers["location"] == f"/admin/cycles?created={cycle.id}#cycle-{cycle.id}"
    assert (cycle.year, cycle.opens_on) == (today().year + 1, date(today().year + 1, 2, 1))
    assert "Runden er oprettet." in admin.get(response.headers["location"]).text


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"year": ""}, "year", "Skal udfyldes."),
    ({"year": "tyve"}, "year", "Skal være et helt tal."),
    ({"year": "1999"}, "year", "Skal være mindst 2000."),
    ({"catalogue_version_id": ""}, "catalogue_version_id", "Skal udfyldes."),
    ({"catalogue_version_id": "99999"}, "catalogue_version_id", "Vælg et katalog fra listen."),
    ({"opens_on": "1. februar"}, "opens_on", "Skal være en dato."),
    ({"deadline": "2020-01-01"}, "deadline", "Fristen skal ligge efter åbningsdatoen."),
])
def test_a_refused_cycle_shows_the_error_at_its_field_and_keeps_what_was_typed(
        admin, session, catalogue, fields, field, message):
    form = _form(admin, catalogue, **fields)
    response = admin.post("/admin/cycles", data=form)
    assert response.status_code == 422
    html = response.text
    assert f'<p class="field__error" id="{field}-error">{message}</p>' in html
    assert f'{field}-error"' in html.split(f'id="{field}"')[1].split(">")[0]
    if field != "catalogue_version_id":
        assert f'value="{form[field]}"' in html
    assert _cycles(session) == []


def test_a_second_cycle_for_the_same_year_is_refused_at_the_year(admin, session, catalogue,
                                                                 open_cycle):
    response = admin.post("/admin/cycles", data=_form(admin, catalogue,
                                                      year=str(open_cycle.year)))
    assert response.status_code == 422
    assert "Der findes allerede en runde for dette år." in response.text
    assert len(_cycles(session)) == 1


def test_editing_a_cycle_moves_its_deadline(admin, session, catalogue, open_cycle):
    page = admin.get(f"/admin/cycles/{open_cycle.id}").text
    assert f'value="{open_cycle.deadline.isoformat()}"' in page
    later = (open_cycle.deadline + timedelta(days=14)).isoformat()
    response = admin.post(f"/admin/cycles/{open_cycle.id}", data=_form(
        admin, catalogue, year=str(open_cycle.year), opens_on=open_cycle.opens_on.isoformat(),
        deadline=later))
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/cycles/{open_cycle.id}?saved=1"
    assert _cycles(session)[0].deadline.isoformat() == later
    assert "Ændringerne er gemt." in admin.get(response.headers["location"]).text


def test_a_refused_edit_keeps_what_was_typed(admin, session, catalogue, open_cycle):
    response = admin.post(f"/admin/cycles/{open_cycle.id}", data=_form(
        admin, catalogue, year=str(open_cycle.year), opens_on="2030-05-01",
        deadline="2030-04-01"))
    assert response.status_code == 422
    assert 'value="2030-04-01"' in response.text
    assert _cycles(session)[0].deadline == open_cycle.deadline


def test_the_catalogue_is_locked_once_members_have_started(admin, session, cast, catalogue,
                                                           open_cycle):
    fill_in(session, cast.org_a, open_cycle, {}, submitted=False, user=cast.alice)
    page = admin.get(f"/admin/cycles/{open_cycle.id}").text
    assert "Kan ikke skiftes: medlemmerne er gået i gang" in page
    assert "1 medlem er gået i gang, 0 har indsendt." in page


def test_an_unknown_cycle_is_404(admin):
    assert admin.get("/admin/cycles/99999").status_code == 404


@pytest.mark.parametrize("role", ["member", "advisor", "board"])
def test_only_admins_manage_cycles(login, cast, role):
    assert login(cast.by_role(role)).get("/admin/cycles").status_code == 403
