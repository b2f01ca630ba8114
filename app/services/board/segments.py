"""The segments the board may split the sector by, and the SQL that puts a member in a group.

Every active member falls in exactly one group of each segment, so the groups of a segment
add up to the sector total: that is what makes secondary suppression necessary and enough.
"""

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import col

from app.models import Organisation
from app.models.vocabulary import SizeBand as Bands
from app.models.vocabulary import label_of


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


# The vocabulary's size bands (shared with the advisors' filters), as the board reads them.
SIZE_BANDS = tuple(SizeBand(band.value, *band.places) for band in Bands)


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
    return label_of(Bands, code)


def group_order(segment: Segment | None, values: list[str]) -> list[str]:
    """Groups in their natural order: sizes by size, the other code lists alphabetically."""
    if segment is Segment.SIZE:
        rank = {band.code: n for n, band in enumerate(SIZE_BANDS)}
        return sorted(values, key=lambda v: rank.get(v, len(rank)))
    return sorted(values)
