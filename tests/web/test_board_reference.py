"""The board's reference chart: the members' self-assessment per quality-model theme
beside the sector reference, by the documented rule, suppressed like every other figure."""

import csv
import io
from statistics import fmean

import pytest

from app.models import SectorReference
from app.models.vocabulary import Role, ServiceType
from tests.conftest import make_user
from tests.services.board.seeding import make_cycle, seed_groups

HEALTH = "km.tema.sundhed-trivsel"  # requirement 4 maps to it, and only 4


@pytest.fixture
def board(login, session):
    return login(make_user(session, Role.BOARD))


def _reference(session, **fields):
    values = {"source": "Tilbudsportalen", "year": 2024, "theme_key": HEALTH,
              "provider_group": "public", "mean": 3.4} | fields
    session.add(SectorReference(**values))
    session.commit()


def _rows(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _theme_mean(respondents, key: str) -> float:
    return fmean(s for r in respondents if (s := r.score(key)) is not None)


def test_each_mapped_theme_has_the_members_mean_beside_the_latest_reference(
        board, session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    data = seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 6}, seed=4)
    _reference(session, year=2022, mean=2.0)  # an older year of the same source and group
    _reference(session, year=2024, mean=3.4)
    _reference(session, year=2026, mean=4.9)  # after the cycle: not its reference
    _reference(session, provider_group="non_public", mean=3.8, source="Anden kilde",
               year=2023)
    rows = _rows(board, f"/board/charts/reference.csv?cycle_id={cycle.id}")
    header, body = rows[0], rows[1:]
    assert header == ["Tema i kvalitetsmodellen", "Fordringer",
                      "Alle medlemmer (selvevaluering)",
                      "Tilbudsportalen 2024: Offentlige tilbud",
                      "Anden kilde 2023: Private og selvejende tilbud"]
    # The 2017 model's seven themes, each with the one requirement mapped to it.
    assert [r[1] for r in body] == ["1", "2", "3", "4", "5", "6", "7"]
    health = next(r for r in body if r[0].endswith("Sundhed og trivsel"))
    requirement_4 = next(r.key for r in data.requirements if r.number == 4)
    assert health[2] == f"{_theme_mean(data.respondents, requirement_4):.2f}".replace(".", ",")
    assert health[3:] == ["3,40", "3,80"]
    page = board.get(f"/board?cycle_id={cycle.id}").text
    assert "Ikke knyttet til et tema og derfor ikke med: fordring 8, 9, 10." in page
    assert "En selvevaluering er ikke en tilsynsvurdering" in page


def test_a_suppressed_group_shows_the_reference_but_not_its_own_figures(
        board, session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 6, ServiceType.KOSTSKOLE: 4})
    _reference(session)
    rows = _rows(board, f"/board/charts/reference.csv?cycle_id={cycle.id}"
                        "&segment=tilbudstype&value=kostskole")
    health = next(r for r in rows[1:] if r[0].endswith("Sundhed og trivsel"))
    assert health[2] == "skjult" and health[3] == "3,40"


def test_without_references_the_chart_says_so_and_still_shows_the_members(
        board, session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 5})
    page = board.get(f"/board?cycle_id={cycle.id}").text
    assert "Der er endnu ingen referencetal for 2025 eller før." in page
    rows = _rows(board, f"/board/charts/reference.csv?cycle_id={cycle.id}")
    assert len(rows[0]) == 3  # theme, requirements, the members


def test_only_an_admin_gets_the_link_to_correct_the_figures(login, session, cast, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 5})
    assert 'href="/admin/references"' in login(cast.admin).get("/board").text
    assert 'href="/admin/references"' not in login(cast.board).get("/board").text
