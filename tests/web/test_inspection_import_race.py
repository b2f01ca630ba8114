"""Two admins confirming the same inspection file at the same moment, against a served
etik: one saves it, the other is told the inspections are already recorded, and nothing
is saved twice, on SQLite and PostgreSQL alike."""

import re
import threading
from collections.abc import Iterator

import httpx2
import pytest
from sqlmodel import func, select

from app.models import Inspection
from app.models.vocabulary import Role
from tests.browser.live import serve
from tests.conftest import PASSWORD
from tests.services.test_inspection_import import GOOD

ROUNDS = 4
PARALLEL = 3
PAGE = "/admin/inspections/import"


@pytest.fixture
def live(settings, engine) -> Iterator[str]:
    with serve(settings, engine) as server:
        yield server.url


def _logged_in(base: str, email: str) -> tuple[httpx2.Client, str]:
    client = httpx2.Client(base_url=base, timeout=60)
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text)[1]
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.is_redirect, response.status_code
    page = client.get(PAGE).text
    return client, re.search(r'name="csrf-token" content="([^"]+)"', page)[1]


def _all_at_once(clients: list[tuple[httpx2.Client, str]], content: str) -> list[int]:
    """Each client confirms `content`, from its own thread, released together."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def confirm(client: httpx2.Client, token: str) -> None:
        barrier.wait()
        statuses.append(client.post(f"{PAGE}/confirm", data={
            "content": content, "csrf_token": token}).status_code)

    threads = [threading.Thread(target=confirm, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_the_same_file_confirmed_twice_at_once_is_saved_once(live, session, factory, cast,
                                                             catalogue):
    for name in ("Egebo Opholdssted", "Fjordhuset"):
        factory.organisation(name=name, cvr="12345678")
    factory.organisation(name="Kildebo Kostskole", cvr="87654321")
    admins = [cast.admin, *(factory.user(Role.ADMIN, email=f"admin{n}@test.example")
                            for n in range(1, PARALLEL))]
    clients = [_logged_in(live, admin.email) for admin in admins]
    saved = 0
    for round_number in range(ROUNDS):
        # Each round a file of its own dates, so each round starts with nothing recorded.
        content = GOOD.decode().replace("2024", str(2016 + round_number)).replace(
            "2025-11-20", f"{2016 + round_number}-11-20")
        statuses = _all_at_once(clients, content)
        assert sorted(statuses) == [303] + [422] * (PARALLEL - 1), statuses
        saved += 2
        session.expire_all()
        assert session.exec(select(func.count()).select_from(Inspection)).one() == saved
    for client, _token in clients:
        client.close()
