"""The member dossier: everything LOS knows about one member, for the advisor working with it.

Every cycle's requirement scores side by side (older catalogue versions mapped onto the
newest by permanent key), the self-assessment beside Socialtilsynet's scores per theme year
by year, the injunction reports, submitted revisions and reopenings, actions, support
cases, the contact log and the audit trail; in a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.models import (
    Assessment,
    AssessmentRevision,
    ContactEntry,
    Cycle,
    Organisation,
    Requirement,
    RequirementScore,
    SupportCase,
    User,
)
from app.models.vocabulary import Role
from app.services.actions import ActionRow, list_actions
from app.services.advisor.support import get_member, list_cases, list_contacts
from app.services.audit import AuditFilter, AuditLine, list_audit
from app.services.calibration import CalibrationHistory, calibration_history
from app.services.catalogue.lineage import key_map

AUDIT_SHOWN = 15


@dataclass(frozen=True)
class CycleColumn:
    year: int
    assessment: Assessment


@dataclass(frozen=True)
class ScoreRow:
    number: int
    key: str
    title: str
    scores: list[float | None]  # one per column, oldest first


@dataclass
class Dossier:
    organisation: Organisation
    advisor: User | None
    users: list[User]
    columns: list[CycleColumn]
    rows: list[ScoreRow]
    revisions: dict[int, list[AssessmentRevision]]  # by assessment id
    actions: list[ActionRow]
    cases: list[SupportCase]
    contacts: list[ContactEntry]
    audit: list[AuditLine]
    audit_total: int
    calibration: CalibrationHistory

    @property
    def latest(self) -> Assessment | None:
        return self.columns[-1].assessment if self.columns else None

    @property
    def open_cases(self) -> list[SupportCase]:
        return [case for case in self.cases if case.status != "closed"]


def load_dossier(*, session: Session, user: User, organisation_id: int,
                 today: date) -> Dossier:
    organisation = get_member(session=session, user=user, organisation_id=organisation_id)
    assessments = session.exec(
        select(Assessment, Cycle.year).join(Cycle, col(Cycle.id) == col(Assessment.cycle_id))
        .where(Assessment.organisation_id == organisation_id).order_by(Cycle.year)
    ).all()
    columns = [CycleColumn(year, assessment) for assessment, year in assessments]
    rows = _score_rows(session, [c.assessment for c in columns])
    revisions: dict[int, list[AssessmentRevision]] = {}
    for revision in session.exec(
            select(AssessmentRevision)
            .where(col(AssessmentRevision.assessment_id).in_([c.assessment.id for c in columns]))
            .order_by(AssessmentRevision.number)):
        revisions.setdefault(revision.assessment_id, []).append(revision)
    trail = list_audit(session=session, user=user, limit=AUDIT_SHOWN,
                       wanted=AuditFilter(organisation_id=organisation_id))
    users = list(session.exec(select(User).where(
        User.organisation_id == organisation_id, User.role == Role.MEMBER).order_by(User.name)))
    return Dossier(
        organisation,
        session.get(User, organisation.advisor_id) if organisation.advisor_id else None,
        users, columns, rows, revisions,
        list_actions(session=session, user=user, today=today, organisation_id=organisation_id),
        list_cases(session=session, user=user, organisation_id=organisation_id),
        list_contacts(session=session, user=user, organisation_id=organisation_id),
        trail.entries, trail.total,
        calibration_history(session=session, user=user, organisation_id=organisation_id))


def _score_rows(session: Session, assessments: list[Assessment]) -> list[ScoreRow]:
    """The newest assessment's requirements, each with its score in every cycle."""
    if not assessments:
        return []
    newest = assessments[-1].catalogue_version_id
    requirements = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == newest).order_by(Requirement.number)).all()
    scored = session.exec(
        select(RequirementScore.assessment_id, Requirement.key, RequirementScore.score)
        .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
        .where(col(RequirementScore.assessment_id).in_([a.id for a in assessments]))
    ).all()
    maps = {version: key_map(session, version, newest)
            for version in {a.catalogue_version_id for a in assessments}}
    by_assessment: dict[int, dict[str, float | None]] = {}
    version_of = {a.id: a.catalogue_version_id for a in assessments}
    for assessment_id, key, score in scored:
        mapping = maps[version_of[assessment_id]]
        if key in mapping:
            by_assessment.setdefault(assessment_id, {})[mapping[key]] = score
    return [ScoreRow(r.number, r.key, r.title,
                     [by_assessment.get(a.id, {}).get(r.key) for a in assessments])
            for r in requirements]
