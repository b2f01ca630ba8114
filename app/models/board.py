"""Indexes the board's roll-ups read through (no tables of their own).

Declared here, beside the aggregates that need them, rather than on the assessment models:
each lets SQLite and PostgreSQL answer from the index alone, without visiting the rows.
"""

import sqlalchemy as sa

from app.models.assessments import Assessment, RequirementScore

# Submitted assessments of a cycle, and their organisations, for the counts and the join.
submitted_in_cycle = sa.Index(
    "ix_assessment_cycle_status_organisation", Assessment.__table__.c.cycle_id,
    Assessment.__table__.c.status, Assessment.__table__.c.organisation_id)
# An assessment's requirement scores, for the histograms of scores.
scores_of_assessment = sa.Index(
    "ix_requirement_score_assessment_requirement_score",
    RequirementScore.__table__.c.assessment_id, RequirementScore.__table__.c.requirement_id,
    RequirementScore.__table__.c.score)
