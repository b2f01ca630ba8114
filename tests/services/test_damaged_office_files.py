"""A Word or Excel file with a damaged deflate stream inside its zip is refused as a bad
file (422 at the upload), not a 500 from zlib in the content check."""

import zipfile

import pytest

from app.services.assessment.file_types import detect_file_type
from tests.conftest import api_token
from tests.services.test_file_types import docx_bytes, write, xlsx_bytes


def damaged(data: bytes, member: str) -> bytes:
    """The zip with the middle of `member`'s compressed stream overwritten."""
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        info = archive.getinfo(member)
    header = info.header_offset
    name_length = int.from_bytes(data[header + 26:header + 28], "little")
    extra_length = int.from_bytes(data[header + 28:header + 30], "little")
    start = header + 30 + name_length + extra_length
    assert info.compress_size > 8, "too small to damage"
    broken = bytearray(data)
    broken[start + 2:start + 8] = b"\xff\xff\xff\xff\xff\xff"
    return bytes(broken)


@pytest.mark.parametrize("name, data, member", [
    ("rapport.docx", docx_bytes(), "[Content_Types].xml"),
    ("rapport.docx", docx_bytes(), "word/document.xml"),
    ("regnskab.xlsx", xlsx_bytes(), "[Content_Types].xml"),
    ("regnskab.xlsx", xlsx_bytes(), "xl/workbook.xml"),
])
def test_a_damaged_office_file_is_not_recognised(tmp_path, name, data, member):
    assert detect_file_type(write(tmp_path, name, damaged(data, member))) is None


def test_a_damaged_word_file_is_refused_at_the_upload_with_422(client, cast, open_cycle,
                                                                catalogue, session):
    from sqlmodel import select

    from app.models import Requirement
    headers = api_token(client, cast.alice.email)
    assessment = client.post("/api/v1/assessments", json={"cycle_id": open_cycle.id},
                             headers=headers).json()
    key = session.exec(select(Requirement.key).where(
        Requirement.catalogue_version_id == catalogue.id, Requirement.number == 1)).one()
    response = client.post(
        f"/api/v1/assessments/{assessment['id']}/evidence", headers=headers,
        data={"requirement_id": key},
        files={"file": ("rapport.docx", damaged(docx_bytes(), "[Content_Types].xml"),
                        "application/octet-stream")})
    assert response.status_code == 422, response.text
    assert "rapport.docx" in response.text
