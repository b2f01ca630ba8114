"""The etik backup file: gzip-compressed JSON lines, checked by a sha256 trailer.

One JSON value per line, UTF-8:

    {"format": "etik-backup", "format_version": 2, "alembic_revision": ..., "created_at": ...,
     "dialect": ..., "tables": {"organisation": 12, ...}, "files": 3}   the header
    {"table": "organisation", "columns": ["id", "name", ...]}   once per table, in FK order
    [1, "Solsikken", ...]                                       one line per row
    {"file": "<storage key>", "evidence_id": 17}                once per evidence file, after
    "JVBERi0xLjcK..."                                           the tables: its bytes, base64,
    {"end": "<storage key>", "bytes": 48213}                    a line per chunk, then its size
    {"file": "<storage key>", "evidence_id": 18, "missing": true}   a file gone from the disk
    {"trailer": true, "rows": 1234, "sha256": "..."}            the last line

The header's "files" counts the evidence files the snapshot refers to (missing ones too).
The checksum covers every byte before the trailer line, so it can be checked without etik:
`zcat FILE | head -n -1 | sha256sum`. Values are plain JSON; datetimes, dates and times are
ISO 8601 (with their zone), decimals strings and binary base64, decoded by the column type.
Version 1 is the same without "files" and without the files section; it is still read.
"""

import base64
import gzip
import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import sqlalchemy as sa

FORMAT = "etik-backup"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
# A multiple of 3, so each chunk is base64 without padding; a line is 1 MiB.
FILE_CHUNK_BYTES = 3 * 256 * 1024


class BackupError(Exception):
    """A backup that cannot be written, or a restore refused or failed; the message says why."""


@dataclass(frozen=True)
class BackupHeader:
    alembic_revision: str
    created_at: str
    dialect: str
    tables: dict[str, int]
    files: int = 0
    format_version: int = FORMAT_VERSION

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass(frozen=True)
class BackupFile:
    """An evidence file in a backup; its bytes follow unless it was missing at backup time."""

    key: str
    evidence_id: int | None
    missing: bool = False
    size: int = 0  # known at its end line: in read_contents(), never in read_files()


@dataclass(frozen=True)
class FileEnd:
    key: str
    size: int


@dataclass(frozen=True)
class BackupContents:
    header: BackupHeader
    files: tuple[BackupFile, ...]


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
        self.files = 0
        self.file_bytes = 0
        self.missing: list[int | None] = []  # evidence ids (None: a report) not there

    def _write_bytes(self, data: bytes) -> None:
        self._sha.update(data)
        self._stream.write(data)

    def _write(self, value: Any) -> None:
        line = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_encode)
        self._write_bytes((line + "\n").encode("utf-8"))

    def header(self, *, alembic_revision: str, dialect: str, tables: dict[str, int],
               files: int) -> None:
        self._write({"format": FORMAT, "format_version": FORMAT_VERSION,
                     "alembic_revision": alembic_revision,
                     "created_at": datetime.now().astimezone().isoformat(),
                     "dialect": dialect, "tables": tables, "files": files})

    def table(self, name: str, columns: list[str]) -> None:
        self._write({"table": name, "columns": columns})

    def row(self, values: list) -> None:
        self._write(values)
        self.rows += 1

    def file(self, *, key: str, evidence_id: int | None, chunks: Iterable[bytes]) -> None:
        """Streams a file's bytes a chunk at a time (at most FILE_CHUNK_BYTES each, a multiple
        of 3 but for the last), so no file is ever held whole."""
        self._write({"file": key, "evidence_id": evidence_id})
        size = 0
        for chunk in chunks:
            size += len(chunk)
            self._write_bytes(b'"' + base64.b64encode(chunk) + b'"\n')
        self._write({"end": key, "bytes": size})
        self.files += 1
        self.file_bytes += size

    def missing_file(self, *, key: str, evidence_id: int | None) -> None:
        self._write({"file": key, "evidence_id": evidence_id, "missing": True})
        self.missing.append(evidence_id)

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
    version = value.get("format_version")
    if version not in READABLE_VERSIONS:
        raise ValueError(f"format version {version!r} is not one this etik reads "
                         f"({', '.join(map(str, READABLE_VERSIONS))}); restore it with the "
                         "etik that wrote it")
    tables = value.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(n, int) for n in tables.values()):
        raise ValueError("the header has no table list")
    files = value.get("files", 0) if version >= 2 else 0
    if not isinstance(files, int) or isinstance(files, bool) or files < 0:
        raise ValueError("the header has no count of evidence files")
    return BackupHeader(alembic_revision=str(value.get("alembic_revision")),
                        created_at=str(value.get("created_at")),
                        dialect=str(value.get("dialect")), tables=tables, files=files,
                        format_version=version)


def _file_start(value: dict) -> BackupFile:
    key, evidence_id = value.get("file"), value.get("evidence_id")
    if not isinstance(key, str) or not (evidence_id is None or isinstance(evidence_id, int)):
        raise ValueError(f"unexpected line {value!r:.80}")
    return BackupFile(key=key, evidence_id=evidence_id, missing=value.get("missing") is True)


def _checked_lines(path: Path) -> Iterator[Any]:
    """The header, then every row as (table, columns, values), then each evidence file as a
    BackupFile, its chunks (bytes) and a FileEnd, checking the structure as it goes; the
    checksum is compared at the end, so only a complete pass proves the file whole."""
    lines = _parsed_lines(path)
    first = next(lines, None)
    if first is None:
        raise ValueError("the file is empty")
    header = _header_from(first[1])
    yield header
    sha = hashlib.sha256(first[0])
    expected = iter(header.tables.items())
    table, columns, rows_left = None, [], 0
    files_left, in_files, seen = header.files, False, set()
    current, size = None, 0  # the file whose chunks are being read
    for data, value in lines:
        if _is_trailer(value):
            if rows_left or (not in_files and next(expected, None) is not None):
                raise ValueError("it ends before its last table")
            if files_left or current is not None:
                raise ValueError("it ends before its last evidence file")
            if value.get("rows") != header.rows or value.get("sha256") != sha.hexdigest():
                raise ValueError("its checksum does not match its content")
            if next(lines, None) is not None:
                raise ValueError("there is content after the trailer")
            return
        sha.update(data)
        if isinstance(value, dict) and "table" in value:
            name, count = next(expected, (None, 0))
            if rows_left or in_files or value["table"] != name:
                raise ValueError(f"table {value['table']!r} is out of place")
            table, columns, rows_left = name, list(value.get("columns") or []), count
        elif isinstance(value, list) and table and rows_left and len(value) == len(columns):
            rows_left -= 1
            yield table, columns, value
        elif isinstance(value, dict) and "file" in value and current is None:
            if not in_files and (rows_left or next(expected, None) is not None):
                raise ValueError("an evidence file comes before the last table")
            start = _file_start(value)
            if not files_left or start.key in seen:
                raise ValueError(f"evidence file {start.key!r:.40} is out of place")
            in_files, files_left = True, files_left - 1
            seen.add(start.key)
            yield start
            current, size = (None if start.missing else start), 0
        elif isinstance(value, str) and current is not None:
            chunk = base64.b64decode(value, validate=True)
            size += len(chunk)
            yield chunk
        elif (isinstance(value, dict) and current is not None
              and value.get("end") == current.key and "file" not in value):
            if value.get("bytes") != size:
                raise ValueError(f"evidence file {current.key!r:.40} is incomplete")
            yield FileEnd(key=current.key, size=size)
            current = None
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
    except (ValueError, TypeError) as exc:  # JSON, UTF-8, base64 and structure errors
        raise _refusal(path, str(exc)) from exc


def read_contents(path: Path) -> BackupContents:
    """The header and the list of evidence files, after reading the whole file once: a
    truncated or altered file is refused."""
    items = _guarded(path, _checked_lines(path))
    header = next(items)
    files: list[BackupFile] = []
    for item in items:
        if isinstance(item, BackupFile):
            files.append(item)
        elif isinstance(item, FileEnd):
            files[-1] = BackupFile(key=item.key, evidence_id=files[-1].evidence_id,
                                   size=item.size)
    return BackupContents(header=header, files=tuple(files))


def read_rows(path: Path) -> Iterator[tuple[str, list[str], list]]:
    """Every row of a file already checked by read_contents(), as (table, columns, values)."""
    items = _guarded(path, _checked_lines(path))
    next(items)
    for item in items:
        if not isinstance(item, tuple):
            items.close()  # the files section: no rows after it
            return
        yield item


def read_files(path: Path) -> Iterator[BackupFile | bytes | FileEnd]:
    """The files section of a file already checked by read_contents(): each file as a
    BackupFile, then (unless missing) its bytes in chunks and a FileEnd."""
    items = _guarded(path, _checked_lines(path))
    next(items)
    for item in items:
        if not isinstance(item, tuple):
            yield item
