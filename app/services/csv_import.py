"""Reading an uploaded CSV file for an all-or-nothing import: decoding, the separator, the
header and the rows, with a line-numbered problem for everything that is wrong.

The imports (members, sector reference figures, inspections) share it, so every file
admins upload reads the same way: UTF-8 with or without BOM, semicolon, comma or tab
separated (Danish Excel saves "CSV" with semicolons), a header row naming the columns.
Line numbers are the file's own, the header being line 1.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from app.i18n import N_, gettext
from app.services.errors import FieldError, Invalid

NOT_IMPORTED = N_("Intet blev importeret. Ret linjerne nedenfor, og prøv igen.")


@dataclass(frozen=True)
class Problem:
    """Why one line (or the file) cannot be imported; `message` is a Danish msgid."""

    line: int
    field: str
    message: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def text(self) -> str:
        return gettext(self.message, **self.params)

    def __str__(self) -> str:
        return f"LINE {self.line}: {self.field}: {self.text()}"


class ImportRefused(Invalid):
    """Nothing was imported; `problems` says which lines and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__(NOT_IMPORTED, [FieldError(f"line {p.line}.{p.field}", p.message,
                                                   p.params) for p in problems])
        self.problems = problems


@dataclass(frozen=True)
class CsvFormat:
    columns: tuple[str, ...]
    required: tuple[str, ...]
    aliases: dict[str, str]  # another name for a column (Danish, spaced) -> the column
    max_rows: int


@dataclass
class CsvTable:
    """The file's data rows as {column: stripped cell} by line, or what stops reading it."""

    text: str  # the decoded file, so a preview can be confirmed without a new upload
    rows: list[tuple[int, dict[str, str]]]
    problems: list[Problem]


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise ImportRefused([Problem(line, "file", N_(
            "Filen er ikke gemt som UTF-8. Gem den i Excel som »CSV UTF-8« og prøv igen."))]
        ) from None


def _delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ";"


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, cells) for every record, blank lines and empty rows skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records, last_line = [], 0
    try:
        for cells in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                records.append((first_line, cells))
    except csv.Error as exc:
        raise ImportRefused([Problem(reader.line_num, "file", N_(
            "Filen kan ikke læses som CSV (%(error)s)."), {"error": str(exc)})]) from None
    return records


def column_key(header: str) -> str:
    """How a header is compared: lower case, spaces and hyphens as underscores."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def _column_name(header: str, aliases: dict[str, str]) -> str:
    key = column_key(header)
    return aliases.get(key, key)


def _read_header(cells: list[str], spec: CsvFormat) -> tuple[list[str], list[Problem]]:
    """The column each position holds ("" for none), and what is wrong with the header."""
    columns: list[str] = []
    problems = []
    for cell in cells:
        name = _column_name(cell, spec.aliases) if cell.strip() else ""
        if name and name not in spec.columns:
            problems.append(Problem(1, cell.strip(), N_(
                "Ukendt kolonne. Kolonnerne hedder: %(columns)s."),
                {"columns": ", ".join(spec.columns)}))
        elif name and name in columns:
            problems.append(Problem(1, name, N_("Kolonnen står to gange.")))
        columns.append(name)
    problems += [Problem(1, name, N_("Kolonnen mangler."))
                 for name in spec.required if name not in columns]
    return columns, problems


def read_csv(content: bytes, spec: CsvFormat) -> CsvTable:
    """The file's rows, or the problems that stop it being read at all (no rows then).

    A row with more values than the header has columns is a problem of its own line; the
    other rows are still returned, so every line's problems can be shown at once."""
    try:
        text = _decode(content)
        records = _records(text)
    except ImportRefused as exc:
        return CsvTable("", [], exc.problems)
    if not records:
        return CsvTable(text, [], [Problem(1, "file", N_("Filen er tom."))])
    columns, problems = _read_header(records[0][1], spec)
    if problems:
        return CsvTable(text, [], problems)
    data = records[1:]
    if not data:
        return CsvTable(text, [], [Problem(1, "file", N_(
            "Filen har ingen rækker under overskriften."))])
    if len(data) > spec.max_rows:
        return CsvTable(text, [], [Problem(data[spec.max_rows][0], "file", N_(
            "Filen har mere end %(max)s rækker. Del den op i flere filer."),
            {"max": spec.max_rows})])
    rows = []
    for line, cells in data:
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            problems.append(Problem(line, "file", N_(
                "Rækken har flere værdier end overskriften har kolonner. Står der et "
                "skilletegn i en værdi, så sæt værdien i anførselstegn.")))
            continue
        values = dict.fromkeys(spec.columns, "")
        for name, cell in zip(columns, cells, strict=False):
            if name in values:
                values[name] = cell.strip()
        rows.append((line, values))
    return CsvTable(text, rows, problems)
