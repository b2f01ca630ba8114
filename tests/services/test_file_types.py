"""Which files count as evidence, judged by their bytes: real minimal files built here."""

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest

from app.services.assessment.file_types import (
    DOC,
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLS,
    XLSX,
    MacroDocument,
    compound_document_names,
    detect_file_type,
)

# --- tiny real files ---------------------------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


# A baseline JFIF header and the end-of-image marker: what every JPEG starts and ends with.
MINIMAL_JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
                b"\xff\xd9")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:body><w:p><w:r><w:t>Politik for magtanvendelse</w:t></w:r></w:p></w:body>'
    '</w:document>'
)


def zip_bytes(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """A real (minimal) Word document, as Word itself lays one out."""
    return zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
                      "word/document.xml": DOCUMENT})


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Tilsynsrapport"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def compound_bytes(*streams: str) -> bytes:
    """A minimal OLE compound file (the .doc/.xls container) holding the named streams:
    a header, one FAT sector and one directory sector of 512 bytes each."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # the directory starts in sector 1
    struct.pack_into("<IIIII", header, 56, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))  # the FAT is sector 0
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))

    def entry(name: str, kind: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[:len(encoded)] = encoded
        struct.pack_into("<HB", raw, 64, len(encoded), kind)
        struct.pack_into("<III", raw, 68, free, free, free)
        return bytes(raw)

    entries = [entry("Root Entry", 5)] + [entry(name, 2) for name in streams]
    directory = b"".join(entries).ljust(512, b"\0")
    return bytes(header) + fat + directory


EXE_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 112
HTML = b"<!DOCTYPE html><html><body><script>alert('x')</script></body></html>"


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- accepted ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("rapport.pdf", MINIMAL_PDF, PDF),
    ("billede.png", png_bytes(), PNG),
    ("foto.jpg", MINIMAL_JPEG, JPEG),
    ("politik.docx", docx_bytes(), DOCX),
    ("oversigt.xlsx", xlsx_bytes(), XLSX),
    ("gammel.doc", compound_bytes("WordDocument", "1Table"), DOC),
    ("gammel.xls", compound_bytes("Workbook"), XLS),
])
def test_an_allowed_file_is_recognised_by_its_content(tmp_path, name, data, expected):
    assert detect_file_type(write(tmp_path, name, data)) == expected


def test_the_name_plays_no_part_a_png_called_pdf_is_a_png(tmp_path):
    assert detect_file_type(write(tmp_path, "rapport.pdf", png_bytes())) == PNG


def test_a_word_document_without_extension_is_still_word(tmp_path):
    assert detect_file_type(write(tmp_path, "upload", docx_bytes())) == DOCX


# --- refused -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data"), [
    pytest.param("rapport.pdf", EXE_HEADER, id="exe-renamed-pdf"),
    pytest.param("rapport.pdf", HTML, id="html-renamed-pdf"),
    pytest.param("rapport.pdf", b"", id="empty"),
    pytest.param("rapport.docx", zip_bytes({"notes.txt": "hej"}), id="plain-zip-named-docx"),
    pytest.param("rapport.pdf", b"Bare tekst, ingen PDF.", id="text"),
    pytest.param("rapport.docx", zip_bytes({"[Content_Types].xml": CONTENT_TYPES}),
                 id="content-types-without-word-folder"),
    pytest.param("rapport.docx", zip_bytes({"word/document.xml": DOCUMENT}),
                 id="word-folder-without-content-types"),
    pytest.param("rapport.docx", b"PK\x03\x04" + b"\x00" * 60, id="broken-zip"),
    pytest.param("installer.doc", compound_bytes("SummaryInformation"),
                 id="compound-file-neither-word-nor-excel"),
    pytest.param("rapport.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600,
                 id="broken-compound-file"),
])
def test_anything_else_is_refused_whatever_its_name(tmp_path, name, data):
    assert detect_file_type(write(tmp_path, name, data)) is None


def test_an_executable_with_a_zip_appended_is_not_a_zip(tmp_path):
    assert detect_file_type(write(tmp_path, "rapport.docx", EXE_HEADER + docx_bytes())) is None


def test_a_word_document_with_macros_is_refused_as_such(tmp_path):
    macro = zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
                       "word/document.xml": DOCUMENT, "word/vbaProject.bin": b"\x00" * 10})
    with pytest.raises(MacroDocument):
        detect_file_type(write(tmp_path, "rapport.docx", macro))


def test_an_old_excel_file_with_macros_is_refused_as_such(tmp_path):
    with pytest.raises(MacroDocument):
        detect_file_type(write(tmp_path, "regneark.xls",
                               compound_bytes("Workbook", "_VBA_PROJECT_CUR")))


def test_a_compound_file_whose_directory_chain_loops_is_malformed():
    data = bytearray(compound_bytes("WordDocument"))
    struct.pack_into("<I", data, 512 + 4, 1)  # the directory sector points to itself
    assert compound_document_names(bytes(data)) is None
