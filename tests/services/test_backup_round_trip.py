"""Backup and restore round trip: every row, value and evidence file comes back, also from
an older backup format."""

import gzip
import json

from sqlmodel import Session, select

from app.models import (
    InspectionReport,
    Organisation,
)
from app.services.backup.database import backup_database, restore_database
from tests.services.backup_setup import (
    PDF,
    PNG,
    REPORT,
    everything,
    files_in,
    rewrite,
)


def test_restore_brings_back_every_row_and_value_of_every_table(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    original = everything(engine)
    empty = [name for name, rows in original.items() if not rows]
    assert not empty, f"fill these tables in `filled` too: {empty}"
    path = tmp_path / "etik.jsonl.gz"

    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    summary = restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert everything(target) == original
    assert summary.rows == sum(len(rows) for rows in original.values())


def test_restore_brings_back_every_evidence_file_byte_for_byte(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)

    summary = restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert sorted(files_in(evidence_dir).values()) == sorted([PDF, PNG, REPORT])
    assert files_in(restored_dir) == files_in(evidence_dir)  # same names, no temporary files
    assert (summary.files, summary.file_bytes, summary.missing) == (
        3, len(PDF) + len(PNG) + len(REPORT), ())


def test_an_inspection_reports_file_comes_back_under_its_rows_storage_key(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    restore_database(engine=target, path=path, evidence_dir=restored_dir)
    with Session(target) as restored:
        report = restored.exec(select(InspectionReport)).one()
    assert report.filename == "tilsyn æøå.pdf"
    assert (restored_dir / report.storage_key).read_bytes() == REPORT


def test_new_rows_get_fresh_ids_after_a_restore(engine, filled, target, evidence_dir,
                                                restored_dir, tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz", evidence_dir=evidence_dir)
    restore_database(engine=target, path=tmp_path / "etik.jsonl.gz", evidence_dir=restored_dir)
    with Session(target) as session:
        highest = max(session.exec(select(Organisation.id)).all())
        new = Organisation(name="Ny", cvr="87654321", service_type="kostskole",
                           region="sjaelland")
        session.add(new)
        session.commit()
        assert new.id > highest


def as_version_1(lines: list[str]) -> list[str]:
    """What `etik backup` wrote before evidence files were in the backup."""
    header = json.loads(lines[0])
    header["format_version"] = 1
    del header["files"]
    tables = [line for line in lines[1:] if line.startswith(("[", '{"table"'))]
    return [json.dumps(header, ensure_ascii=False), *tables]


def test_a_version_1_backup_without_files_still_restores(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    rewrite(path, as_version_1)
    assert '{"file":' not in gzip.decompress(path.read_bytes()).decode()

    summary = restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert everything(target) == everything(engine)
    assert (summary.files, summary.missing) == (0, ())
    assert "made before evidence files were included" in summary.warning
    assert files_in(restored_dir) == {}
