"""Each submitted requirement score beside the member's score a year before, kept stored.

The rule (the advisors' decline flag, services/advisor/flag_rules.py): a requirement's
previous score is its score, matched by permanent key through the catalogue's mapping
across versions, in the member's previous submitted assessment, the latest of an earlier
cycle year. Worked out across every member's years at once, that took most of the flag
list at 50,000 members, so `RequirementScore.previous_score` stores it. `refresh()`
rewrites one member's in the transaction that submits an assessment or changes the scores
of one already submitted (a reopened one being edited); a draft's is never read.
"""

from itertools import groupby

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from app.models import Assessment, Cycle, Requirement, RequirementScore
from app.services.catalogue.lineage import key_map


def refresh(session: Session, organisation_id: int) -> None:
    """Rewrites the member's previous scores, in the caller's transaction (three queries,
    and one more per catalogue version change across its years)."""
    submitted = session.exec(
        select(Assessment.id, Assessment.catalogue_version_id)
        .join(Cycle, col(Cycle.id) == col(Assessment.cycle_id))
        .where(Assessment.organisation_id == organisation_id,
               col(Assessment.submitted_at).is_not(None))
        .order_by(Cycle.year)).all()
    if not submitted:
        return
    scores = session.exec(
        select(RequirementScore.id, RequirementScore.assessment_id, Requirement.key,
               RequirementScore.score, RequirementScore.previous_score)
        .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
        .where(col(RequirementScore.assessment_id).in_([a for a, _ in submitted]))
        .order_by(RequirementScore.assessment_id)).all()
    rows = {assessment_id: list(group)
            for assessment_id, group in groupby(scores, key=lambda row: row[1])}
    changed = []
    before: dict[str, float | None] = {}  # the previous submission's scores by this key
    before_version = None
    for assessment_id, version in submitted:
        if before_version is not None and before_version != version:
            mapping = key_map(session, before_version, version)
            before = {mapping[key]: score for key, score in before.items() if key in mapping}
        for row_id, _, key, _, stored in rows.get(assessment_id, []):
            if (found := before.get(key)) != stored:
                changed.append({"row_id": row_id, "previous": found})
        before = {key: score for _, _, key, score, _ in rows.get(assessment_id, [])}
        before_version = version
    if changed:
        table = RequirementScore.__table__
        session.connection().execute(
            update(table).where(table.c.id == bindparam("row_id"))
            .values(previous_score=bindparam("previous")), changed)
