"""Evidence files in backup and restore: missing or late files, and refusals that leave the
evidence folder as it was."""

import gzip

import pytest
from sqlmodel import Session, select

from app.db import metadata
from app.models import Evidence
from app.services.backup import database as backup_service
from app.services.backup.database import BackupError, backup_database, restore_database
from tests.services.backup_setup import (
    PDF,
    PNG,
    REPORT,
    everything,
    files_in,
    rewrite,
    rows_in_file,
    stored_evidence,
    stored_file,
)


def test_a_file_removed_during_the_backup_is_reported_missing_and_the_rest_restores(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    evidence_id, key = stored_evidence(engine, "tavle æøå.png")

    def remove_meanwhile(table: str, _rows: int) -> None:
        if table == metadata.sorted_tables[0].name:  # its row is in the snapshot already
            (evidence_dir / key).unlink()

    backed_up = backup_database(engine=engine, path=path, evidence_dir=evidence_dir,
                                progress=remove_meanwhile)
    restored = restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert backed_up.missing == restored.missing == (evidence_id,)
    assert "1 evidence file was missing on disk" in backed_up.warning
    assert f"(evidence {evidence_id})" in backed_up.warning
    assert (backed_up.files, backed_up.file_bytes) == (restored.files, restored.file_bytes)
    assert (restored.files, restored.file_bytes) == (2, len(PDF) + len(REPORT))
    assert everything(target) == everything(engine)
    assert sorted(files_in(restored_dir).values()) == sorted([PDF, REPORT])


def test_a_file_uploaded_during_the_backup_is_left_out_with_its_row(
        engine, filled, session, evidence_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    late = {}

    def upload_meanwhile(table: str, _rows: int) -> None:
        if table == metadata.sorted_tables[0].name:
            evidence = session.exec(select(Evidence).where(Evidence.kind == "file")).first()
            added = stored_file(evidence_dir, b"late", assessment_id=evidence.assessment_id,
                                requirement_id=evidence.requirement_id, title="Sen")
            session.add(added)
            session.commit()
            late["key"] = added.storage_key

    summary = backup_database(engine=engine, path=path, evidence_dir=evidence_dir,
                              progress=upload_meanwhile)

    assert (summary.files, summary.missing) == (3, ())
    assert late["key"] not in gzip.decompress(path.read_bytes()).decode()


def test_restore_refuses_a_folder_holding_a_file_it_would_overwrite_and_writes_nothing(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    _evidence_id, key = stored_evidence(engine, "politik.pdf")
    restored_dir.mkdir(parents=True)
    (restored_dir / key).write_bytes(b"someone else's file")

    with pytest.raises(BackupError, match="would overwrite") as refusal:
        restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert key in str(refusal.value)
    assert files_in(restored_dir) == {key: b"someone else's file"}
    assert not any(everything(target).values())


def test_a_failing_database_restore_removes_the_evidence_files_it_wrote(
        engine, filled, target, evidence_dir, restored_dir, tmp_path, monkeypatch):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    emails = [row[1] for row in rows_in_file(path, "user")]  # email is the second column
    rewrite(path, lambda lines: [line.replace(f'"{emails[1]}"', f'"{emails[0]}"')
                                 for line in lines])
    in_place_before_the_rows = []
    insert_rows = backup_service._insert_rows

    def spy(*args):
        in_place_before_the_rows.extend(files_in(restored_dir).values())
        return insert_rows(*args)

    monkeypatch.setattr(backup_service, "_insert_rows", spy)

    with pytest.raises(BackupError, match="nothing was restored"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert sorted(in_place_before_the_rows) == sorted([PDF, PNG, REPORT])
    assert files_in(restored_dir) == {}
    assert not any(everything(target).values())


def test_an_altered_evidence_file_is_refused_and_nothing_is_restored(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    lines = gzip.decompress(path.read_bytes()).splitlines(keepends=True)
    chunk = next(index for index, line in enumerate(lines) if line.startswith(b'"'))
    altered = b"B" if lines[chunk][5:6] == b"A" else b"A"  # another byte, still base64
    lines[chunk] = lines[chunk][:5] + altered + lines[chunk][6:]
    path.write_bytes(gzip.compress(b"".join(lines)))

    with pytest.raises(BackupError, match="checksum does not match"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert files_in(restored_dir) == {}
    assert not any(everything(target).values())


def test_a_backup_naming_a_file_outside_the_evidence_folder_is_refused(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    _evidence_id, key = stored_evidence(engine, "politik.pdf")
    rewrite(path, lambda lines: [line.replace(f'"{key}"', '"../escaped"') for line in lines])

    with pytest.raises(BackupError, match="not a storage key"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert not (restored_dir.parent / "escaped").exists()
    assert files_in(restored_dir) == {}
    assert not any(everything(target).values())


def test_a_missing_inspection_report_file_is_named_as_a_report_in_the_warning(
        engine, filled, evidence_dir, tmp_path):
    from app.models import InspectionReport

    with Session(engine) as session:
        key = session.exec(select(InspectionReport.storage_key)).one()
    (evidence_dir / key).unlink()
    summary = backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz",
                              evidence_dir=evidence_dir)
    assert summary.missing == (None,)
    assert "(1 inspection report)" in summary.warning
