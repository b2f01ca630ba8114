"""GET /board: the dashboard, its filter in the URL, htmx blocks and no member to be seen."""

import re

import pytest
from sqlmodel import select

from app.models import Organisation
from app.models.vocabulary import Region, Role, ServiceType
from tests.conftest import make_user
from tests.services.board.seeding import make_cycle, seed_groups

CHARTS = ("distribution", "trend", "threshold", "response-rate", "radar", "segments",
          "reference")


@pytest.fixture
def seeded(session, catalogue):
    old = make_cycle(session, catalogue, 2024)
    seed_groups(session, old, {ServiceType.DOEGNTILBUD: 6, ServiceType.KOSTSKOLE: 7}, seed=2)
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 4, ServiceType.KOSTSKOLE: 6,
                                 ServiceType.FORSORGSHJEM: 9}, non_respondents=1)
    return cycle


@pytest.fixture
def board(login, session):
    return login(make_user(session, Role.BOARD))


def test_the_dashboard_has_every_chart_with_its_table(board, seeded):
    page = board.get("/board")
    assert page.status_code == 200
    for chart in CHARTS:
        assert f'id="{chart}-heading"' in page.text
        assert f'aria-labelledby="{chart}-table"' in page.text
        assert f"/board/charts/{chart}.csv?" in page.text
        assert f"/board/charts/{chart}.xlsx?" in page.text
    assert page.text.count("data-board-figure=") == len(CHARTS)
    assert "Kort fortalt" in page.text


def test_htmx_gets_only_the_dashboard_block(board, seeded):
    url = f"/board?cycle_id={seeded.id}&segment=region"
    whole = board.get(url)
    block = board.get(url, headers={"HX-Request": "true"})
    assert block.status_code == 200
    assert block.text.lstrip().startswith('<div id="dashboard"')
    assert "<html" not in block.text and "<html" in whole.text
    assert 'id="dashboard"' in whole.text


def test_the_filter_is_read_from_the_url_and_shown_selected(board, seeded):
    page = board.get(f"/board?cycle_id={seeded.id}&segment=tilbudstype&value=forsorgshjem")
    assert re.search(r'<option value="tilbudstype" selected>', page.text)
    assert re.search(r'<option value="forsorgshjem" selected>', page.text)
    assert "Forsorgshjem (§ 110)" in page.text
    assert "value=forsorgshjem" in page.text  # the downloads keep the filter


def test_a_suppressed_group_shows_no_figures(board, seeded):
    page = board.get(f"/board?cycle_id={seeded.id}&segment=tilbudstype&value=doegntilbud")
    assert page.status_code == 200
    assert "Gruppen vises ikke" in page.text
    # Only the comparison of the visible groups is drawn: in 2024 døgntilbud (6) is hidden
    # too, to cover forsorgshjem's members, none of whom responded that year.
    assert page.text.count("data-board-figure=") == 1
    kostskole = board.get(f"/board?cycle_id={seeded.id}&segment=tilbudstype&value=kostskole")
    # Kostskole: 2024 visible, 2025 hidden; the trend and response rate show 2024.
    assert kostskole.text.count("data-board-figure=") == 3


def test_a_group_of_another_segment_is_let_go(board, seeded):
    page = board.get(f"/board?cycle_id={seeded.id}&segment=region&value=kostskole")
    assert page.status_code == 200
    assert 'name="value"' in page.text and "selected>Kostskole" not in page.text


@pytest.mark.parametrize("query", ["segment=postnummer", "cycle_id=abc", "cycle_id=999999"])
def test_a_bad_filter_is_said_and_the_sector_shown(board, seeded, query):
    page = board.get(f"/board?{query}")
    assert page.status_code == 422
    assert 'role="alert"' in page.text
    assert page.text.count("data-board-figure=") == len(CHARTS)


def test_without_rounds_the_page_says_so(board, catalogue):
    page = board.get("/board")
    assert page.status_code == 200
    assert "ingen runder" in page.text


def test_advisors_and_admins_see_the_dashboard_members_do_not(login, session, seeded):
    for role, status in ((Role.ADVISOR, 200), (Role.ADMIN, 200), (Role.MEMBER, 403)):
        assert login(make_user(session, role)).get("/board").status_code == status


def test_no_member_name_cvr_or_free_text_on_any_view(board, session, seeded):
    views = ["/board", f"/board?cycle_id={seeded.id}&segment=tilbudstype",
             f"/board?segment=region&value={Region.MIDTJYLLAND}",
             "/board?segment=size", "/board?segment=size&value=10-19",
             "/board?segment=tilbudstype&value=kostskole"]
    texts = [board.get(v).text for v in views]
    texts += [board.get(v, headers={"HX-Request": "true"}).text for v in views]
    for organisation in session.exec(select(Organisation)):
        for text in texts:
            assert organisation.name not in text
            assert organisation.cvr not in text
            assert organisation.company_name not in text


def test_the_calibration_chart_is_for_the_whole_sector_only(login, cast, session, catalogue):
    from tests.services.board.seeding import make_cycle

    make_cycle(session, catalogue, 2025)
    client = login(cast.board)
    sector = client.get("/board").text
    assert "Tilsynets og medlemmernes egne scorer pr. tema" in sector
    assert "For få medlemmer har skrevet tilsynets scorer ind" in sector
    group = client.get("/board?segment=region&value=hovedstaden").text
    assert "Tilsynets scorer vises kun for hele sektoren" in group
