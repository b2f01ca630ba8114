"""What the board's roll-ups read: indexes over the assessments, and the stored histogram.

The indexes are declared here, beside the aggregates that need them, rather than on the
assessment models: each lets SQLite and PostgreSQL answer from the index alone.
"""

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.assessments import Assessment, RequirementScore
from app.models.organisations import Organisation

# Submitted assessments of a cycle, and their organisations, for the counts and the join.
submitted_in_cycle = sa.Index(
    "ix_assessment_cycle_status_organisation", Assessment.__table__.c.cycle_id,
    Assessment.__table__.c.status, Assessment.__table__.c.organisation_id)
# An assessment's requirement scores, for the histograms of scores.
scores_of_assessment = sa.Index(
    "ix_requirement_score_assessment_requirement_score",
    RequirementScore.__table__.c.assessment_id, RequirementScore.__table__.c.requirement_id,
    RequirementScore.__table__.c.score)


class ScoreHistogram(SQLModel, table=True):
    """How many respondents have each requirement score, per cycle and segment group.

    Derived from the requirement scores of submitted assessments, and kept in the same
    transaction as every write that changes them (submit, reopen, a member's segment), so
    the board's figures read a few hundred rows instead of every score. `segment` is "all"
    (with `group_value` "all") or one of the board's segments.
    """

    __tablename__ = "score_histogram"

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True, ondelete="CASCADE")
    segment: str = Field(max_length=20, primary_key=True)
    group_value: str = Field(max_length=40, primary_key=True)
    requirement_id: int = Field(foreign_key="requirement.id", primary_key=True,
                                ondelete="CASCADE")
    score: float = Field(primary_key=True)
    respondents: int


class RespondentCount(SQLModel, table=True):
    """How many members submitted, per cycle and segment group: kept beside the histogram
    by the same writes, so the board's counts read a few rows instead of joining every
    submitted assessment to its member."""

    __tablename__ = "respondent_count"

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True, ondelete="CASCADE")
    segment: str = Field(max_length=20, primary_key=True)
    group_value: str = Field(max_length=40, primary_key=True)
    respondents: int



class RequirementRollup(SQLModel, table=True):
    """A group's figures for one requirement in one cycle, summed from the histogram by the
    same writes that change it (app/services/board/rollups.py), so the board's figures read
    one row per group and requirement: how many scored it, the sum of their scores, how
    many at or above the catalogue's threshold, how many round to each step, the median."""

    __tablename__ = "requirement_rollup"

    cycle_id: int = Field(foreign_key="cycle.id", primary_key=True, ondelete="CASCADE")
    segment: str = Field(max_length=20, primary_key=True)
    group_value: str = Field(max_length=40, primary_key=True)
    requirement_id: int = Field(foreign_key="requirement.id", primary_key=True,
                                ondelete="CASCADE")
    scored: int
    score_sum: float
    meeting: int
    distribution: dict = Field(sa_type=sa.JSON)  # "1".."5" -> respondents rounding to it
    median: float

# Active members per group of each segment, answered from the index alone.
_organisation = Organisation.__table__.c
members_by_service_type = sa.Index(
    "ix_organisation_service_type_active", _organisation.service_type, _organisation.active)
members_by_region = sa.Index("ix_organisation_region_active", _organisation.region,
                             _organisation.active)
members_by_places = sa.Index("ix_organisation_places_active", _organisation.places,
                             _organisation.active)
# Former members: few, so their submitted assessments are found from here.
former_members = sa.Index("ix_organisation_active_id", _organisation.active, _organisation.id)
