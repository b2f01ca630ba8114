"""`make bench` end to end at a tiny scale: seed, serve with uvicorn, load every page over
HTTP from a second process, print the table."""

import os
import signal
import subprocess
import sys

import pytest

from app.config import PROJECT_ROOT
from bench.__main__ import NOT_BUILT_YET, PAGES

MEMBERS = 3


def test_the_benchmark_prints_a_row_for_every_page(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith("ETIK_")}
    # Its own process group, so a hung run is ended together with the server it started.
    bench = subprocess.Popen(
        [sys.executable, "-m", "bench", "--scales", str(MEMBERS), "--cycles", "1",
         "--requests", "4", "--concurrency", "2", "--var-dir", str(tmp_path)],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    try:
        stdout, stderr = bench.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(bench.pid, signal.SIGKILL)
        stdout, stderr = bench.communicate()
        pytest.fail(f"the benchmark did not finish in 180 s:\n{stdout}{stderr}")

    assert bench.returncode == 0, stdout + stderr
    lines = stdout.splitlines()
    assert f"{MEMBERS} members, 1 cycles, 4 requests per page" in lines
    rows = {line[:26].strip(): line[26:].split() for line in lines if line[:26].strip()}
    for page in PAGES:
        requests_per_second, p50, p95, queries, ratio, peak_mib, errors = rows[page]
        assert float(requests_per_second) > 0
        assert 0 < float(p50) <= float(p95)
        assert int(queries) >= 1  # the server counted its SQL statements
        assert float(ratio) > 0 and float(peak_mib) > 10  # a Python server holds > 10 MiB
        assert errors == "0", f"{page}: {errors} of 4 requests failed"
    assert rows[PAGES[0]][4] == "1.0"  # the ceiling against itself
    for page in NOT_BUILT_YET:
        assert rows[page] == ["not", "built", "yet"]
    assert (tmp_path / f"etik-{MEMBERS}.db").exists()


def test_a_database_that_cannot_be_opened_is_named_without_a_traceback(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith("ETIK_")}
    # Port 9 (discard) refuses connections on every machine the suite runs on.
    url = "postgresql+psycopg://bench:secret@127.0.0.1:9/nowhere"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--scales", "3", "--database-url", url,
         "--var-dir", str(tmp_path)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "The benchmark cannot open postgresql+psycopg://bench:***@127.0.0.1:9/nowhere" \
        in result.stderr
    assert "createdb" in result.stderr
    assert "Traceback" not in result.stderr and "secret" not in result.stderr
