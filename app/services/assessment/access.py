"""Who may open, change or reopen which self-assessment, and the write lock every change takes."""

from sqlmodel import Session, col, func, select

from app.i18n import N_
from app.models import Assessment, User
from app.models.vocabulary import EDITABLE_STATUSES, Role
from app.services.errors import Conflict, Forbidden, NotFound
from app.services.versioning import claim, reload

NOT_FOUND = N_("Selvevalueringen findes ikke.")
# A version the server never gave out: it would otherwise pass every conflict check.
UNKNOWN_VERSION = N_("Siden er ikke den seneste udgave. Hent den igen, og gem derefter.")
MEMBERS_ONLY = N_("Kun medlemmets egne brugere kan ændre selvevalueringen.")


def get_assessment_for_user(*, session: Session, user: User, assessment_id: int) -> Assessment:
    """The assessment if the user may see it; another organisation's is "not found"."""
    if user.role == Role.BOARD:
        raise Forbidden(N_("Bestyrelsen ser kun samlede tal, aldrig det enkelte medlem."))
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound(NOT_FOUND)
    if user.role == Role.MEMBER and assessment.organisation_id != user.organisation_id:
        raise NotFound(NOT_FOUND)
    return assessment


def get_assessment_to_edit(*, session: Session, user: User, assessment_id: int) -> Assessment:
    """The assessment if the user may change it: a member of its own organisation only."""
    assessment = get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)
    if user.role != Role.MEMBER:
        raise Forbidden(MEMBERS_ONLY)
    return assessment


def lock_to_edit(*, session: Session, user: User, assessment_id: int) -> Assessment:
    """Authorizes, then takes the write lock (lock_for_edit): every member write starts here."""
    get_assessment_to_edit(session=session, user=user, assessment_id=assessment_id)
    return lock_for_edit(session, assessment_id)


def get_assessment_to_reopen(*, session: Session, user: User, assessment_id: int) -> Assessment:
    """Reopening is LOS' decision: advisors and admins."""
    assessment = get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)
    if user.role not in (Role.ADVISOR, Role.ADMIN):
        raise Forbidden(N_("Kun LOS kan genåbne en indsendt selvevaluering."))
    return assessment


def list_assessments_for_user(*, session: Session, user: User, cycle_id: int | None = None,
                              offset: int = 0, limit: int | None = None) -> list[Assessment]:
    """The assessments the user may see, by cycle; `limit` rows from `offset` when given."""
    statement = _visible_assessments(select(Assessment), user, cycle_id)
    return list(session.exec(statement.order_by(Assessment.cycle_id, Assessment.id)
                             .offset(offset).limit(limit)))


def count_assessments_for_user(*, session: Session, user: User,
                               cycle_id: int | None = None) -> int:
    """How many list_assessments_for_user() lists without a limit."""
    return session.exec(_visible_assessments(
        select(func.count()).select_from(Assessment), user, cycle_id)).one()


def _visible_assessments(statement, user: User, cycle_id: int | None):
    if user.role == Role.BOARD:
        raise Forbidden(N_("Bestyrelsen ser kun samlede tal, aldrig det enkelte medlem."))
    if user.role == Role.MEMBER:
        statement = statement.where(Assessment.organisation_id == user.organisation_id)
    if cycle_id is not None:
        statement = statement.where(Assessment.cycle_id == cycle_id)
    return statement


def lock_for_edit(session: Session, assessment_id: int, seen: int | None = None) -> Assessment:
    """Claims the open assessment for one change (versioning.claim), so concurrent saves
    queue instead of racing; `seen`, the version the person saw, may not be newer than the
    current one."""
    conditions = [col(Assessment.status).in_(EDITABLE_STATUSES)]
    if seen is not None:
        conditions.append(col(Assessment.version) >= seen)
    if claim(session, Assessment, assessment_id, *conditions):
        return reload(session, Assessment, assessment_id)
    session.rollback()
    assessment = reload(session, Assessment, assessment_id)
    if assessment is None:
        raise NotFound(NOT_FOUND)
    if assessment.status not in EDITABLE_STATUSES:
        raise Conflict(N_("Selvevalueringen er indsendt og kan ikke længere ændres."))
    raise Conflict(UNKNOWN_VERSION, data={"version": assessment.version})
