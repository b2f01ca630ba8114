"""A chart's table as a CSV or Excel file: the same rows and columns as on the page."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from app.i18n import N_, gettext
from app.web.board.tables import HIDDEN, Kind, Table, cell_text
from app.web.exports import csv_bytes

_NUMBER_FORMATS = {Kind.SCORE: "0.00", Kind.PERCENT: "0%", Kind.COUNT: "0"}


def table_csv(table: Table) -> bytes:
    """The table's cells as the page writes them, in the CSV every download uses."""
    return csv_bytes([c.title for c in table.columns],
                     [["" if value is None else cell_text(value, column.kind)
                       for value, column in zip(row, table.columns, strict=True)]
                      for row in table.rows])


def table_xlsx(table: Table, *, title: str, subtitle: str) -> bytes:
    """One sheet: the chart's title and filter, then the table with numbers as numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = gettext(N_("Tal"))
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([subtitle])
    sheet.append([])
    sheet.append([c.title for c in table.columns])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([str(v) if v is HIDDEN else v for v in row])
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            if column.kind in _NUMBER_FORMATS and isinstance(cell.value, int | float):
                cell.number_format = _NUMBER_FORMATS[column.kind]
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
