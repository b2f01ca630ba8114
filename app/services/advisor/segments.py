"""Which members a list shows: one advisor's, unassigned ones, or a service type, region or size."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, true
from sqlmodel import col

from app.models import Organisation, User
from app.models.vocabulary import Region, ServiceType, SizeBand

# The advisor filter's special values beside a user id.
MINE = "mine"
UNASSIGNED = "none"
EVERYONE = ""


@dataclass(frozen=True)
class MemberFilter:
    """A list's members. `advisor` is MINE, UNASSIGNED, EVERYONE or an advisor's user id."""

    advisor: str = MINE
    service_type: ServiceType | None = None
    region: Region | None = None
    size: SizeBand | None = None

    def where(self, user: User) -> ColumnElement[bool]:
        """The SQL condition on Organisation, for this user (MINE means theirs)."""
        conditions = [col(Organisation.active)]
        if self.advisor == MINE:
            # Unassigned members are every advisor's: nobody else would see them.
            conditions.append(col(Organisation.advisor_id).is_(None)
                              | (Organisation.advisor_id == user.id))
        elif self.advisor == UNASSIGNED:
            conditions.append(col(Organisation.advisor_id).is_(None))
        elif self.advisor.isdecimal():
            conditions.append(Organisation.advisor_id == int(self.advisor))
        if self.service_type:
            conditions.append(Organisation.service_type == self.service_type)
        if self.region:
            conditions.append(Organisation.region == self.region)
        if self.size:
            low, high = self.size.places
            conditions.append(col(Organisation.places) >= low)
            if high is not None:
                conditions.append(col(Organisation.places) <= high)
        return and_(true(), *conditions)
