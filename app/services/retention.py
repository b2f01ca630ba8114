"""Retention: evidence files and inspection reports' PDFs older than
ETIK_EVIDENCE_RETENTION_DAYS are removed from disk.

The evidence row stays (title, file name, size, who added it), marked with when its file
was removed, so the pages say so instead of linking to nothing, and submitted revisions
still list it. Each removal is one audit entry on the evidence, in its organisation's
trail: the organisation's own history (the advisor's dossier, the admin's filter) then
shows which of its files went and when, which one summary entry per run could not.

Idempotent, for cron: a file already removed is skipped, and a run stopped half-way
(a crash, a full disk) is finished by the next one, because the file is deleted before
its row is marked and each file is committed on its own.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.config import Settings
from app.models import Assessment, Evidence, Inspection, InspectionReport
from app.models.base import utcnow
from app.models.vocabulary import EvidenceKind
from app.services import audit
from app.services.audit import AuditAction, AuditEntity
from app.services.uploads import stored_path

log = logging.getLogger("etik.retention")


@dataclass(frozen=True)
class ExpiredFile:
    evidence_id: int
    organisation_id: int
    filename: str
    size_bytes: int
    uploaded_at: datetime


@dataclass(frozen=True)
class ExpiredReport:
    inspection_id: int
    organisation_id: int
    filename: str
    size_bytes: int
    uploaded_at: datetime


@dataclass
class RetentionRun:
    cutoff: datetime
    dry_run: bool
    files: list[ExpiredFile] = field(default_factory=list)
    reports: list[ExpiredReport] = field(default_factory=list)

    @property
    def size_bytes(self) -> int:
        return sum(f.size_bytes for f in [*self.files, *self.reports])


def expired_files(*, session: Session, cutoff: datetime) -> list[tuple[Evidence, int]]:
    """Stored files uploaded before `cutoff` and not yet removed, with their organisation."""
    return list(session.exec(
        select(Evidence, Assessment.organisation_id)
        .join(Assessment, Assessment.id == Evidence.assessment_id)
        .where(Evidence.kind == EvidenceKind.FILE, col(Evidence.file_removed_at).is_(None),
               col(Evidence.created_at) < cutoff)
        .order_by(Evidence.created_at, Evidence.id)).all())


def apply_retention(*, session: Session, settings: Settings, dry_run: bool = False,
                    now: datetime | None = None) -> RetentionRun:
    """Removes (or with `dry_run` only lists) every expired evidence file and report."""
    now = now or utcnow()
    run = RetentionRun(now - timedelta(days=settings.evidence_retention_days), dry_run)
    for evidence, organisation_id in expired_files(session=session, cutoff=run.cutoff):
        run.files.append(ExpiredFile(evidence.id, organisation_id, evidence.filename,
                                     evidence.size_bytes, evidence.created_at))
        if not dry_run:
            _remove_file(session, settings, evidence, now, entity=AuditEntity.EVIDENCE,
                         entity_id=evidence.id, organisation_id=organisation_id,
                         uploaded_at=evidence.created_at)
            log.info("evidence %s: file removed after the retention period", evidence.id)
    _expire_reports(session, settings, run, now)
    return run


def _remove_file(session: Session, settings: Settings, row: Evidence | InspectionReport,
                 now: datetime, *, entity: AuditEntity, entity_id: int, organisation_id: int,
                 uploaded_at: datetime) -> None:
    """Deletes the row's file, marks the row and audits it, committed on its own."""
    if (path := stored_path(settings, row.storage_key)) is not None:
        # Gone already (a file lost before) is the state we want: no error.
        path.unlink(missing_ok=True)
    row.file_removed_at = now
    session.add(row)
    # user None: the command line, run by whoever runs etik (cron).
    audit.record(session, user=None, action=AuditAction.RETENTION, entity=entity,
                 entity_id=entity_id, organisation_id=organisation_id,
                 changes={"file": [row.filename, None],
                          "uploaded_at": [uploaded_at.isoformat(), None]})
    session.commit()


def expired_reports(*, session: Session, cutoff: datetime
                    ) -> list[tuple[InspectionReport, int]]:
    """Inspection reports uploaded before `cutoff` whose file is still kept."""
    return list(session.exec(
        select(InspectionReport, Inspection.organisation_id)
        .join(Inspection, Inspection.id == InspectionReport.inspection_id)
        .where(col(InspectionReport.file_removed_at).is_(None),
               col(InspectionReport.uploaded_at) < cutoff)
        .order_by(InspectionReport.uploaded_at, InspectionReport.id)).all())


def _expire_reports(session: Session, settings: Settings, run: RetentionRun,
                    now: datetime) -> None:
    """As for evidence: the file goes, the row stays marked, one audit entry each."""
    for report, organisation_id in expired_reports(session=session, cutoff=run.cutoff):
        run.reports.append(ExpiredReport(report.inspection_id, organisation_id,
                                         report.filename, report.size_bytes,
                                         report.uploaded_at))
        if run.dry_run:
            continue
        _remove_file(session, settings, report, now, entity=AuditEntity.INSPECTION_REPORT,
                     entity_id=report.inspection_id, organisation_id=organisation_id,
                     uploaded_at=report.uploaded_at)
        log.info("inspection %s: report removed after the retention period",
                 report.inspection_id)
