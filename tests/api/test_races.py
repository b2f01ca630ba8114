"""Concurrent versioned writes against a served etik: of requests that saw the same version,
exactly one wins and the rest get 409, on SQLite and PostgreSQL alike.

The app runs under uvicorn in a thread (tests.browser.live.serve); each round sends its
requests from threads released together by a barrier, so they really overlap.
"""

import threading
from collections.abc import Callable, Iterator

import httpx2
import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.models import Action, Assessment, User
from app.services.credentials import issue_api_token
from tests.browser.live import serve

ROUNDS = 12
PARALLEL = 4


@pytest.fixture
def live(settings: Settings, engine) -> Iterator[str]:
    with serve(settings, engine) as server:
        yield server.url


def _bearer(session: Session, settings: Settings, user: User) -> dict:
    token, _ = issue_api_token(session=session, settings=settings, user=user)
    return {"Authorization": f"Bearer {token}"}


def _race(senders: list[Callable[[httpx2.Client], httpx2.Response]]) -> list[int]:
    """Sends every request at once, each from its own thread and connection."""
    barrier = threading.Barrier(len(senders))
    statuses: list[int | str] = [0] * len(senders)

    def run(index: int, send) -> None:
        with httpx2.Client(timeout=60) as http:
            barrier.wait()
            try:
                statuses[index] = send(http).status_code
            except httpx2.HTTPError as exc:  # a hung or dropped request is a failure too
                statuses[index] = repr(exc)

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _one_winner(statuses: list) -> None:
    assert sorted(statuses) == [200] + [409] * (len(statuses) - 1), statuses


def _version(session: Session, assessment_id: int) -> int:
    session.expire_all()
    return session.get(Assessment, assessment_id).version


@pytest.fixture
def member(session, settings, cast):
    return _bearer(session, settings, cast.alice)


@pytest.fixture
def assessment_id(live, member, open_cycle) -> int:
    response = httpx2.post(f"{live}/api/v1/assessments", json={"cycle_id": open_cycle.id},
                           headers=member)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _answer_all(live, member, session, assessment_id, keys) -> None:
    for key in keys:
        response = httpx2.put(f"{live}/api/v1/assessments/{assessment_id}/answers/{key}",
                              json={"score": 4, "version": _version(session, assessment_id)},
                              headers=member)
        assert response.status_code == 200, response.text


def test_parallel_action_updates_of_one_version_let_exactly_one_through(
        live, session, settings, cast):
    headers = _bearer(session, settings, cast.advisor)
    created = httpx2.post(f"{live}/api/v1/actions", headers=headers, json={
        "organisation_id": cast.org_a.id, "title": "Ny procedure"})
    assert created.status_code == 201, created.text
    url = f"{live}/api/v1/actions/{created.json()['id']}"
    for seen in range(1, ROUNDS + 1):
        statuses = _race([
            lambda http, n=n, body={"version": seen}: http.patch(
                url, headers=headers, json={**body, "comment": f"{body['version']}-{n}"})
            for n in range(PARALLEL)])
        _one_winner(statuses)
        session.expire_all()
        action = session.exec(select(Action)).one()
        assert action.version == seen + 1
        assert action.comment.startswith(f"{seen}-")


def test_parallel_saves_of_one_answer_from_one_version_let_exactly_one_through(
        live, session, member, assessment_id, indicator_keys):
    url = f"{live}/api/v1/assessments/{assessment_id}/answers/{indicator_keys[0]}"
    for _ in range(ROUNDS):
        seen = _version(session, assessment_id)
        _one_winner(_race([
            lambda http, n=n, seen=seen: http.put(
                url, headers=member, json={"score": 1 + n, "comment": f"n{n}", "version": seen})
            for n in range(PARALLEL)]))
        assert _version(session, assessment_id) == seen + 1


def test_parallel_injunction_reports_from_one_version_let_exactly_one_through(
        live, session, member, assessment_id):
    url = f"{live}/api/v1/assessments/{assessment_id}/injunction"
    for _ in range(ROUNDS):
        seen = _version(session, assessment_id)
        _one_winner(_race([
            lambda http, n=n, seen=seen: http.put(url, headers=member, json={
                "reported": bool(n % 2), "kind": "paabud" if n % 2 else "",
                "description": f"n{n}", "version": seen})
            for n in range(PARALLEL)]))


def test_a_submit_and_a_save_sent_together_never_both_succeed(
        live, session, settings, cast, member, assessment_id, indicator_keys):
    _answer_all(live, member, session, assessment_id, indicator_keys)
    advisor = _bearer(session, settings, cast.advisor)
    base = f"{live}/api/v1/assessments/{assessment_id}"
    for _ in range(ROUNDS):
        seen = _version(session, assessment_id)
        statuses = _race([
            lambda http, seen=seen: http.post(f"{base}/submit", headers=member,
                                              json={"version": seen}),
            lambda http, seen=seen: http.put(f"{base}/answers/{indicator_keys[0]}",
                                             headers=member, json={"score": 5, "version": seen}),
        ])
        _one_winner(statuses)
        session.expire_all()
        if session.get(Assessment, assessment_id).status == "submitted":
            assert statuses[0] == 200
            reopened = httpx2.post(f"{base}/reopen", headers=advisor,
                                   json={"reason": "Næste runde"})
            assert reopened.status_code == 200, reopened.text


def test_parallel_reopens_of_one_submission_let_exactly_one_through(
        live, session, settings, cast, member, assessment_id, indicator_keys):
    _answer_all(live, member, session, assessment_id, indicator_keys)
    advisors = [_bearer(session, settings, cast.advisor), _bearer(session, settings, cast.admin)]
    base = f"{live}/api/v1/assessments/{assessment_id}"
    for _ in range(ROUNDS):
        submitted = httpx2.post(f"{base}/submit", headers=member,
                                json={"version": _version(session, assessment_id)})
        assert submitted.status_code == 200, submitted.text
        _one_winner(_race([
            lambda http, n=n: http.post(f"{base}/reopen", headers=advisors[n % 2],
                                        json={"reason": f"Grund {n}"})
            for n in range(PARALLEL)]))


def test_parallel_inspections_of_one_member_all_save_and_leave_the_right_latest_scores(
        live, session, settings, cast, member, catalogue):
    """Each new inspection rewrites the member's stored latest scores: at once, on
    PostgreSQL, the rewrites would collide without the lock official_scores takes."""
    from app.services import official_scores

    url = f"{live}/api/v1/organisations/{cast.org_a.id}/inspections"
    themes = ["km.tema.sundhed-trivsel", "km.tema.kompetencer"]
    for round_number in range(ROUNDS // 3):
        statuses = _race([
            lambda http, n=n, month=1 + round_number: http.post(url, headers=member, json={
                "visited_on": f"2025-0{month}-{10 + n}", "authority": "syd",
                "kind": "announced", "framework_version": "2017",
                "themes": [{"theme_id": themes[n % 2], "score": 1 + n}]})
            for n in range(PARALLEL)])
        assert statuses == [201] * PARALLEL, statuses

    def rows(subquery):
        session.expire_all()
        return sorted(tuple(row) for row in session.connection().execute(
            select(*subquery.c)))

    stored = rows(official_scores.stored())
    assert stored == rows(official_scores.computed())
    assert [(key, on.isoformat()) for _, key, on, _ in stored] == [
        ("km.tema.kompetencer", f"2025-0{ROUNDS // 3}-13"),
        ("km.tema.sundhed-trivsel", f"2025-0{ROUNDS // 3}-12")]
