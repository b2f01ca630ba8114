"""Parallel uploads of an inspection's report against a served etik: each replaces the one
before in turn, and the folder ends holding exactly the file of the report that stayed, on
SQLite and PostgreSQL alike (tests/api/test_races.py has the machinery)."""

from datetime import date

import httpx2
import pytest
from sqlmodel import select

from app.models import InspectionReport
from app.services.inspections import record_inspection
from tests.api.test_races import PARALLEL, _bearer, _race, live  # noqa: F401 (fixture)
from tests.services.test_file_types import MINIMAL_PDF

ROUNDS = 4


@pytest.fixture
def report_url(session, cast, catalogue, live) -> str:  # noqa: F811
    inspection = record_inspection(
        session=session, user=cast.alice, organisation_id=cast.org_a.id, today=date.today(),
        data={"visited_on": date(2026, 2, 10), "authority": "nord", "kind": "announced",
              "framework_version": "2017",
              "themes": [{"theme_id": "km.tema.kompetencer", "score": 4}]}).inspection
    return (f"{live}/api/v1/organisations/{cast.org_a.id}/inspections/{inspection.id}"
            "/report")


def test_parallel_uploads_leave_one_report_and_only_its_file(session, settings, cast,
                                                             report_url):
    member = _bearer(session, settings, cast.alice)
    for n in range(ROUNDS):
        senders = [lambda http, i=i, n=n: http.put(report_url, headers=member, files={
            "file": (f"rapport-{n}-{i}.pdf", MINIMAL_PDF + f"% {n} {i}\n".encode(),
                     "application/pdf")}) for i in range(PARALLEL)]
        statuses = _race(senders)
        assert statuses == [200] * PARALLEL, statuses
        session.expire_all()
        [report] = session.exec(select(InspectionReport)).all()
        folder = settings.var_dir / "evidence"
        assert sorted(p.name for p in folder.iterdir()) == [report.storage_key]
        assert httpx2.get(report_url, headers=member).content == (
            MINIMAL_PDF + report.filename.removesuffix(".pdf").replace(
                "rapport-", "% ").replace("-", " ").encode() + b"\n")
