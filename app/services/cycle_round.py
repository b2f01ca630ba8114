"""The admin's view of a round: every member's status in one cycle, its progress and last
activity, filtered and counted in SQL so a page costs the same whatever the membership.

Members of a round are the active organisations, and any other that has an assessment in
it. Status: no assessment is "not started"; a draft "in progress", with the progress the
member's own form shows (the assessment's answered and in-scope counts, kept by
assessment.answers.refresh_scores); submitted; or reopened by LOS and not yet submitted
again.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import Assessment, Cycle, NoticeSent, Organisation, User
from app.models.vocabulary import AssessmentStatus, Role, RoundStatus
from app.services.access import require_admin
from app.services.errors import FieldError, Invalid

# The filters: one status, or every member that has not submitted (whom reminders are for).
NOT_SUBMITTED = "not_submitted"
UNSENT = (RoundStatus.NOT_STARTED, RoundStatus.IN_PROGRESS, RoundStatus.REOPENED)
BAD_FILTER = N_("Ukendt filter.")


@dataclass(frozen=True)
class RoundRow:
    organisation_id: int
    name: str
    cvr: str
    status: RoundStatus
    answered: int
    in_scope: int
    changed_at: datetime | None  # the assessment's last save, submit or reopening
    submitted_at: datetime | None
    last_login_at: datetime | None  # the latest login of any of the member's users
    reminded_at: datetime | None  # the latest reminder about this round, sent or by hand
    users: int  # active users, who would get a reminder

    @property
    def share(self) -> float:
        return self.answered / self.in_scope if self.in_scope else 0.0

    @property
    def may_be_reminded(self) -> bool:
        return self.status in UNSENT and self.users > 0


@dataclass(frozen=True)
class RoundPage:
    cycle: Cycle
    rows: list[RoundRow]
    total: int  # rows matching the filter
    counts: dict[str, int]  # members per status, whatever the filter


def _status_expression():
    return case(
        (col(Assessment.id).is_(None), RoundStatus.NOT_STARTED.value),
        (Assessment.status == AssessmentStatus.SUBMITTED, RoundStatus.SUBMITTED.value),
        (Assessment.status == AssessmentStatus.REOPENED, RoundStatus.REOPENED.value),
        else_=RoundStatus.IN_PROGRESS.value)


def statuses_of(value: str) -> tuple[str, ...]:
    """The statuses a filter value stands for; "" is every member."""
    if not value:
        return ()
    if value == NOT_SUBMITTED:
        return tuple(s.value for s in UNSENT)
    if value in set(RoundStatus):
        return (value,)
    raise Invalid(BAD_FILTER, [FieldError("status", N_("Vælg en af mulighederne."))])


def _members(cycle: Cycle):
    """(statement, status expression): every member of the round with its figures."""
    status = _status_expression()
    last_login = (select(func.max(User.last_login_at))
                  .where(User.organisation_id == Organisation.id)
                  .correlate(Organisation).scalar_subquery())
    users = (select(func.count(col(User.id)))
             .where(User.organisation_id == Organisation.id, User.role == Role.MEMBER,
                    col(User.active))
             .correlate(Organisation).scalar_subquery())
    reminded = (select(User.organisation_id.label("organisation_id"),  # type: ignore[union-attr]
                       func.max(NoticeSent.created_at).label("at"))
                .join(User, col(User.email) == col(NoticeSent.recipient))
                .where(or_(col(NoticeSent.key).startswith(f"deadline:{cycle.id}:"),
                           col(NoticeSent.key).startswith(f"reminder:{cycle.id}:")))
                .group_by(User.organisation_id).subquery())
    statement = (
        select(Organisation.id, Organisation.name, Organisation.cvr, status.label("status"),
               Assessment.answered_count, Assessment.in_scope_count, Assessment.updated_at,
               Assessment.submitted_at, last_login, reminded.c.at, users)
        .join(Assessment, and_(col(Assessment.organisation_id) == col(Organisation.id),
                               Assessment.cycle_id == cycle.id), isouter=True)
        .join(reminded, reminded.c.organisation_id == col(Organisation.id), isouter=True)
        .where(or_(col(Organisation.active), col(Assessment.id).is_not(None))))
    return statement, status


def _row(values) -> RoundRow:
    (organisation_id, name, cvr, status, answered, in_scope, changed_at, submitted_at,
     last_login_at, reminded_at, users) = values
    return RoundRow(organisation_id, name, cvr, RoundStatus(status), answered or 0,
                    in_scope or 0, changed_at, submitted_at, last_login_at, reminded_at,
                    users or 0)


def round_rows(*, session: Session, user: User | None, cycle: Cycle, status: str = "",
               offset: int = 0, limit: int | None = None) -> list[RoundRow]:
    """The members matching the filter, by name; all of them without a `limit`."""
    require_admin(user)
    wanted = statuses_of(status)
    statement, expression = _members(cycle)
    if wanted:
        statement = statement.where(expression.in_(wanted))
    statement = statement.order_by(col(Organisation.name), col(Organisation.id)).offset(offset)
    if limit is not None:
        statement = statement.limit(limit)
    return [_row(values) for values in session.exec(statement)]


def round_page(*, session: Session, user: User | None, cycle: Cycle, status: str,
               offset: int, limit: int) -> RoundPage:
    """One page of the filtered members, the filter's total and the count per status."""
    require_admin(user)
    statement, _ = _members(cycle)
    members = statement.subquery()
    counts = {str(value): 0 for value in RoundStatus}
    for value, n in session.exec(select(members.c.status, func.count())
                                 .group_by(members.c.status)):
        counts[value] = n
    wanted = statuses_of(status)
    total = sum(n for value, n in counts.items() if not wanted or value in wanted)
    rows = round_rows(session=session, user=user, cycle=cycle, status=status, offset=offset,
                      limit=limit)
    return RoundPage(cycle, rows, total, counts)
