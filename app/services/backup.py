"""`etik backup` and `etik restore`: a consistent copy of the whole database, on any backend.

No external tools (the Docker image has no pg_dump): every table is read in one snapshot
transaction and written as portable JSON lines (app.services.backup_format), so a backup of
SQLite restores into PostgreSQL and back. Files uploaded as evidence are not in the database
and so not in the backup; copy var/evidence/ alongside.
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
from app.services.backup_format import (
    BackupError,
    BackupHeader,
    BackupWriter,
    column_decoder,
    read_header,
    read_rows,
)

__all__ = ["BackupError", "BackupSummary", "backup_database", "restore_database"]

BATCH_ROWS = 1000


@dataclass(frozen=True)
class BackupSummary:
    tables: int
    rows: int
    size_bytes: int

    def describe(self) -> str:
        size = float(self.size_bytes)
        for unit in ("bytes", "kB", "MB", "GB"):
            if size < 1000 or unit == "GB":
                break
            size /= 1000
        size_text = f"{self.size_bytes} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        return f"{self.tables} tables, {self.rows} rows, {size_text}"


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


def backup_database(*, engine: Engine, path: Path,
                    progress: Callable[[str, int], None] | None = None) -> BackupSummary:
    """Writes every table to `path`, read in one snapshot while the app goes on writing.

    The file appears under its name only when complete (written next to it, then renamed);
    it is readable by its owner only, as it holds password hashes. `progress(table, rows)`
    is called before each table's rows are read.
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
                rows = _write_snapshot(engine, BackupWriter(compressed), progress)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise BackupError(f"Cannot write the backup to {path}: {exc.strerror or exc}.") from exc
    except SQLAlchemyError as exc:
        raise BackupError(f"The backup failed: {getattr(exc, 'orig', None) or exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)
    return BackupSummary(tables=len(metadata.sorted_tables), rows=rows,
                         size_bytes=path.stat().st_size)


def _write_snapshot(engine: Engine, writer: BackupWriter,
                    progress: Callable[[str, int], None] | None) -> int:
    tables = metadata.sorted_tables
    with _transaction(engine, read_only=True) as connection:
        revision = _alembic_revision(connection)
        if revision is None:
            raise BackupError("The database has no tables yet; run `etik db upgrade` first.")
        counts = {table.name: connection.execute(
            sa.select(sa.func.count()).select_from(table)).scalar_one() for table in tables}
        writer.header(alembic_revision=revision, dialect=engine.dialect.name, tables=counts)
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
    writer.trailer()
    return writer.rows


# --- restore --------------------------------------------------------------------------------


def restore_database(*, engine: Engine, path: Path) -> BackupSummary:
    """Loads a backup into an empty database at the backup's revision: all rows or none."""
    path = Path(path)
    header = read_header(path)  # reads the whole file once: refuses a truncated or altered one
    tables = _tables_of(header)
    try:
        with _transaction(engine, read_only=False) as connection:
            _refuse_unless_ready(connection, header, tables)
            _insert_rows(connection, path, tables)
            if engine.dialect.name == "postgresql":
                _reset_sequences(connection, tables)
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        raise BackupError(f"The restore failed and nothing was restored: {reason}") from exc
    return BackupSummary(tables=len(tables), rows=header.rows, size_bytes=path.stat().st_size)


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
