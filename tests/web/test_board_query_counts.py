"""The board's pages, downloads and API cost the same number of SQL queries for 10 members
as for 1,000: every figure comes from grouped queries, never a loop over members."""

import pytest

from app.models.vocabulary import Role
from tests.conftest import api_token, make_user
from tests.services.board.seeding import make_cycle, seed_many

PATHS = ["/board", "/board?segment=tilbudstype", "/board?segment=region&value=hovedstaden",
         "/board?segment=size&value=10-19", "/board/charts/segments.csv?segment=region",
         "/board/charts/distribution.xlsx", "/api/v1/aggregates",
         "/api/v1/aggregates?segment=tilbudstype",
         "/api/v1/aggregates?segment=region&value=sjaelland",
         "/api/v1/aggregates/trend?segment=size&value=20-29"]


def _queries(client, path: str, headers: dict) -> int:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return int(response.headers["x-query-count"])


def test_board_queries_do_not_grow_with_the_members(login, client, session, catalogue):
    cycles = [make_cycle(session, catalogue, year) for year in (2023, 2024, 2025)]
    board = make_user(session, Role.BOARD)
    browser = login(board)
    api = api_token(client, board.email)

    def counts() -> dict[str, int]:
        return {path: _queries(client if path.startswith("/api/") else browser, path,
                               api if path.startswith("/api/") else {}) for path in PATHS}

    seed_many(session, cycles, 10)
    few = counts()
    seed_many(session, cycles, 990, seed=12)
    assert counts() == few
    assert max(few.values()) <= 20, few  # and a small number at that


@pytest.mark.parametrize("path", ["/board", "/api/v1/aggregates"])
def test_with_no_data_the_board_still_answers(login, session, catalogue, path):
    make_cycle(session, catalogue, 2025)
    board = make_user(session, Role.BOARD)
    client = login(board)
    if path.startswith("/api/"):
        response = client.get(path, headers=api_token(client, board.email))
    else:
        response = client.get(path)
    assert response.status_code == 200
