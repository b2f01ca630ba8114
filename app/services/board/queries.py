"""What the board, advisors and admins may ask for: one cycle (a group or every group of a
segment) and the trend across cycles. The pages, the exports and the API all come here."""

from dataclasses import dataclass

from pydantic import BaseModel, model_validator
from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import Cycle, User
from app.models.vocabulary import Region, Role, ServiceType
from app.services.board.aggregates import CycleFigures, GroupFigures, cycle_figures
from app.services.board.segments import SIZE_BANDS, Segment
from app.services.errors import FieldError, Forbidden, Invalid, NotFound
from app.services.validation import parse_input

READERS = frozenset({Role.BOARD, Role.ADVISOR, Role.ADMIN})

SEGMENT_VALUES: dict[Segment, tuple[str, ...]] = {
    Segment.SERVICE_TYPE: tuple(ServiceType),
    Segment.REGION: tuple(Region),
    Segment.SIZE: tuple(band.code for band in SIZE_BANDS),
}


class FigureQuery(BaseModel):
    """A segment and one of its groups; no segment means the whole sector."""

    segment: Segment | None = None
    value: str | None = None

    @model_validator(mode="after")
    def _value_belongs_to_segment(self) -> "FigureQuery":
        if self.value is not None and self.segment is None:
            raise ValueError(N_("Vælg først, hvad der skal opdeles efter."))
        if self.value is not None and self.value not in SEGMENT_VALUES[self.segment]:
            raise ValueError(N_("Gruppen findes ikke i denne opdeling."))
        return self


def _authorize(user: User) -> None:
    if user.role not in READERS:
        raise Forbidden(N_("Kun bestyrelsen, LOS' konsulenter og administratorer ser "
                           "sektorens tal."))


def _parse(segment: str | None, value: str | None) -> FigureQuery:
    return parse_input(FigureQuery, {"segment": segment or None, "value": value or None},
                       N_("Filteret kan ikke bruges."))


def all_cycles(session: Session) -> list[Cycle]:
    return list(session.exec(select(Cycle).order_by(col(Cycle.year))))


def resolve_cycle(cycles: list[Cycle], cycle_id: int | None) -> Cycle:
    """The cycle asked for, or the latest one; NotFound for an unknown id."""
    if cycle_id is None:
        if not cycles:
            raise NotFound(N_("Der er endnu ingen runder."))
        return cycles[-1]
    for cycle in cycles:
        if cycle.id == cycle_id:
            return cycle
    raise Invalid(N_("Filteret kan ikke bruges."),
                  [FieldError("cycle_id", N_("Runden findes ikke."))])


def aggregates(*, session: Session, user: User, minimum: int, cycle_id: int | None,
               segment: str | None = None, value: str | None = None,
               titles: dict[str, str] | None = None, with_medians: bool = True
               ) -> CycleFigures:
    """One cycle's figures: the total, and every group of the segment (or the one asked);
    without `with_medians`, no medians (see cycle_figures)."""
    _authorize(user)
    query = _parse(segment, value)
    cycle = resolve_cycle(all_cycles(session), cycle_id)
    figures = cycle_figures(session=session, cycles=[cycle], segment=query.segment,
                            minimum=minimum, titles=titles, with_medians=with_medians,
                            values=[query.value] if query.value else None)[cycle.id]
    if query.value and figures.group(query.value) is None:
        # A group without members says nothing; answer like any suppressed group.
        figures.groups.append(GroupFigures(query.value, True, None, None))
    return figures


@dataclass(frozen=True)
class TrendPoint:
    cycle_id: int
    year: int
    threshold: int
    figures: GroupFigures  # each cycle suppressed on its own


def trend(*, session: Session, user: User, minimum: int, segment: str | None = None,
          value: str | None = None, titles: dict[str, str] | None = None,
          with_medians: bool = True) -> list[TrendPoint]:
    """The sector, or one group of a segment, per cycle, oldest first."""
    _authorize(user)
    query = _parse(segment, value)
    if query.segment is not None and query.value is None:
        raise Invalid(N_("Filteret kan ikke bruges."),
                      [FieldError("value", N_("Vælg en gruppe."))])
    cycles = all_cycles(session)
    by_cycle = cycle_figures(session=session, cycles=cycles, segment=query.segment,
                             minimum=minimum, titles=titles, with_total=False,
                             with_medians=with_medians,
                             values=[query.value] if query.value else None)
    points = []
    for cycle in cycles:
        figures = by_cycle[cycle.id]
        group = figures.total if query.segment is None else (
            figures.group(query.value) or GroupFigures(query.value, True, None, None))
        points.append(TrendPoint(cycle.id, cycle.year, figures.threshold, group))
    return points
