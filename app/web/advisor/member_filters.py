"""The filter every advisor list shares (cycle, advisor, segment), read from the URL.

The URL is the state: a filtered list can be bookmarked and sent to a colleague, and the
same URL renders the page without JavaScript.
"""

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from sqlmodel import Session

from app.i18n import N_, gettext
from app.models import Cycle, User
from app.models.vocabulary import Region, Role, ServiceType, SizeBand
from app.services.advisor.segments import EVERYONE, MINE, UNASSIGNED, MemberFilter
from app.services.cycles import current_cycle, get_cycle, list_cycles
from app.services.errors import FieldError, Invalid
from app.services.organisations import active_advisors

# Plain text parameters: a form without JavaScript sends "" for "Alle".
Text = Annotated[str, Query(max_length=40)]


@dataclass(frozen=True)
class ListQuery:
    """The query parameters of an advisor list, as typed in the URL."""

    cycle_id: int | None = None
    advisor: str | None = None  # None: the role's default
    service_type: ServiceType | None = None
    region: Region | None = None
    size: SizeBand | None = None

    def members(self, user: User) -> MemberFilter:
        advisor = self.advisor if self.advisor is not None else default_advisor(user)
        return MemberFilter(advisor, self.service_type, self.region, self.size)

    def params(self) -> dict:
        """The filter as query parameters, for page and export links."""
        return {"cycle_id": self.cycle_id, "advisor": self.advisor,
                "service_type": self.service_type, "region": self.region, "size": self.size}


def refused_filter(errors: list[FieldError]) -> Invalid:
    return Invalid(N_("Filteret kan ikke bruges: %(fields)s"), errors,
                   params={"fields": ", ".join(e.field for e in errors)})


def choice_of(enum, name: str, value: str, errors: list[FieldError]):
    """The code list's member for a URL value ("" is none); unknown values join `errors`."""
    try:
        return enum(value) if value else None
    except ValueError:
        errors.append(FieldError(name, N_("Vælg en af mulighederne.")))
        return None


def list_query(cycle_id: Text = "", advisor: Annotated[str | None, Query(max_length=12)] = None,
               service_type: Text = "", region: Text = "", size: Text = "") -> ListQuery:
    """The dependency that reads a ListQuery; a value no list knows is a 422 naming it."""
    errors: list[FieldError] = []
    if cycle_id and not (cycle_id.isdecimal() and len(cycle_id) <= 9):
        errors.append(FieldError("cycle_id", N_("Skal være et helt tal.")))
    if advisor not in (None, MINE, EVERYONE, UNASSIGNED) and not (
            advisor.isdecimal() and len(advisor) <= 9):
        errors.append(FieldError("advisor", N_("Vælg en af mulighederne.")))
    query = ListQuery(int(cycle_id) if cycle_id.isdecimal() and len(cycle_id) <= 9 else None,
                      advisor, choice_of(ServiceType, "service_type", service_type, errors),
                      choice_of(Region, "region", region, errors),
                      choice_of(SizeBand, "size", size, errors))
    if errors:
        raise refused_filter(errors)
    return query


ListQueryDep = Annotated[ListQuery, Depends(list_query)]


def default_advisor(user: User) -> str:
    """An advisor starts with their own members; an admin with everyone's."""
    return MINE if user.role == Role.ADVISOR else EVERYONE


def chosen_cycle(session: Session, query: ListQuery, today: date) -> Cycle | None:
    if query.cycle_id is not None:
        return get_cycle(session=session, cycle_id=query.cycle_id)
    return current_cycle(session=session, today=today)


def choices(session: Session, user: User) -> dict:
    """What the filter's selects offer."""
    advisors = [(MINE, gettext("Mine og ikke tildelte")), (EVERYONE, gettext("Alle")),
                (UNASSIGNED, gettext("Ikke tildelt"))]
    staff = active_advisors(session=session)
    advisors += [(str(a.id), a.name) for a in staff]
    return {"cycles": list_cycles(session=session), "advisors": advisors,
            "advisor_names": {a.id: a.name for a in staff},
            "service_types": list(ServiceType), "regions": list(Region),
            "sizes": list(SizeBand), "default_advisor": default_advisor(user)}
