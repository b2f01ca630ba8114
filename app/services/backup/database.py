"""`etik backup` and `etik restore`: a consistent copy of the whole database and of the
uploaded evidence files, on any backend.

No external tools (the Docker image has no pg_dump): every table is read in one snapshot
transaction and written as portable JSON lines (app.services.backup.format), so a backup of
SQLite restores into PostgreSQL and back. In the same transaction the evidence files its rows
refer to are read from the evidence folder into the backup (app.services.backup.files); on
restore they are written back before the rows are committed, and removed if the rows fail.
"""

import gzip
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

import app.models  # noqa: F401  (registers every table on the metadata)
from app.db import metadata
from app.services.backup.files import (
    files_in_snapshot,
    refuse_overwrites,
    refuse_unsafe_keys,
    remove_files,
    restore_files,
    write_files,
)
from app.services.backup.format import (
    BackupError,
    BackupHeader,
    BackupWriter,
    column_decoder,
    read_contents,
    read_rows,
)

__all__ = ["BackupError", "BackupSummary", "backup_database", "restore_database"]

BATCH_ROWS = 1000


def size_text(size_bytes: int) -> str:
    size = float(size_bytes)
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            break
        size /= 1000
    return f"{size_bytes} bytes" if unit == "bytes" else f"{size:.1f} {unit}"


@dataclass(frozen=True)
class BackupSummary:
    tables: int
    rows: int
    size_bytes: int  # of the backup file
    files: int = 0  # evidence files in the backup (restored: written)
    file_bytes: int = 0
    missing: tuple[int | None, ...] = ()  # evidence (None: a report) missing at backup time
    without_files: bool = False  # restored from a version-1 backup, which holds no files

    def describe(self) -> str:
        files = f"{self.files} evidence file{'' if self.files == 1 else 's'}"
        return (f"{self.tables} tables, {self.rows} rows, {files} "
                f"({size_text(self.file_bytes)}), {size_text(self.size_bytes)} compressed")

    @property
    def warning(self) -> str:
        """For the end of the summary line; empty when every file was there."""
        if self.without_files:
            return ("Warning: this backup was made before evidence files were included; "
                    "copy any evidence files (var/evidence/) from where it was made by hand.")
        if not self.missing:
            return ""
        count = len(self.missing)
        evidence = [str(n) for n in self.missing if n is not None]
        reports = count - len(evidence)
        named = [f"evidence {', '.join(evidence[:10])}{', …' if len(evidence) > 10 else ''}"
                 ] if evidence else []
        if reports:
            named.append(f"{reports} inspection report{'' if reports == 1 else 's'}")
        return (f"Warning: {count} evidence file{' was' if count == 1 else 's were'} missing "
                f"on disk when the backup was made, so not in it ({'; '.join(named)}).")


# --- transactions -------------------------------------------------------------------------


@contextmanager
def _transaction(engine: Engine, *, read_only: bool) -> Iterator[Connection]:
    """One transaction: a consistent snapshot to read from, or all writes or none."""
    if engine.dialect.name == "sqlite":
        # pysqlite opens transactions only for writes, so every SELECT would see a new state.
        # With the driver in autocommit mode our own BEGIN spans every statement below; in
        # WAL mode writers go on meanwhile. IMMEDIATE takes the write lock before the checks.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                if connection.connection.dbapi_connection.in_transaction:
                    connection.exec_driver_sql("ROLLBACK")
                raise
            connection.exec_driver_sql("ROLLBACK" if read_only else "COMMIT")
        return
    options = {"isolation_level": "REPEATABLE READ"} if read_only else {}
    if read_only and engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    with engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


def _alembic_revision(connection: Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
    return ",".join(sorted(rows)) or None


# --- backup ---------------------------------------------------------------------------------


def backup_database(*, engine: Engine, path: Path, evidence_dir: Path,
                    progress: Callable[[str, int], None] | None = None) -> BackupSummary:
    """Writes every table to `path`, read in one snapshot while the app goes on writing, and
    after them the files in `evidence_dir` that the snapshot's evidence rows refer to.

    The file appears under its name only when complete (written next to it, then renamed);
    it is readable by its owner only, as it holds password hashes. `progress(table, rows)`
    is called before each table's rows are read. A referenced file missing on disk is
    recorded as missing and named in the summary's warning.
    """
    path = Path(path)
    try:
        descriptor, temporary_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                                      suffix=".tmp")
    except OSError as exc:
        raise BackupError(f"Cannot write the backup to {path}: {exc.strerror}.") from exc
    temporary = Path(temporary_name)
    try:
        with os.fdopen(descriptor, "wb") as raw:
            with gzip.GzipFile(filename=path.name, mode="wb", fileobj=raw) as compressed:
                writer = BackupWriter(compressed)
                _write_snapshot(engine, writer, Path(evidence_dir), progress)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise BackupError(f"Cannot write the backup to {path}: {exc.strerror or exc}.") from exc
    except SQLAlchemyError as exc:
        raise BackupError(f"The backup failed: {getattr(exc, 'orig', None) or exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)
    return BackupSummary(tables=len(metadata.sorted_tables), rows=writer.rows,
                         size_bytes=path.stat().st_size, files=writer.files,
                         file_bytes=writer.file_bytes, missing=tuple(writer.missing))


def _write_snapshot(engine: Engine, writer: BackupWriter, evidence_dir: Path,
                    progress: Callable[[str, int], None] | None) -> None:
    tables = metadata.sorted_tables
    with _transaction(engine, read_only=True) as connection:
        revision = _alembic_revision(connection)
        if revision is None:
            raise BackupError("The database has no tables yet; run `etik db upgrade` first.")
        counts = {table.name: connection.execute(
            sa.select(sa.func.count()).select_from(table)).scalar_one() for table in tables}
        files = files_in_snapshot(connection)
        writer.header(alembic_revision=revision, dialect=engine.dialect.name, tables=counts,
                      files=len(files))
        for table in tables:
            if progress:
                progress(table.name, counts[table.name])
            writer.table(table.name, [column.name for column in table.columns])
            query = sa.select(table).order_by(*table.primary_key.columns)
            # A server-side cursor in batches: a large database never has to fit in memory.
            result = connection.execute(query, execution_options={"yield_per": BATCH_ROWS})
            written = writer.rows
            for row in result:
                writer.row(list(row))
            if writer.rows - written != counts[table.name]:  # cannot happen in one snapshot
                raise BackupError(f"Table {table.name} changed during the backup; try again.")
        # Still in the snapshot: a file uploaded meanwhile has no row here and is left out.
        write_files(writer, files, evidence_dir)
    writer.trailer()


# --- restore --------------------------------------------------------------------------------


def restore_database(*, engine: Engine, path: Path, evidence_dir: Path) -> BackupSummary:
    """Loads a backup into an empty database at the backup's revision, and its evidence files
    into `evidence_dir`, which must not hold any of them yet: all rows and files or none."""
    path, evidence_dir = Path(path), Path(evidence_dir)
    contents = read_contents(path)  # reads the whole file once: refuses a truncated or altered one
    header = contents.header
    tables = _tables_of(header)
    refuse_unsafe_keys(contents.files, path)
    written: list[Path] = []
    restored = False
    try:
        with _transaction(engine, read_only=False) as connection:
            _refuse_unless_ready(connection, header, tables)
            refuse_overwrites(contents.files, evidence_dir)
            # The files first, so the rows that refer to them are committed only once they
            # are all in place; the rows' failure removes them again (below).
            restore_files(path, evidence_dir, written)
            _insert_rows(connection, path, tables)
            if engine.dialect.name == "postgresql":
                _reset_sequences(connection, tables)
        restored = True
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        raise BackupError(f"The restore failed and nothing was restored: {reason}") from exc
    except OSError as exc:
        raise BackupError(f"The restore failed and nothing was restored: cannot write the "
                          f"evidence files to {evidence_dir}: {exc.strerror or exc}.") from exc
    finally:
        if not restored:
            remove_files(written)
    stored = [file for file in contents.files if not file.missing]
    return BackupSummary(tables=len(tables), rows=header.rows, size_bytes=path.stat().st_size,
                         files=len(stored), file_bytes=sum(file.size for file in stored),
                         missing=tuple(file.evidence_id for file in contents.files
                                       if file.missing),
                         without_files=header.format_version < 2)


def _tables_of(header: BackupHeader) -> list[sa.Table]:
    tables = metadata.sorted_tables
    if sorted(header.tables) != sorted(table.name for table in tables):
        raise BackupError("Restore refused: the backup's tables are not this version's tables; "
                          "restore it with the etik version that wrote it.")
    return tables


def _refuse_unless_ready(connection: Connection, header: BackupHeader,
                         tables: list[sa.Table]) -> None:
    revision = _alembic_revision(connection)
    if revision != header.alembic_revision:
        raise BackupError(
            f"Restore refused: the backup is at database revision {header.alembic_revision}, "
            f"this database at {revision or 'none (no tables)'}. Restore into an empty "
            f"database at the same revision, after `etik db upgrade` "
            f"(`etik db upgrade {header.alembic_revision}` for an older backup).")
    for table in tables:
        if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
            raise BackupError(
                f"Restore refused: the database is not empty (table {table.name} has rows). "
                "Restore only into an empty database, after `etik db upgrade`.")


def _columns_inserted_later(table: sa.Table, position: dict[str, int]) -> set[str]:
    """Foreign keys to this table itself or to a table restored after it (the cycle
    organisation.advisor_id -> user -> organisation): inserted as NULL, set at the end."""
    return {fk.parent.name for fk in table.foreign_keys
            if position[fk.column.table.name] >= position[table.name]}


def _insert_rows(connection: Connection, path: Path, tables: list[sa.Table]) -> None:
    position = {table.name: index for index, table in enumerate(tables)}
    by_name = {table.name: table for table in tables}
    later_updates: list[tuple[sa.Table, dict, dict]] = []
    batch: list[dict] = []
    table, decoders, later = None, {}, set()

    def flush() -> None:
        if batch:
            connection.execute(table.insert(), batch)
            batch.clear()

    for name, columns, values in read_rows(path):
        if table is None or name != table.name:
            flush()
            table = by_name[name]
            decoders = {column.name: column_decoder(column) for column in table.columns}
            later = _columns_inserted_later(table, position)
            if differing := set(columns) ^ set(decoders):
                raise BackupError(f"Restore refused: the backup's columns of {name} are not "
                                  f"this version's ({', '.join(sorted(differing))}).")
        row = {}
        for column, value in zip(columns, values, strict=True):
            decode = decoders[column]
            row[column] = decode(value) if decode and value is not None else value
        deferred = {column: row[column] for column in later if row[column] is not None}
        if deferred:
            key = {column.name: row[column.name] for column in table.primary_key.columns}
            later_updates.append((table, key, deferred))
            row |= dict.fromkeys(deferred)
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            flush()
    flush()
    for target, key, values in later_updates:
        condition = sa.and_(*(target.c[column] == value for column, value in key.items()))
        connection.execute(sa.update(target).where(condition).values(values))


def _reset_sequences(connection: Connection, tables: list[sa.Table]) -> None:
    """Rows were inserted with their ids, so move each id sequence past the largest one."""
    preparer = connection.dialect.identifier_preparer
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = sa.func.pg_get_serial_sequence(preparer.format_table(table), column.name)
        highest = sa.func.max(column)
        connection.execute(sa.select(sa.func.setval(
            sequence, sa.func.coalesce(highest, 1), highest.is_not(None))).select_from(table))
