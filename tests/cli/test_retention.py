"""`etik retention apply [--dry-run]`: evidence files older than the retention period are
removed from disk; the rows stay marked, each removal is audited, and a rerun does nothing."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.clock import today
from app.models import AuditEntry, Evidence
from app.models.base import utcnow
from app.services.assessment.evidence import add_file_evidence, add_link_evidence
from app.services.assessment.start import start_assessment
from tests.cli.test_user_mistakes import etik, etik_on_database  # noqa: F401 (fixtures)
from tests.services.test_file_types import MINIMAL_PDF


@pytest.fixture
def evidence_folder(tmp_path):
    return tmp_path / "var" / "evidence"


@pytest.fixture
def uploads(engine, cast, open_cycle, evidence_folder, database_url):
    """Three files and a link: one file from six years ago, one from four, one from today."""
    from app.config import Settings

    settings = Settings(env="test", database_url=database_url, secret_key="x",
                        var_dir=evidence_folder.parent)
    with Session(engine, expire_on_commit=False) as session:
        assessment, _ = start_assessment(session=session, user=cast.alice,
                                         cycle_id=open_cycle.id, today=today())
        rows = {}
        for name, age in (("gammel.pdf", 6 * 365), ("nyere.pdf", 4 * 365), ("ny.pdf", 0)):
            rows[name] = add_file_evidence(session=session, settings=settings,
                                           assessment_id=assessment.id,
                                           requirement_key="efk.uddannelse", user=cast.alice,
                                           filename=name, content=MINIMAL_PDF)
            rows[name].created_at = utcnow() - timedelta(days=age)
            session.add(rows[name])
        link = add_link_evidence(session=session, assessment_id=assessment.id,
                                 requirement_key="efk.uddannelse", user=cast.alice,
                                 url="https://example.org/gammel", title="Gammelt link")
        link.created_at = utcnow() - timedelta(days=10 * 365)
        session.add(link)
        session.commit()
    return rows


def _state(engine):
    with Session(engine) as session:
        return {e.filename or e.title: e.file_removed_at for e in session.exec(select(Evidence))}


def test_a_dry_run_lists_what_would_go_and_changes_nothing(etik_on_database, uploads, engine,  # noqa: F811
                                                           evidence_folder):
    result = etik_on_database("retention", "apply", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would remove evidence" in result.output and "gammel.pdf" in result.output
    assert "nyere.pdf" not in result.output and "ny.pdf" not in result.output
    assert "Would remove 1 evidence file" in result.output
    assert len(list(evidence_folder.iterdir())) == 3
    assert all(removed is None for removed in _state(engine).values())
    with Session(engine) as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "retention")).all() \
            == []


def test_apply_removes_old_files_keeps_their_rows_and_audits_each(etik_on_database, uploads,  # noqa: F811
                                                                  engine, evidence_folder):
    result = etik_on_database("retention", "apply")
    assert result.exit_code == 0, result.output
    assert "Removed 1 evidence file" in result.output
    old = uploads["gammel.pdf"]
    assert not (evidence_folder / old.storage_key).exists()
    assert (evidence_folder / uploads["nyere.pdf"].storage_key).exists()
    state = _state(engine)
    assert state["gammel.pdf"] is not None
    assert state["nyere.pdf"] is None and state["ny.pdf"] is None
    assert state["Gammelt link"] is None  # links have no file to remove
    with Session(engine) as session:
        (entry,) = session.exec(select(AuditEntry).where(AuditEntry.action == "retention"))
    assert (entry.entity, entry.entity_id, entry.user_id) == ("evidence", str(old.id), None)
    assert entry.changes["file"] == ["gammel.pdf", None]


def test_a_second_run_does_nothing(etik_on_database, uploads, engine):  # noqa: F811
    etik_on_database("retention", "apply")
    again = etik_on_database("retention", "apply")
    assert again.exit_code == 0 and "Removed 0 evidence files" in again.output
    with Session(engine) as session:
        assert len(session.exec(select(AuditEntry).where(
            AuditEntry.action == "retention")).all()) == 1


def test_the_retention_period_is_a_setting(etik_on_database, uploads, engine, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ETIK_EVIDENCE_RETENTION_DAYS", str(3 * 365))
    result = etik_on_database("retention", "apply")
    assert "Removed 2 evidence files" in result.output
    assert _state(engine)["ny.pdf"] is None


def test_a_file_already_missing_on_disk_is_marked_without_an_error(etik_on_database, uploads,  # noqa: F811
                                                                    engine, evidence_folder):
    (evidence_folder / uploads["gammel.pdf"].storage_key).unlink()
    result = etik_on_database("retention", "apply")
    assert result.exit_code == 0 and "Removed 1 evidence file" in result.output
    assert _state(engine)["gammel.pdf"] is not None
