"""Which uploaded files count as evidence (PDF, Word, Excel, PNG, JPEG), judged by content.

The file name and the browser's content type are never consulted: puremagic reads the
signature, and containers are looked into (the zip of .docx/.xlsx, the compound file of
.doc/.xls) so that any zip or any Office-like file does not pass for a document.
"""

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import puremagic

HEAD_BYTES = 8192
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# [Content_Types].xml is tiny; reading more of it than this is someone's trick.
CONTENT_TYPES_LIMIT = 512 * 1024


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extensions: tuple[str, ...]  # the first is the one added to a name that lacks them
    label: str  # short and language-neutral: the badge beside the file


PDF = FileType("pdf", "application/pdf", (".pdf",), "PDF")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                (".docx",), "Word")
DOC = FileType("doc", "application/msword", (".doc",), "Word")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                (".xlsx",), "Excel")
XLS = FileType("xls", "application/vnd.ms-excel", (".xls",), "Excel")
PNG = FileType("png", "image/png", (".png",), "PNG")
JPEG = FileType("jpeg", "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"), "JPEG")

ALLOWED = (PDF, DOCX, DOC, XLSX, XLS, PNG, JPEG)
BY_CONTENT_TYPE = {t.content_type: t for t in ALLOWED}
# For the file picker only (a hint to the browser, never a check).
ACCEPT = ",".join([*(ext for t in ALLOWED for ext in t.extensions[:2]),
                   *(t.content_type for t in ALLOWED)])


class MacroDocument(Exception):
    """An Office document with macros: refused, and said so, because macros run code."""


def detect_file_type(path: Path) -> FileType | None:
    """The evidence type of the file at `path`, or None when it is none of the allowed ones.

    Raises MacroDocument for a Word or Excel file that carries macros.
    """
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
    if not head:
        return None
    try:
        # No file name given on purpose: puremagic would weigh its extension.
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    seen = {m.mime_type for m in matches} | {m.extension for m in matches}
    if "application/pdf" in seen and head.startswith(PDF_SIGNATURE):
        return PDF
    if "image/png" in seen and head.startswith(PNG_SIGNATURE):
        return PNG
    if "image/jpeg" in seen and head.startswith(JPEG_SIGNATURE):
        return JPEG
    if seen & {".zip", ".docx", ".xlsx"} and head.startswith(ZIP_SIGNATURE):
        return _office_open_xml(path)
    if seen & {".doc", ".xls"} and head.startswith(OLE_SIGNATURE):
        return _compound_document(path)
    return None


def _office_open_xml(path: Path) -> FileType | None:
    """.docx or .xlsx: a zip with [Content_Types].xml naming the main part, and its folder."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as member:
                content_types = member.read(CONTENT_TYPES_LIMIT)
            _main_part_reads(archive, names)
    # zlib.error: a damaged deflate stream is a damaged file, refused like any other.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, NotImplementedError,
            RuntimeError, ValueError, EOFError, zlib.error):
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names) or (
            b"macroEnabled" in content_types):
        raise MacroDocument()
    word = any(name.startswith("word/") for name in names)
    excel = any(name.startswith("xl/") for name in names)
    if word and not excel and b"wordprocessingml.document.main+xml" in content_types:
        return DOCX
    if excel and not word and b"spreadsheetml.sheet.main+xml" in content_types:
        return XLSX
    return None


def _main_part_reads(archive: zipfile.ZipFile, names: list[str]) -> None:
    """Decompresses the start of the document's main part, so a Word or Excel file whose
    content is damaged is refused now rather than failing when someone opens it."""
    for main in ("word/document.xml", "xl/workbook.xml"):
        if main in names:
            with archive.open(main) as member:
                member.read(CONTENT_TYPES_LIMIT)


def _compound_document(path: Path) -> FileType | None:
    """.doc or .xls: an OLE compound file holding a WordDocument or a Workbook stream."""
    names = compound_document_names(path.read_bytes())
    if names is None:
        return None
    if names & {"Macros", "_VBA_PROJECT_CUR", "VBA"}:
        raise MacroDocument()
    if "WordDocument" in names:
        return DOC
    if names & {"Workbook", "Book"}:
        return XLS
    return None


_LAST_REGULAR_SECTOR = 0xFFFFFFFA


def compound_document_names(data: bytes) -> set[str] | None:
    """The names of the storages and streams in an OLE compound file, None when malformed.

    Reads the header, the sector allocation table (FAT, found through the DIFAT) and the
    directory chain; every chain is bounded by the file's size, so a loop cannot hang us.
    """
    if len(data) < 512 or not data.startswith(OLE_SIGNATURE):
        return None
    shift = int.from_bytes(data[30:32], "little")
    if shift not in (9, 12):
        return None
    size = 1 << shift
    per_sector = size // 4
    max_steps = len(data) // size + 1

    def sector(number: int) -> bytes | None:
        start = (number + 1) * size
        chunk = data[start:start + size]
        return chunk if len(chunk) == size else None

    fat_sectors = list(struct.unpack("<109I", data[76:512]))
    difat, difat_count = struct.unpack("<II", data[68:76])
    for _ in range(min(difat_count, max_steps)):
        if difat > _LAST_REGULAR_SECTOR or (chunk := sector(difat)) is None:
            break
        entries = struct.unpack(f"<{per_sector}I", chunk)
        fat_sectors.extend(entries[:-1])
        difat = entries[-1]
    fat: list[int] = []
    for number in fat_sectors:
        if number > _LAST_REGULAR_SECTOR:
            continue
        chunk = sector(number)
        if chunk is None:
            return None
        fat.extend(struct.unpack(f"<{per_sector}I", chunk))

    names: set[str] = set()
    current = int.from_bytes(data[48:52], "little")
    for _ in range(max_steps):
        if current > _LAST_REGULAR_SECTOR:
            return names
        chunk = sector(current)
        if chunk is None or current >= len(fat):
            return None
        for offset in range(0, size, 128):
            entry = chunk[offset:offset + 128]
            length = int.from_bytes(entry[64:66], "little")
            if entry[66] in (1, 2, 5) and 2 <= length <= 64 and length % 2 == 0:
                names.add(entry[:length - 2].decode("utf-16-le", "replace"))
        current = fat[current]
    return None  # the chain never ended
