"""Downloads of a table: CSV that Danish Excel opens in columns, and a real Excel workbook.

Both take the header and rows a page shows, so an export is exactly what is on screen.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value) -> str | int | float:
    """Numbers stay numbers; a text starting like a formula is made plain text."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def download(content: bytes, media_type: str, filename: str) -> Response:
    """The file as an attachment; a name with æøå survives in every browser."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    return Response(content, media_type=media_type, headers={"Content-Disposition":
                    f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"})


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """Semicolons and a byte order mark: Danish Excel opens it in columns, æøå intact."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    return download(csv_bytes(header, rows), "text/csv; charset=utf-8", filename)


def xlsx_response(filename: str, title: str, header: Sequence[str],
                  rows: Iterable[Sequence]) -> Response:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return download(out.getvalue(), XLSX, filename)
