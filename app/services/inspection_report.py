"""The inspection report itself, as a PDF beside the scores a member typed in from it.

One report per inspection; uploading another replaces it. Who may read and write it is
who may read and write the inspection (inspections.member_for): a member its own, LOS'
advisors and admins any member's, never the board. Files follow the upload rules of
evidence (app/services/uploads.py), but only a PDF is accepted, judged by content.
"""

import logging
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import N_
from app.models import Inspection, InspectionReport, User
from app.models.base import utcnow
from app.services import audit, inspections, uploads
from app.services.assessment.file_types import PDF, MacroDocument, detect_file_type
from app.services.audit import AuditAction, AuditEntity
from app.services.errors import FieldError, Invalid, NotFound
from app.services.versioning import lock_rows

log = logging.getLogger("etik.inspection_report")

NOT_SAVED = N_("Tilsynsrapporten blev ikke gemt. Ret det markerede.")
NO_REPORT = N_("Tilsynet har ingen rapport som PDF.")
AUDITED = ("filename", "size_bytes")


def _inspection(session: Session, user: User, organisation_id: int,
                inspection_id: int) -> Inspection:
    return inspections.inspection_for(session=session, user=user,
                                      organisation_id=organisation_id,
                                      inspection_id=inspection_id)


def _lock(session: Session, inspection_id: int) -> None:
    """Takes the inspection's row for this transaction (versioning.lock_rows): two uploads
    at once then replace one another in turn, and each removes only the file it replaced.
    The version stays, so a form open on the inspection's scores stays current."""
    lock_rows(session, Inspection, [inspection_id])


def report_of(session: Session, inspection_id: int) -> InspectionReport | None:
    return session.exec(select(InspectionReport).where(
        InspectionReport.inspection_id == inspection_id)).first()


def reports_of(session: Session, inspection_ids: list[int]) -> dict[int, InspectionReport]:
    """Inspection id -> its report, in one query whatever the number."""
    if not inspection_ids:
        return {}
    return {report.inspection_id: report for report in session.exec(
        select(InspectionReport).where(col(InspectionReport.inspection_id).in_(inspection_ids)))}


def get_report(*, session: Session, user: User, organisation_id: int,
               inspection_id: int) -> InspectionReport | None:
    """The inspection's report (None when it has none), for whoever may see the inspection."""
    _inspection(session, user, organisation_id, inspection_id)
    return report_of(session, inspection_id)


def report_for_download(*, session: Session, settings: Settings, user: User,
                        organisation_id: int, inspection_id: int
                        ) -> tuple[InspectionReport, Path]:
    report = get_report(session=session, user=user, organisation_id=organisation_id,
                        inspection_id=inspection_id)
    if report is None:
        raise NotFound(NO_REPORT)
    if report.file_removed_at is not None:
        raise NotFound(uploads.REMOVED_AFTER_RETENTION)
    path = uploads.stored_path(settings, report.storage_key)
    if path is None or not path.is_file():
        log.warning("inspection %s: report file %s is missing", inspection_id,
                    report.storage_key)
        raise NotFound(NO_REPORT)
    return report, path


def _audit(session: Session, user: User, inspection: Inspection, action: str,
           before: InspectionReport | None, after: InspectionReport | None) -> None:
    def shown(report: InspectionReport | None) -> dict:
        if report is None or report.file_removed_at is not None:
            return {}
        return {name: getattr(report, name) for name in AUDITED}
    audit.record(session, user=user, action=action, entity=AuditEntity.INSPECTION_REPORT,
                 entity_id=inspection.id, organisation_id=inspection.organisation_id,
                 changes=audit.changes_between(shown(before), shown(after)))


def put_report(*, session: Session, settings: Settings, user: User, organisation_id: int,
               inspection_id: int, filename: str, content: bytes | BinaryIO
               ) -> InspectionReport:
    """Stores the PDF as the inspection's report, replacing any before it: the old file is
    deleted only once the new one is committed, so a failure keeps the old report whole."""
    inspection = _inspection(session, user, organisation_id, inspection_id)
    if not (filename or "").strip():
        raise Invalid(NOT_SAVED, [FieldError("file", N_("Vælg rapporten som PDF-fil."))])
    name = uploads.clean_filename(filename) or "tilsynsrapport"
    with uploads.received(content, settings=settings, name=name,
                          not_saved=NOT_SAVED) as upload:
        try:
            try:
                file_type = detect_file_type(upload.path)
            except MacroDocument:
                file_type = None
            if file_type is not PDF:
                raise Invalid(NOT_SAVED, [FieldError("file", N_(
                    "«%(name)s» er ikke en PDF-fil. Tilsynsrapporten skal være en PDF."),
                    {"name": name})])
            _lock(session, inspection_id)
            report = report_of(session, inspection_id)
            before = None
            old_key = None
            if report is None:
                report = InspectionReport(inspection_id=inspection_id)
            else:
                before = InspectionReport(**report.model_dump())
                old_key = report.storage_key if report.file_removed_at is None else None
            report.storage_key = upload.keep()
            report.filename = uploads.with_extension(name, PDF)
            report.content_type = PDF.content_type
            report.size_bytes = upload.size_bytes
            report.uploaded_by_id = user.id
            report.uploaded_at = utcnow()
            report.file_removed_at = None
            session.add(report)
            session.flush()
            _audit(session, user, inspection,
                   AuditAction.UPDATE if before else AuditAction.CREATE, before, report)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    uploads.remove_stored(settings, old_key, f"inspection {inspection_id} report")
    session.refresh(report)
    return report


def delete_report(*, session: Session, settings: Settings, user: User, organisation_id: int,
                  inspection_id: int) -> InspectionReport:
    """Removes the report's row, then its file; the inspection's scores stay."""
    inspection = _inspection(session, user, organisation_id, inspection_id)
    _lock(session, inspection_id)
    report = report_of(session, inspection_id)
    if report is None:
        raise NotFound(NO_REPORT)
    key = report.storage_key
    _audit(session, user, inspection, AuditAction.DELETE, report, None)
    session.delete(report)
    session.commit()
    uploads.remove_stored(settings, key, f"inspection {inspection_id} report")
    return report
