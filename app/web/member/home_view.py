"""The member's home page: this year's self-assessment and the next step, last year's
result, and the follow-up actions still open."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from app.i18n import gettext
from app.models import Action, Assessment, Cycle, User
from app.models.vocabulary import OPEN_ACTION_STATUSES, AssessmentStatus
from app.services.actions import list_actions
from app.services.assessment.access import list_assessments_for_user
from app.services.assessment.submission import revisions
from app.services.cycles import current_of, cycle_status, list_cycles
from app.web.member.view import Page, Progress, Step, carry_over_offer, load_page, next_open_step
from app.web.member.view import progress_of as _progress_of


@dataclass
class MemberHome:
    today: date
    cycle: Cycle | None = None
    cycle_status: str = ""
    assessment: Assessment | None = None
    progress: Progress | None = None
    next_step: Step | None = None
    editable: bool = False
    carry_over: Cycle | None = None
    previous: Assessment | None = None
    previous_cycle: Cycle | None = None
    actions: list[Action] = field(default_factory=list)
    reopened: "Reopening | None" = None

    @property
    def days_left(self) -> int | None:
        return (self.cycle.deadline - self.today).days if self.cycle else None


@dataclass(frozen=True)
class Reopening:
    """Who at LOS reopened this year's assessment, when and why."""

    at: datetime
    by: str
    reason: str


def _reopening(session: Session, assessment: Assessment) -> Reopening | None:
    latest = next((r for r in reversed(revisions(session, assessment)) if r.reopened_at), None)
    if latest is None:
        return None
    by = session.get(User, latest.reopened_by_id) if latest.reopened_by_id else None
    return Reopening(latest.reopened_at, by.name if by else gettext("LOS"), latest.reopen_reason)


def member_home(*, session: Session, user: User, today: date) -> MemberHome:
    home = MemberHome(today)
    if user.organisation_id is None:
        return home
    newest_first = list_cycles(session=session)
    cycle = current_of(newest_first, today)
    cycles = {c.id: c for c in newest_first}
    mine = list_assessments_for_user(session=session, user=user)
    if cycle is not None:
        home.cycle, home.cycle_status = cycle, cycle_status(cycle, today).value
        home.assessment = next((a for a in mine if a.cycle_id == cycle.id), None)
    if home.assessment is not None:
        page: Page = load_page(session, user, home.assessment.id)
        home.progress, home.editable = _progress_of(page), page.editable
        home.next_step = next_open_step(page)
        home.carry_over = carry_over_offer(session, page)
        if home.assessment.status == AssessmentStatus.REOPENED:
            home.reopened = _reopening(session, home.assessment)
    earlier = [a for a in mine
               if a.status == AssessmentStatus.SUBMITTED and a is not home.assessment
               and (cycle is None or cycles[a.cycle_id].year < cycle.year)]
    if earlier:
        home.previous = max(earlier, key=lambda a: cycles[a.cycle_id].year)
        home.previous_cycle = cycles[home.previous.cycle_id]
    # The actions service owns the order and the overdue rule; the home page shows open ones.
    home.actions = [row for row in list_actions(session=session, user=user, today=today)
                    if row.action.status in OPEN_ACTION_STATUSES]
    return home
