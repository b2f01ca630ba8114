"""Evidence for a requirement: files kept outside the web root, and links.

A file is received by app/services/uploads.py (streamed within the size limit, removed
again when anything fails before the commit), checked by content
(app/services/assessment/file_types.py), renamed to a random storage key and recorded.
"""

import logging
import unicodedata
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from sqlmodel import Session, select

from app.config import Settings
from app.i18n import N_
from app.models import Assessment, Evidence, Requirement, User
from app.models.vocabulary import EDITABLE_STATUSES, EvidenceKind, Role
from app.services import audit, uploads
from app.services.assessment.access import (
    get_assessment_for_user,
    get_assessment_to_edit,
    lock_for_edit,
)
from app.services.assessment.file_types import BY_CONTENT_TYPE, MacroDocument, detect_file_type
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from app.services.fields import NUL_TEXT
from app.services.uploads import clean_filename

log = logging.getLogger("etik.evidence")

MAX_TITLE = 300
MAX_URL = 2000

EVIDENCE_FIELDS = ("assessment_id", "kind", "title", "url", "filename", "size_bytes")
NOT_FOUND = N_("Dokumentationen findes ikke.")
NOT_ADDED = N_("Dokumentationen er ikke tilføjet. Ret det markerede.")
LOCKED = N_("Selvevalueringen er indsendt, så dokumentationen kan ikke længere ændres.")
BOARD = N_("Bestyrelsen ser kun samlede tal, aldrig det enkelte medlem.")


# --- reading ---------------------------------------------------------------------------------


def list_evidence(*, session: Session, user: User,
                  assessment_id: int) -> list[tuple[Evidence, str]]:
    """The assessment's evidence with each requirement's key, oldest first."""
    assessment = get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)
    return [(evidence, key) for evidence, key in session.exec(
        select(Evidence, Requirement.key)
        .join(Requirement, Requirement.id == Evidence.requirement_id)
        .where(Evidence.assessment_id == assessment.id)
        .order_by(Requirement.number, Evidence.created_at, Evidence.id)
    )]


def _evidence_for_user(session: Session, user: User, evidence_id: int) -> Evidence:
    """The evidence if the user may see its assessment; another organisation's is "not found"."""
    if user.role == Role.BOARD:
        # Before any lookup, so the board learns nothing about which ids exist.
        raise Forbidden(BOARD)
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound(NOT_FOUND)
    try:
        get_assessment_for_user(session=session, user=user,
                                assessment_id=evidence.assessment_id)
    except NotFound:
        raise NotFound(NOT_FOUND) from None
    return evidence


def stored_path(settings: Settings, evidence: Evidence) -> Path:
    path = uploads.stored_path(settings, evidence.storage_key)
    if path is None:
        raise NotFound(NOT_FOUND)
    return path


def evidence_for_download(*, session: Session, settings: Settings, user: User,
                          evidence_id: int) -> tuple[Evidence, Path]:
    """The file and where it lies: for the organisation's members, advisors and admins."""
    evidence = _evidence_for_user(session, user, evidence_id)
    if evidence.kind != EvidenceKind.FILE:
        raise NotFound(N_("Dokumentationen er et link, ikke en fil."))
    if evidence.file_removed_at is not None:
        raise NotFound(uploads.REMOVED_AFTER_RETENTION)
    path = stored_path(settings, evidence)
    if not path.is_file():
        log.warning("evidence %s: file %s is missing", evidence.id, evidence.storage_key)
        raise NotFound(NOT_FOUND)
    return evidence, path


def download_headers(evidence: Evidence) -> dict[str, str]:
    return uploads.download_headers(evidence.filename)


def download_content_type(evidence: Evidence) -> str:
    """The stored type when it is one we accept; anything else downloads as bytes."""
    known = BY_CONTENT_TYPE.get(evidence.content_type)
    return known.content_type if known else "application/octet-stream"


def _record(session: Session, user: User, assessment: Assessment, evidence: Evidence,
            action: str, requirement_key: str | None = None) -> None:
    session.flush()
    shown = fields_of(evidence, EVIDENCE_FIELDS)
    if requirement_key:
        shown["requirement_id"] = requirement_key
    before, after = ({}, shown) if action == AuditAction.CREATE else (shown, {})
    audit.record(session, user=user, action=action,
                 entity=AuditEntity.EVIDENCE, entity_id=evidence.id,
                 organisation_id=assessment.organisation_id,
                 changes={name: [before.get(name), after.get(name)]
                          for name in (*before, *after)})


# --- adding ----------------------------------------------------------------------------------


def _editable(session: Session, user: User, assessment_id: int,
              requirement_key: str | None = None) -> tuple[Assessment, Requirement | None]:
    assessment = get_assessment_to_edit(session=session, user=user, assessment_id=assessment_id)
    if assessment.status not in EDITABLE_STATUSES:
        raise Conflict(LOCKED)
    if requirement_key is None:
        return assessment, None
    # No key holds a NUL byte, and PostgreSQL would refuse to compare one.
    requirement = None if "\x00" in requirement_key else session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id,
        Requirement.key == requirement_key,
    )).first()
    if requirement is None:
        raise Invalid(NOT_ADDED, [FieldError("requirement_id", N_("Fordringen findes ikke."))])
    return assessment, requirement


def _title(title: str, fallback: str = "") -> str:
    title = " ".join((title or "").split()) or fallback
    if "\x00" in title:
        raise Invalid(NOT_ADDED, [FieldError("title", NUL_TEXT)])
    if len(title) > MAX_TITLE:
        raise Invalid(NOT_ADDED, [FieldError("title", N_(
            "Titlen er for lang (højst %(max)s tegn)."), {"max": MAX_TITLE})])
    return title


def add_file_evidence(*, session: Session, settings: Settings, assessment_id: int,
                      requirement_key: str, user: User, filename: str,
                      content: bytes | BinaryIO, title: str = "") -> Evidence:
    """Checks, stores and records an uploaded file; nothing is left behind when refused."""
    assessment, requirement = _editable(session, user, assessment_id, requirement_key)
    if not (filename or "").strip():
        raise Invalid(NOT_ADDED, [FieldError("file", N_("Vælg en fil."))])
    name = clean_filename(filename) or "dokument"
    title = _title(title, fallback=name[:MAX_TITLE])
    with uploads.received(content, settings=settings, name=name,
                          not_saved=NOT_ADDED) as upload:
        try:
            try:
                file_type = detect_file_type(upload.path)
            except MacroDocument:
                raise Invalid(NOT_ADDED, [FieldError("file", N_(
                    "«%(name)s» indeholder makroer. Gem den uden makroer, eller som PDF."),
                    {"name": name})]) from None
            if file_type is None:
                raise Invalid(NOT_ADDED, [FieldError("file", N_(
                    "«%(name)s» er ikke en PDF-, Word-, Excel- eller billedfil."),
                    {"name": name})])
            name = uploads.with_extension(name, file_type)
            # Under the assessment's write lock, so a submit in between is seen (409).
            lock_for_edit(session, assessment.id)
            key = upload.keep()
            evidence = Evidence(assessment_id=assessment.id, requirement_id=requirement.id,
                                kind=EvidenceKind.FILE, title=title, filename=name,
                                content_type=file_type.content_type,
                                size_bytes=upload.size_bytes, storage_key=key,
                                uploaded_by_id=user.id)
            session.add(evidence)
            _record(session, user, assessment, evidence, AuditAction.CREATE, requirement.key)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return evidence


NOT_A_WEB_ADDRESS = N_("Det ligner ikke en webadresse. Skriv hele adressen, fx "
                       "https://www.eksempel.dk/rapport.")


def _link_errors(url: str) -> tuple[str, list[FieldError]]:
    url = (url or "").strip().replace(" ", "%20")
    if not url:
        return url, [FieldError("url", N_("Skriv adressen på linket."))]
    if len(url) > MAX_URL:
        return url, [FieldError("url", N_("Adressen er for lang (højst %(max)s tegn)."),
                                {"max": MAX_URL})]
    try:
        if not urlsplit(url).scheme and not url.startswith(("/", ":")):
            url = "https://" + url  # "www.los.dk/rapport" is what people type
        parts = urlsplit(url)
        hostname = parts.hostname or ""
        parts.port  # noqa: B018  (raises ValueError for a port that is no number)
    except ValueError:
        return url, [FieldError("url", NOT_A_WEB_ADDRESS)]
    if parts.scheme.lower() not in ("http", "https"):
        return url, [FieldError("url", N_("Et link skal begynde med http:// eller https://."))]
    if ("." not in hostname or parts.username is not None
            or any(c.isspace() or unicodedata.category(c) == "Cc" for c in url)):
        return url, [FieldError("url", NOT_A_WEB_ADDRESS)]
    return url, []


def add_link_evidence(*, session: Session, assessment_id: int, requirement_key: str,
                      user: User, url: str, title: str) -> Evidence:
    """Records a link (http or https only) with a title."""
    assessment, requirement = _editable(session, user, assessment_id, requirement_key)
    url, errors = _link_errors(url)
    title = " ".join((title or "").split())
    if not title:
        errors.append(FieldError("title", N_("Giv linket en titel, så andre ved, hvad det er.")))
    elif "\x00" in title:
        errors.append(FieldError("title", NUL_TEXT))
    elif len(title) > MAX_TITLE:
        errors.append(FieldError("title", N_("Titlen er for lang (højst %(max)s tegn)."),
                                 {"max": MAX_TITLE}))
    if errors:
        raise Invalid(NOT_ADDED, errors)
    lock_for_edit(session, assessment.id)
    evidence = Evidence(assessment_id=assessment.id, requirement_id=requirement.id,
                        kind=EvidenceKind.LINK, title=title, url=url, uploaded_by_id=user.id)
    session.add(evidence)
    _record(session, user, assessment, evidence, AuditAction.CREATE, requirement.key)
    session.commit()
    return evidence


def add_evidence(*, session: Session, settings: Settings, assessment_id: int,
                 requirement_key: str, user: User, title: str = "",
                 filename: str | None = None, content: bytes | BinaryIO | None = None,
                 url: str | None = None) -> Evidence:
    """A file or a link, whichever was sent: what the API's one form of input needs."""
    if content is not None and url:
        _editable(session, user, assessment_id, requirement_key)
        raise Invalid(NOT_ADDED, [FieldError("file", N_(
            "Send enten en fil eller et link, ikke begge."))])
    if content is not None:
        return add_file_evidence(session=session, settings=settings,
                                 assessment_id=assessment_id, requirement_key=requirement_key,
                                 user=user, filename=filename or "", content=content,
                                 title=title)
    return add_link_evidence(session=session, assessment_id=assessment_id,
                             requirement_key=requirement_key, user=user, url=url or "",
                             title=title)


# --- removing --------------------------------------------------------------------------------


def remove_evidence(*, session: Session, settings: Settings, user: User, evidence_id: int,
                    assessment_id: int | None = None) -> Evidence:
    """Deletes the row, then the file; a file that cannot be deleted is logged, not shown."""
    evidence = _evidence_for_user(session, user, evidence_id)
    if assessment_id is not None and evidence.assessment_id != assessment_id:
        raise NotFound(NOT_FOUND)
    assessment, _ = _editable(session, user, evidence.assessment_id)
    path = stored_path(settings, evidence) if evidence.kind == EvidenceKind.FILE else None
    lock_for_edit(session, evidence.assessment_id)
    _record(session, user, assessment, evidence, AuditAction.DELETE)
    session.delete(evidence)
    session.commit()
    if path is not None:
        uploads.remove_stored(settings, evidence.storage_key, f"evidence {evidence_id}")
    return evidence
