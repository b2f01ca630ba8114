"""Login limits hold under parallel requests to a served etik: each attempt is counted,
committed, before it is checked, so no more than the limit ever get a password check."""

import threading
from collections import Counter
from collections.abc import Iterator

import httpx2
import pytest

from tests.browser.live import serve

PARALLEL = 24


@pytest.fixture
def live(settings, engine) -> Iterator[str]:
    limited = settings.model_copy(update={"login_failure_limit": 5,
                                          "login_failure_ip_limit": 8})
    with serve(limited, engine) as server:
        yield server.url


def _all_at_once(url: str, bodies: list[dict]) -> Counter:
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = []

    def run(body: dict) -> None:
        with httpx2.Client(timeout=60) as http:
            barrier.wait()
            statuses.append(http.post(url, json=body).status_code)

    threads = [threading.Thread(target=run, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(statuses)


def test_parallel_wrong_passwords_for_one_account_get_no_more_checks_than_the_limit(
        live, cast):
    statuses = _all_at_once(f"{live}/api/v1/auth/token",
                            [{"email": cast.alice.email, "password": f"wrong {n}"}
                             for n in range(PARALLEL)])
    assert statuses[401] <= 5, statuses
    assert statuses[429] >= PARALLEL - 5, statuses
    assert set(statuses) <= {401, 429}


def test_parallel_failures_from_one_address_get_no_more_checks_than_its_limit(live, cast):
    statuses = _all_at_once(f"{live}/api/v1/auth/token",
                            [{"email": f"guess{n}@test.example", "password": "wrong"}
                             for n in range(PARALLEL)])
    assert statuses[401] <= 8, statuses
    assert set(statuses) <= {401, 429}


def test_the_right_password_within_the_limit_still_logs_in_and_clears_the_count(live, cast):
    url = f"{live}/api/v1/auth/token"
    for _ in range(4):
        assert httpx2.post(url, json={"email": cast.alice.email,
                                      "password": "wrong"}).status_code == 401
    from tests.conftest import PASSWORD
    assert httpx2.post(url, json={"email": cast.alice.email,
                                  "password": PASSWORD}).status_code == 200
    assert httpx2.post(url, json={"email": cast.alice.email,
                                  "password": "wrong"}).status_code == 401
