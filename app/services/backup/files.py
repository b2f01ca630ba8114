"""The uploaded files in a backup (evidence, and inspection reports' PDFs): read for the
snapshot's rows, restored beside the database.

Both live in the one upload folder (app/services/uploads.py); a report's file is recorded
with `evidence_id` null. Uploaded files are written once under a random storage key and
never changed, so a file opened during the backup is the file its row refers to. A file the
snapshot names but the disk no longer has (removed meanwhile, or lost) is recorded as
missing, not fatal. On restore each file is written to a temporary name in the evidence
folder and renamed, before the rows are committed; the caller removes the files written
when the restore fails.
"""

import contextlib
import logging
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from sqlalchemy import Connection

from app.models import Evidence, InspectionReport
from app.models.vocabulary import EvidenceKind
from app.services.backup.format import (
    FILE_CHUNK_BYTES,
    BackupError,
    BackupFile,
    BackupWriter,
    read_files,
)
from app.services.uploads import STORAGE_KEY

log = logging.getLogger("etik.backup")


# --- backup ---------------------------------------------------------------------------------


def files_in_snapshot(connection: Connection) -> list[tuple[int | None, str]]:
    """(evidence id, storage key) of each stored file the snapshot's rows refer to, once;
    an inspection report's file has no evidence id (None), after the evidence files."""
    query = (sa.select(Evidence.id, Evidence.storage_key)
             .where(Evidence.kind == EvidenceKind.FILE, Evidence.file_removed_at.is_(None))
             .order_by(Evidence.id))
    files: dict[str, int | None] = {}
    for evidence_id, key in connection.execute(query):
        files.setdefault(key, evidence_id)
    reports = (sa.select(InspectionReport.storage_key)
               .where(InspectionReport.file_removed_at.is_(None))
               .order_by(InspectionReport.id))
    for key in connection.execute(reports).scalars():
        files.setdefault(key, None)
    return [(evidence_id, key) for key, evidence_id in files.items()]


def _chunks(stream: IO[bytes], key: str) -> Iterator[bytes]:
    while True:
        try:
            chunk = stream.read(FILE_CHUNK_BYTES)
        except OSError as exc:  # not a missing file: a disk that fails while it is read
            raise BackupError(f"Cannot read the evidence file {key}: "
                              f"{exc.strerror or exc}.") from exc
        if not chunk:
            return
        yield chunk


def write_files(writer: BackupWriter, files: list[tuple[int | None, str]],
                evidence_dir: Path) -> None:
    """Streams each file into the backup, or records it as missing when it cannot be opened."""
    for evidence_id, key in files:
        try:
            if not STORAGE_KEY.fullmatch(key or ""):
                raise FileNotFoundError(f"not a storage key: {key!r}")
            stream = (evidence_dir / key).open("rb")
        except OSError as exc:
            log.warning("backup: %s: file %s is missing (%s)", f"evidence {evidence_id}"
                        if evidence_id else "an inspection report", key, exc)
            writer.missing_file(key=key, evidence_id=evidence_id)
            continue
        with stream:
            writer.file(key=key, evidence_id=evidence_id, chunks=_chunks(stream, key))


# --- restore --------------------------------------------------------------------------------


def _stored(files: Iterable[BackupFile]) -> list[BackupFile]:
    return [file for file in files if not file.missing]


def refuse_unsafe_keys(files: Iterable[BackupFile], path: Path) -> None:
    """A storage key is a file name in the evidence folder: never a path, never a dot file."""
    for file in _stored(files):
        if not STORAGE_KEY.fullmatch(file.key):
            raise BackupError(f"Restore refused: {path} holds an evidence file named "
                              f"{file.key!r:.60}, which is not a storage key; nothing was "
                              "restored.")


def refuse_overwrites(files: Iterable[BackupFile], evidence_dir: Path) -> None:
    present = [file.key for file in _stored(files) if os.path.lexists(evidence_dir / file.key)]
    if present:
        shown = ", ".join(present[:3]) + (", …" if len(present) > 3 else "")
        raise BackupError(
            f"Restore refused: {evidence_dir} already holds {len(present)} of the backup's "
            f"evidence files ({shown}), which the restore would overwrite. Restore into an "
            "empty evidence folder (move its files aside first); nothing was restored.")


def restore_files(path: Path, evidence_dir: Path, written: list[Path]) -> None:
    """Writes every stored file of the backup at `path` into `evidence_dir`: each to a
    temporary name, synced, then renamed. Each final path is added to `written` as soon as it
    exists, so the caller can remove them all should the restore fail later."""
    temporary: Path | None = None
    target: IO[bytes] | None = None
    try:
        for item in read_files(path):
            if isinstance(item, BackupFile):
                if item.missing:
                    continue
                evidence_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
                temporary = evidence_dir / f".restore-{secrets.token_hex(8)}.part"
                target = temporary.open("xb")
            elif isinstance(item, bytes):
                target.write(item)
            else:  # the file's end: complete, so it may appear under its name
                target.flush()
                os.fsync(target.fileno())
                target.close()
                final = evidence_dir / item.key
                if os.path.lexists(final):  # appeared since refuse_overwrites()
                    raise BackupError(f"Restore refused: {final} appeared meanwhile; "
                                      "nothing was restored.")
                os.rename(temporary, final)
                written.append(final)
                temporary = None
        if written:
            _sync_folder(evidence_dir)
    finally:
        if target is not None:
            target.close()
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Makes the renames durable before the rows that refer to them are committed."""
    with contextlib.suppress(OSError):  # not every file system can sync a folder
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def remove_files(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.exception("restore: could not remove the evidence file %s", path)
