"""Uploaded files (evidence and inspection reports): receiving, storing and downloading.

A file is streamed to a temporary file in the upload folder, refused when too big or empty,
checked by content by the caller (app/services/assessment/file_types.py), and renamed to a
random storage key when kept. Until the caller's commit, any failure removes it again, so
a file on disk always has its row. Every upload lives in one folder, whatever it belongs
to, so backups and restores carry them all alike.
"""

import logging
import math
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from app.config import Settings
from app.i18n import N_, format_number
from app.services.assessment.file_types import FileType
from app.services.errors import FieldError, Invalid

log = logging.getLogger("etik.uploads")

CHUNK_BYTES = 1024 * 1024
MEGABYTE = 1024 * 1024
MAX_FILENAME = 255
STORAGE_KEY = re.compile(r"^[0-9a-f]{32}$")
REMOVED_AFTER_RETENTION = N_("Filen er slettet efter opbevaringsperioden.")


def upload_dir(settings: Settings) -> Path:
    return settings.var_dir / "evidence"


def stored_path(settings: Settings, storage_key: str | None) -> Path | None:
    """Where a stored file lies; None for anything that is not a storage key."""
    if not STORAGE_KEY.fullmatch(storage_key or ""):
        return None
    return upload_dir(settings) / storage_key


def clean_filename(name: str) -> str:
    """The user's file name, for showing and downloading only: no folders, no control or
    direction characters, no leading dots, at most 255 characters with the extension kept."""
    # Browsers send a name's quotes and line breaks percent-encoded in multipart (HTML spec).
    name = (name or "").replace("%22", '"').replace("%0A", " ").replace("%0D", " ")
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))
    name = " ".join(name.split()).lstrip(". ")
    if len(name) > MAX_FILENAME:
        stem, suffix = os.path.splitext(name)
        suffix = suffix[:20]
        name = stem[:MAX_FILENAME - len(suffix)].rstrip() + suffix
    return name


def with_extension(name: str, file_type: FileType) -> str:
    """Downloads open with the right program, whatever the name claimed."""
    if name.lower().endswith(file_type.extensions):
        return name
    return name[:MAX_FILENAME - len(file_type.extensions[0])] + file_type.extensions[0]


def size_in_megabytes(size: int) -> str:
    """Rounded up, so a file just over the limit never reads as the limit itself."""
    return format_number(math.ceil(size * 10 / MEGABYTE) / 10)


def _chunks(content: bytes | BinaryIO) -> Iterable[bytes]:
    if isinstance(content, bytes | bytearray):
        yield bytes(content)
        return
    while chunk := content.read(CHUNK_BYTES):
        yield chunk


def _receive(content: bytes | BinaryIO, directory: Path, limit: int, name: str,
             not_saved: str) -> Path:
    """Streams the upload to a temporary file; removes it and refuses when too big or empty."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = directory / f".upload-{secrets.token_hex(8)}.part"
    size = 0
    try:
        with temporary.open("xb") as target:
            for chunk in _chunks(content):
                size += len(chunk)
                if size <= limit:
                    target.write(chunk)
            target.flush()
            os.fsync(target.fileno())
        if size > limit:
            raise Invalid(not_saved, [FieldError("file", N_(
                "Filen «%(name)s» er %(size)s MB; grænsen er %(limit)s MB."),
                {"name": name, "size": size_in_megabytes(size),
                 "limit": format_number(limit / MEGABYTE)})])
        if size == 0:
            raise Invalid(not_saved, [FieldError("file", N_("Filen «%(name)s» er tom."),
                                                 {"name": name})])
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


class ReceivedFile:
    """An upload on disk, under a temporary name until `keep()` gives it its storage key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def keep(self) -> str:
        """Renames the file to a new random storage key and returns the key."""
        key = secrets.token_hex(16)
        final = self.path.parent / key
        os.replace(self.path, final)
        self.path = final
        return key

    @property
    def size_bytes(self) -> int:
        return self.path.stat().st_size


@contextmanager
def received(content: bytes | BinaryIO, *, settings: Settings, name: str,
             not_saved: str) -> Iterator[ReceivedFile]:
    """The upload, received within the size limit; removed again (kept or not) when the
    block raises, so a refused or failed upload leaves nothing behind. `not_saved` is the
    refusal's summary when the file is too big or empty."""
    upload = ReceivedFile(_receive(content, upload_dir(settings), settings.max_upload_bytes,
                                   name, not_saved))
    try:
        yield upload
    except BaseException:
        upload.path.unlink(missing_ok=True)
        raise


def remove_stored(settings: Settings, storage_key: str | None, what: str) -> None:
    """Deletes a stored file after its row is gone; a file that cannot go is logged only."""
    path = stored_path(settings, storage_key)
    if path is None:
        return
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.exception("%s: could not delete %s", what, path.name)


_ASCII_DANISH = str.maketrans({"Æ": "Ae", "æ": "ae", "Ø": "Oe", "ø": "oe", "Å": "Aa",
                               "å": "aa"})


def download_headers(filename: str) -> dict[str, str]:
    """Always an attachment, with the name in RFC 5987 form and an ASCII fallback."""
    fallback = unicodedata.normalize("NFKD", filename.translate(_ASCII_DANISH))
    fallback = fallback.encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", fallback).strip() or "dokument"
    return {
        "Content-Disposition": (f'attachment; filename="{fallback}"; '
                                f"filename*=UTF-8''{quote(filename, safe='')}"),
        "X-Content-Type-Options": "nosniff",
        # Should a browser still show it, it shows it without scripts or our origin.
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
    }
