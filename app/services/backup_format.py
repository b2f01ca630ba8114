"""The etik backup file: gzip-compressed JSON lines, checked by a sha256 trailer.

One JSON value per line, UTF-8:

    {"format": "etik-backup", "format_version": 1, "alembic_revision": ..., "created_at": ...,
     "dialect": ..., "tables": {"organisation": 12, ...}}       the header
    {"table": "organisation", "columns": ["id", "name", ...]}   once per table, in FK order
    [1, "Solsikken", ...]                                       one line per row
    {"trailer": true, "rows": 1234, "sha256": "..."}            the last line

The checksum covers every byte before the trailer line, so it can be checked without etik:
`zcat FILE | head -n -1 | sha256sum`. Values are plain JSON; datetimes, dates and times are
ISO 8601 (with their zone), decimals strings and binary base64, decoded by the column type.
"""

import base64
import gzip
import hashlib
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import sqlalchemy as sa

FORMAT = "etik-backup"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup that cannot be written, or a restore refused or failed; the message says why."""


@dataclass(frozen=True)
class BackupHeader:
    alembic_revision: str
    created_at: str
    dialect: str
    tables: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot write a {type(value).__name__} to a backup")


_DECODERS: dict[type, Callable[[Any], Any]] = {
    datetime: datetime.fromisoformat,
    date: date.fromisoformat,
    time: time.fromisoformat,
    float: float,
    Decimal: lambda value: Decimal(str(value)),
    bytes: base64.b64decode,
    UUID: UUID,
}


def column_decoder(column: sa.Column) -> Callable[[Any], Any] | None:
    """How to turn a JSON value back into what the column stores (None: as it is)."""
    column_type = column.type
    if isinstance(column_type, sa.TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, sa.JSON):
        return None  # the JSON document itself, whatever it contains
    try:
        return _DECODERS.get(column_type.python_type)
    except NotImplementedError:
        return None


class BackupWriter:
    """Writes the lines of one backup to a binary stream and keeps their checksum."""

    def __init__(self, stream: IO[bytes]):
        self._stream = stream
        self._sha = hashlib.sha256()
        self.rows = 0

    def _write(self, value: Any) -> None:
        line = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_encode)
        data = (line + "\n").encode("utf-8")
        self._sha.update(data)
        self._stream.write(data)

    def header(self, *, alembic_revision: str, dialect: str, tables: dict[str, int]) -> None:
        self._write({"format": FORMAT, "format_version": FORMAT_VERSION,
                     "alembic_revision": alembic_revision,
                     "created_at": datetime.now().astimezone().isoformat(),
                     "dialect": dialect, "tables": tables})

    def table(self, name: str, columns: list[str]) -> None:
        self._write({"table": name, "columns": columns})

    def row(self, values: list) -> None:
        self._write(values)
        self.rows += 1

    def trailer(self) -> None:
        line = json.dumps({"trailer": True, "rows": self.rows, "sha256": self._sha.hexdigest()})
        self._stream.write((line + "\n").encode("utf-8"))


def _parsed_lines(path: Path) -> Iterator[tuple[bytes, Any]]:
    with gzip.open(path, "rb") as stream:
        for data in stream:
            if not data.endswith(b"\n"):
                raise ValueError("the last line is cut off")
            yield data, json.loads(data)


def _is_trailer(value: Any) -> bool:
    return isinstance(value, dict) and value.get("trailer") is True


def _header_from(value: Any) -> BackupHeader:
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise ValueError("it does not start with an etik backup header")
    if value.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"format version {value.get('format_version')!r} is not "
                         f"{FORMAT_VERSION}; restore it with the etik that wrote it")
    tables = value.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(n, int) for n in tables.values()):
        raise ValueError("the header has no table list")
    return BackupHeader(alembic_revision=str(value.get("alembic_revision")),
                        created_at=str(value.get("created_at")),
                        dialect=str(value.get("dialect")), tables=tables)


def _checked_lines(path: Path) -> Iterator[Any]:
    """The header, then every row as (table, columns, values), checking the structure as it
    goes; the checksum is compared at the end, so only a complete pass proves the file whole."""
    lines = _parsed_lines(path)
    first = next(lines, None)
    if first is None:
        raise ValueError("the file is empty")
    header = _header_from(first[1])
    yield header
    sha = hashlib.sha256(first[0])
    expected = iter(header.tables.items())
    table, columns, rows_left = None, [], 0
    for data, value in lines:
        if _is_trailer(value):
            if rows_left or next(expected, None) is not None:
                raise ValueError("it ends before its last table")
            if value.get("rows") != header.rows or value.get("sha256") != sha.hexdigest():
                raise ValueError("its checksum does not match its content")
            if next(lines, None) is not None:
                raise ValueError("there is content after the trailer")
            return
        sha.update(data)
        if isinstance(value, dict) and "table" in value:
            name, count = next(expected, (None, 0))
            if rows_left or value["table"] != name:
                raise ValueError(f"table {value['table']!r} is out of place")
            table, columns, rows_left = name, list(value.get("columns") or []), count
        elif isinstance(value, list) and table and rows_left and len(value) == len(columns):
            rows_left -= 1
            yield table, columns, value
        else:
            raise ValueError(f"unexpected line {value!r:.80}")
    raise ValueError("the trailer is missing; the file is truncated")


def _refusal(path: Path, reason: str) -> BackupError:
    return BackupError(f"{path} is not a complete etik backup ({reason}); nothing was restored.")


def _guarded(path: Path, lines: Iterator) -> Iterator:
    try:
        yield from lines
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file; nothing was restored.") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise _refusal(path, f"unreadable: {exc}") from exc
    except (ValueError, TypeError) as exc:  # JSON, UTF-8 and structure errors
        raise _refusal(path, str(exc)) from exc


def read_header(path: Path) -> BackupHeader:
    """The header, after reading the whole file once: a truncated or altered file is refused."""
    items = _guarded(path, _checked_lines(path))
    header = next(items)
    for _ in items:
        pass
    return header


def read_rows(path: Path) -> Iterator[tuple[str, list[str], list]]:
    """Every row of a file already checked by read_header(), as (table, columns, values)."""
    items = _guarded(path, _checked_lines(path))
    next(items)
    return items
