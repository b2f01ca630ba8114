"""The segments the board may split the sector by, and the SQL that puts a member in a group.

Every active member falls in exactly one group of each segment, so the groups of a segment
add up to the sector total: that is what makes secondary suppression necessary and enough.
"""

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import col

from app.i18n import N_, gettext
from app.models import Organisation


class Segment(StrEnum):
    """The CONTRACT's segment names."""

    SERVICE_TYPE = "tilbudstype"
    REGION = "region"
    SIZE = "size"


@dataclass(frozen=True)
class SizeBand:
    code: str
    lowest: int  # places, inclusive
    highest: int | None  # places, inclusive; None: no upper bound
    label: str


# Data, not logic: the bands the board reads sizes in (number of places, "pladser").
# 0 places means the member has not told us.
SIZE_BANDS = (
    SizeBand("unknown", 0, 0, N_("Antal pladser ikke oplyst")),
    SizeBand("1-9", 1, 9, N_("1–9 pladser")),
    SizeBand("10-19", 10, 19, N_("10–19 pladser")),
    SizeBand("20-29", 20, 29, N_("20–29 pladser")),
    SizeBand("30+", 30, None, N_("30 pladser eller flere")),
)


def group_column(segment: Segment | None) -> sa.ColumnElement:
    """The SQL expression giving a member's group in `segment` (one constant group if None).

    The constant is written into the SQL, not bound: PostgreSQL cannot type a bare
    parameter in a select list. Callers do not group by it.
    """
    if segment is None:
        return sa.literal_column("'all'", sa.String)
    if segment is Segment.SERVICE_TYPE:
        return col(Organisation.service_type)
    if segment is Segment.REGION:
        return col(Organisation.region)
    places = col(Organisation.places)
    whens = [((places <= band.highest) if band.highest is not None else sa.true(), band.code)
             for band in SIZE_BANDS]
    return sa.case(*whens, else_=SIZE_BANDS[-1].code)


def size_band_label(code: str) -> str:
    for band in SIZE_BANDS:
        if band.code == code:
            return gettext(band.label)
    return code


def group_order(segment: Segment | None, values: list[str]) -> list[str]:
    """Groups in their natural order: sizes by size, the other code lists alphabetically."""
    if segment is Segment.SIZE:
        rank = {band.code: n for n, band in enumerate(SIZE_BANDS)}
        return sorted(values, key=lambda v: rank.get(v, len(rank)))
    return sorted(values)
