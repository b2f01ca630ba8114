"""`make bench`: seeds LOS scale (500 members) and 10× (5,000), serves each with uvicorn, and
loads it over HTTP from this second process. Prints a table; never fails on a timing.

    python -m bench [--scales 500,5000] [--cycles 5] [--requests 200] [--concurrency 4]
                    [--workers 1] [--var-dir var/bench] [--database-url URL]

Per page: requests per second, p50 and p95 latency, SQL statements per request (the
server's own count), p50 as a multiple of the trivial endpoint's in the same run, the
server process's peak resident memory after the page, and failed requests.

A test (tests/bench/) runs it at a tiny scale, so it cannot break unnoticed.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx2
from alembic import command
from sqlalchemy import make_url, select
from sqlalchemy.exc import OperationalError

from app.cli import alembic_config
from app.config import PROJECT_ROOT
from app.db import create_db_engine
from app.models import Assessment, Cycle, Indicator, Organisation, User
from bench.seed import ADVISOR, BENCH_PASSWORD, BOARD, is_seeded, seed

# The measured pages, in the order of the table. A non-2xx answer counts as an error.
PAGES = ["ceiling: /healthz", "member home", "member form", "member results",
         "member action plan", "save one answer (API)", "advisor flags", "advisor heatmap",
         "board dashboard", "board dashboard, a group", "board aggregates (API)"]
# Pages the contract names that later issues build; listed so the gap is visible.
NOT_BUILT_YET: list[str] = []
SERVER_START_SECONDS = 60


@dataclass
class Measurement:
    page: str
    requests: int
    seconds: float
    latencies: list[float]
    queries: list[int]
    errors: int
    peak_mib: float | None  # the server's peak resident memory so far

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else 0

    def row(self, ceiling_p50: float) -> str:
        ordered = sorted(self.latencies)
        p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000 if ordered else 0
        queries = f"{max(self.queries)}" if self.queries else "–"
        ratio = f"{self.p50 / ceiling_p50:.1f}" if ceiling_p50 else "–"
        memory = f"{self.peak_mib:.0f}" if self.peak_mib is not None else "–"
        return (f"{self.page:<26}{self.requests / self.seconds:>9.1f}{self.p50:>9.1f}"
                f"{p95:>9.1f}{queries:>9}{ratio:>9}{memory:>9}{self.errors:>8}")


HEADER = (f"{'page':<26}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'× ceil':>9}"
          f"{'peak MiB':>9}{'errors':>8}")


def _peak_mib(pid: int) -> float | None:
    """The largest peak resident set (VmHWM) of the server and its worker processes, where
    /proc has it (Linux)."""
    peaks = []
    for process in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if found:
            peaks.append(int(found.group(1)) / 1024)
    return max(peaks) if peaks else None


def _children(pid: int) -> list[int]:
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    return [int(child) for task in tasks
            for child in (task / "children").read_text().split() if child]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(url: str, port: int, var_dir: Path, workers: int = 1) -> subprocess.Popen:
    env = {**os.environ, "ETIK_DATABASE_URL": url, "ETIK_ENV": "development",
           "ETIK_SECRET_KEY": "bench-secret", "ETIK_VAR_DIR": str(var_dir),
           "ETIK_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
         "--workers", str(workers)],
        env=env, cwd=PROJECT_ROOT)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx2.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the benchmark server did not start")


def _measure(page: str, requests: int, concurrency: int, call, server_pid: int
             ) -> Measurement:
    call(0)  # warm-up: templates compiled, caches filled
    latencies, queries, errors = [], [], 0

    def one(i: int):
        started = time.perf_counter()
        response = call(i)
        return time.perf_counter() - started, response

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for elapsed, response in pool.map(one, range(1, requests + 1)):
            latencies.append(elapsed)
            if not response.is_success:
                errors += 1
            if "x-query-count" in response.headers:
                queries.append(int(response.headers["x-query-count"]))
    return Measurement(page, requests, time.perf_counter() - started, latencies, queries,
                       errors, _peak_mib(server_pid))


def _login(base: str, email: str) -> httpx2.Client:
    client = httpx2.Client(base_url=base, timeout=30)
    page = client.get("/login")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"email": email, "password": BENCH_PASSWORD,
                                           "csrf_token": token})
    if not response.is_redirect:
        raise SystemExit(f"the benchmark could not log in as {email}: {response.status_code}")
    return client


def _check_reachable(url: str) -> None:
    """A database given by URL must exist (SQLite files are created): say so, not a
    traceback from the first migration."""
    engine = create_db_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        shown = make_url(url).render_as_string(hide_password=True)
        raise SystemExit(f"The benchmark cannot open {shown}: {exc.orig}\n"
                         "Create the database first (for PostgreSQL: createdb); the "
                         "benchmark empties and seeds it.") from None
    finally:
        engine.dispose()


def _bench_scale(members: int, cycles: int, requests: int, concurrency: int,
                 url: str | None, var_dir: Path, workers: int = 1) -> list[Measurement]:
    var_dir.mkdir(parents=True, exist_ok=True)
    url = url or f"sqlite:///{var_dir / f'etik-{members}.db'}"
    engine = create_db_engine(url)
    if is_seeded(engine, members):
        command.upgrade(alembic_config(url), "head")  # seeded by an older checkout
    else:
        print(f"Seeding {members} members × {cycles} cycles …", flush=True)
        started = time.perf_counter()
        seed(engine, url, members, cycles)
        print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)
    with engine.connect() as connection:
        open_cycle = connection.execute(select(Cycle.id).order_by(Cycle.year.desc())).scalar()
        member_email, organisation_id, assessment_id, version = connection.execute(
            select(User.email, User.organisation_id, Assessment.id, Assessment.version)
            .join(Assessment, Assessment.organisation_id == User.organisation_id)
            .where(Assessment.cycle_id == open_cycle, Assessment.status == "draft")
            .order_by(Assessment.id)).first()
        service_type = connection.execute(
            select(Organisation.service_type).join(Assessment, Assessment.organisation_id
                                                   == Organisation.id)
            .where(Assessment.id == assessment_id)).scalar()
        keys = [key for key, scope in connection.execute(
            select(Indicator.key, Indicator.service_types)
            .join(Assessment, Assessment.catalogue_version_id == Indicator.catalogue_version_id)
            .where(Assessment.id == assessment_id).order_by(Indicator.position))
            if service_type in scope]
    engine.dispose()
    port = _free_port()
    server = _serve(url, port, var_dir, workers)
    base = f"http://127.0.0.1:{port}"
    try:
        member = _login(base, member_email)
        advisor = _login(base, ADVISOR)
        token = httpx2.post(f"{base}/api/v1/auth/token", json={
            "email": member_email, "password": BENCH_PASSWORD}).json()["access_token"]
        api = httpx2.Client(base_url=base, timeout=30,
                            headers={"Authorization": f"Bearer {token}"})
        versions = {}
        board = _login(base, BOARD)
        board_token = httpx2.post(f"{base}/api/v1/auth/token", json={
            "email": BOARD, "password": BENCH_PASSWORD}).json()["access_token"]
        board_api = httpx2.Client(base_url=base, timeout=30,
                                  headers={"Authorization": f"Bearer {board_token}"})
        segments = ["tilbudstype", "region", "size"]

        def save(i: int) -> httpx2.Response:
            # Each worker saves its own indicator with the version its last save returned.
            key = keys[i % len(keys)]
            response = api.put(f"/api/v1/assessments/{assessment_id}/answers/{key}", json={
                "score": 1 + i % 5, "not_applicable": False, "comment": "benchmark",
                "version": versions.get(key, version)})
            if response.status_code == 200:
                versions[key] = response.json()["version"]
            return response

        calls = [
            lambda i: member.get("/healthz"),
            lambda i: member.get("/"),
            lambda i: member.get(f"/assessments/{assessment_id}/requirements/{1 + i % 10}"),
            lambda i: member.get(f"/assessments/{assessment_id}/results"),
            lambda i: member.get(f"/organisations/{organisation_id}/actions"),
            save,
            # Every member, not only the advisor's own: the whole list, sorted in SQL.
            lambda i: advisor.get("/advisor/flags?advisor="),
            lambda i: advisor.get(f"/advisor/heatmap?advisor=&sort={1 + i % 10}"),
            lambda i: board.get("/board", params={"segment": segments[i % 3]}),
            lambda i: board.get("/board", params={"segment": "region", "value": "midtjylland"}),
            lambda i: board_api.get("/api/v1/aggregates", params={"segment": segments[i % 3]}),
        ]
        # Saves run in one worker, so no two requests race on the same answer's version.
        return [_measure(name, requests, 1 if call is save else concurrency, call, server.pid)
                for name, call in zip(PAGES, calls, strict=True)]
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="500,5000")
    parser.add_argument("--cycles", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1,
                        help="uvicorn worker processes (production runs one per core or "
                             "more; 1 measures a single process, as the targets were set)")
    parser.add_argument("--database-url", default=os.environ.get("ETIK_BENCH_DATABASE_URL"),
                        help="benchmark on this database instead of VAR_DIR/etik-N.db "
                             "(it is emptied and seeded)")
    parser.add_argument("--var-dir", type=Path, default=PROJECT_ROOT / "var" / "bench",
                        help="the folder of the benchmark's SQLite databases and server files")
    args = parser.parse_args()
    if args.database_url:
        _check_reachable(args.database_url)
    for members in (int(s) for s in args.scales.split(",")):
        results = _bench_scale(members, args.cycles, args.requests, args.concurrency,
                               args.database_url, args.var_dir, args.workers)
        print(f"\n{members} members, {args.cycles} cycles, {args.requests} requests per page"
              + (f", {args.workers} workers" if args.workers > 1 else ""))
        print(HEADER)
        for result in results:
            print(result.row(results[0].p50))
        for name in NOT_BUILT_YET:
            print(f"{name:<26}{'not built yet':>44}")


if __name__ == "__main__":
    main()
