"""GET /board/charts/{chart}.csv and .xlsx: the chart's table, suppression applied."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from app.models import Organisation
from app.models.vocabulary import Role, ServiceType
from tests.conftest import make_user
from tests.services.board.seeding import make_cycle, seed_groups

CHARTS = ("distribution", "trend", "threshold", "response-rate", "radar", "segments",
          "reference")


@pytest.fixture
def seeded(session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 4, ServiceType.KOSTSKOLE: 5,
                                 ServiceType.FORSORGSHJEM: 9})
    return cycle


@pytest.fixture
def board(login, session):
    return login(make_user(session, Role.BOARD))


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _page_rows(page: str, chart: str) -> int:
    section = page.split(f'id="{chart}-heading"')[1].split("</section>")[0]
    return section.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")


@pytest.mark.parametrize("chart", CHARTS)
def test_the_csv_has_the_tables_rows(board, seeded, chart):
    query = f"cycle_id={seeded.id}&segment=tilbudstype&value=forsorgshjem"
    response = board.get(f"/board/charts/{chart}.csv?{query}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f"etik-{chart}-2025-tilbudstype-forsorgshjem.csv" in response.headers[
        "content-disposition"]
    rows = _csv_rows(response)
    page = board.get(f"/board?{query}").text
    assert len(rows) - 1 == _page_rows(page, chart)


def test_the_segment_comparison_hides_the_four_and_the_five(board, seeded):
    rows = _csv_rows(board.get(f"/board/charts/segments.csv?cycle_id={seeded.id}"
                               "&segment=tilbudstype"))
    by_group = {row[0]: row for row in rows[1:]}
    assert by_group["Døgntilbud"][1:] == ["skjult"] * (len(rows[0]) - 1)
    assert by_group["Kostskole"][1:] == ["skjult"] * (len(rows[0]) - 1)
    assert by_group["Forsorgshjem (§ 110)"][1] == "9"


def test_a_suppressed_group_exports_no_figures(board, seeded):
    rows = _csv_rows(board.get(f"/board/charts/distribution.csv?cycle_id={seeded.id}"
                               "&segment=tilbudstype&value=kostskole"))
    assert len(rows) == 1  # the header alone


def test_the_excel_file_has_the_same_numbers(board, seeded):
    query = f"cycle_id={seeded.id}"
    response = board.get(f"/board/charts/distribution.xlsx?{query}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    rows = _csv_rows(board.get(f"/board/charts/distribution.csv?{query}"))
    assert [str(c) for c in table[0]] == rows[0]
    assert [[str(c) for c in row] for row in table[1:]] == [r for r in rows[1:]]
    assert all(isinstance(c, int) for c in table[1][1:])


def test_an_unknown_chart_is_not_found(board, seeded):
    assert board.get("/board/charts/pie.csv").status_code == 404


def test_no_member_name_or_cvr_in_any_download(board, session, seeded):
    texts = []
    for chart in CHARTS:
        for query in ("", "segment=tilbudstype", "segment=region", "segment=size"):
            texts.append(board.get(f"/board/charts/{chart}.csv?{query}").content.decode())
            book = load_workbook(io.BytesIO(board.get(
                f"/board/charts/{chart}.xlsx?{query}").content))
            texts.append(" ".join(str(c) for row in book.active.iter_rows(values_only=True)
                                  for c in row))
    for organisation in session.exec(select(Organisation)):
        for text in texts:
            assert organisation.name not in text and organisation.cvr not in text
