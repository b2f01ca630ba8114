"""Restore refuses, and restores nothing, unless it can restore the whole backup into an
empty database at the backup's revision."""

import gzip

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session

from app.cli import alembic_config
from app.models import (
    LoginAttempt,
)
from app.services.backup.database import BackupError, backup_database, restore_database
from tests.services.backup_setup import (
    everything,
    files_in,
    rewrite,
    rows_in_file,
)


def test_restore_refuses_a_database_that_is_not_empty(engine, filled, target, evidence_dir,
                                                      restored_dir, tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz", evidence_dir=evidence_dir)
    with Session(target) as session:
        session.add(LoginAttempt(email="x@test.example", client="1.2.3.4"))
        session.commit()

    with pytest.raises(BackupError, match=r"not empty \(table login_attempt"):
        restore_database(engine=target, path=tmp_path / "etik.jsonl.gz",
                         evidence_dir=restored_dir)
    assert sum(len(rows) for rows in everything(target).values()) == 1
    assert files_in(restored_dir) == {}


def test_restore_refuses_a_database_at_another_revision(engine, filled, target, target_url,
                                                        evidence_dir, restored_dir, tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz", evidence_dir=evidence_dir)
    command.downgrade(alembic_config(target_url), "-1")

    with pytest.raises(BackupError, match="etik db upgrade") as refusal:
        restore_database(engine=target, path=tmp_path / "etik.jsonl.gz",
                         evidence_dir=restored_dir)
    with target.connect() as connection:
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert revision in str(refusal.value)


def test_a_truncated_backup_is_refused_and_nothing_is_restored(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    with pytest.raises(BackupError, match="not a complete etik backup"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert not any(everything(target).values())


def test_a_backup_without_its_trailer_is_refused(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    lines = gzip.decompress(path.read_bytes()).splitlines(keepends=True)
    path.write_bytes(gzip.compress(b"".join(lines[:-1])))

    with pytest.raises(BackupError, match="trailer is missing"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert not any(everything(target).values())


def test_an_altered_backup_is_refused_and_nothing_is_restored(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    content = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(content.replace("Æblehaven".encode(), "Æbleløsen".encode())))

    with pytest.raises(BackupError, match="checksum does not match"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert not any(everything(target).values())


def test_an_error_while_inserting_rolls_the_whole_restore_back(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    emails = [row[1] for row in rows_in_file(path, "user")]  # email is the second column
    # A file with a valid checksum whose second user repeats the first one's email.
    rewrite(path, lambda lines: [line.replace(f'"{emails[1]}"', f'"{emails[0]}"')
                                 for line in lines])

    with pytest.raises(BackupError, match="nothing was restored"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert not any(everything(target).values())


def test_a_file_that_is_no_backup_is_refused(target, restored_dir, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n")
    with pytest.raises(BackupError, match="not a complete etik backup"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
