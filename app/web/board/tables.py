"""A chart's data table: what the page shows beside the chart and what the downloads hold.

Cells keep their raw values (a count, a score, a share 0..1, text) with the kind of each
column, so the page formats them for reading and the Excel file keeps them as numbers.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from app import i18n
from app.i18n import N_, gettext


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    SCORE = "score"
    PERCENT = "percent"  # a share 0..1, shown as per cent


class Hidden:
    """A suppressed cell: the group is too small, or hidden so a small one stays hidden."""

    def __str__(self) -> str:
        return gettext(N_("skjult"))


HIDDEN = Hidden()


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


@dataclass
class Table:
    columns: list[Column]
    rows: list[list] = field(default_factory=list)

    def add(self, *cells) -> None:
        assert len(cells) == len(self.columns), "one cell per column"
        self.rows.append(list(cells))

    def display(self) -> list[tuple[str, list[tuple[str, bool]]]]:
        """Per row, its heading and each further cell as (text, hidden): all the page's
        template needs, formatted here rather than cell by cell in the template."""
        kinds = [column.kind for column in self.columns[1:]]
        return [(str(row[0]), [(cell_text(value, kind), value is HIDDEN)
                               for value, kind in zip(row[1:], kinds, strict=True)])
                for row in self.rows]


def two_decimals(value: float) -> str:
    """3,20 in Danish, 3.20 in English: always two decimals, so a column lines up."""
    text = f"{value:.2f}"
    return text.replace(".", ",") if i18n.current_language.get() == "da" else text


def cell_text(value, kind: Kind) -> str:
    """How a cell reads on the page and in the CSV file."""
    if value is HIDDEN:
        return str(HIDDEN)
    if value is None:
        return "–"
    if kind == Kind.SCORE:
        return two_decimals(value)
    if kind == Kind.PERCENT:
        return f"{i18n.format_number(value * 100, 0)} %"
    return str(value)
