"""Taking a backup: one consistent snapshot, written whole or not at all, readable by its
owner only, and summed up."""


import pytest
import sqlalchemy as sa

from app.db import metadata
from app.models import (
    Organisation,
)
from app.services.backup.database import BackupError, backup_database
from tests.services.backup_setup import MOMENT, PDF, PNG, REPORT, everything, rows_in_file


def test_backup_summary_counts_tables_rows_files_and_bytes(engine, filled, evidence_dir,
                                                           tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    summary = backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    assert summary.tables == len(metadata.sorted_tables)
    assert summary.rows == sum(len(rows) for rows in everything(engine).values())
    assert summary.size_bytes == path.stat().st_size
    assert (summary.files, summary.file_bytes) == (3, len(PDF) + len(PNG) + len(REPORT))
    assert summary.describe().startswith(
        f"{summary.tables} tables, {summary.rows} rows, 3 evidence files (1.0 MB), ")
    assert summary.warning == ""


def test_a_backup_is_one_snapshot_while_another_connection_writes(engine, filled, evidence_dir,
                                                                  tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    before = len(everything(engine)["organisation"])

    def write_meanwhile(table: str, _rows: int) -> None:
        if table == metadata.sorted_tables[0].name:  # the snapshot is taken; rows not yet read
            with engine.begin() as connection:
                connection.execute(sa.insert(Organisation.__table__).values(
                    name="Skrevet under backup", cvr="11112222", company_name="",
                    service_type="kostskole", region="sjaelland", places=1, active=True,
                    created_at=MOMENT))

    backup_database(engine=engine, path=path, evidence_dir=evidence_dir,
                    progress=write_meanwhile)

    assert len(everything(engine)["organisation"]) == before + 1
    names = [row[0] for row in rows_in_file(path, "organisation")]  # name is the first column
    assert len(names) == before
    assert "Skrevet under backup" not in names


def test_a_failed_backup_leaves_no_file_behind(engine, filled, evidence_dir, tmp_path):
    def fail_halfway(table: str, _rows: int) -> None:
        if table == "user":
            raise RuntimeError("disk pulled out")

    (tmp_path / "backups").mkdir()
    with pytest.raises(RuntimeError):
        backup_database(engine=engine, path=tmp_path / "backups" / "etik.jsonl.gz",
                        evidence_dir=evidence_dir, progress=fail_halfway)
    assert list((tmp_path / "backups").iterdir()) == []


def test_a_backup_is_readable_by_its_owner_only(engine, filled, evidence_dir, tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz", evidence_dir=evidence_dir)
    assert (tmp_path / "etik.jsonl.gz").stat().st_mode & 0o077 == 0


def test_a_backup_into_a_missing_folder_is_refused(engine, evidence_dir, tmp_path):
    with pytest.raises(BackupError, match="Cannot write the backup"):
        backup_database(engine=engine, path=tmp_path / "missing" / "etik.jsonl.gz",
                        evidence_dir=evidence_dir)
