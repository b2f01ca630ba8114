"""Where an advisor's day starts: flagged members, cases with the next contact due, late actions."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.models import Action, Cycle, Organisation, SupportCase, User
from app.models.vocabulary import OPEN_ACTION_STATUSES, CaseStatus
from app.services.advisor.flags import FlagPage, FlagSettings, MemberFlags, flag_page
from app.services.advisor.segments import MemberFilter

SHOWN = 8


@dataclass
class AdvisorHome:
    cycle: Cycle | None
    flagged: list[MemberFlags]
    flagged_total: int
    cases: list[tuple[SupportCase, Organisation]]
    late_actions: list[tuple[Action, Organisation]]


def advisor_home(*, session: Session, user: User, cycle: Cycle | None, today: date,
                 rules: FlagSettings) -> AdvisorHome:
    """The advisor's own members and the unassigned ones (MemberFilter's default)."""
    members = MemberFilter()
    where = members.where(user)
    flagged = (flag_page(session=session, user=user, cycle=cycle, today=today, rules=rules,
                         members=members, limit=SHOWN) if cycle else FlagPage(0, []))
    cases = session.exec(
        select(SupportCase, Organisation)
        .join(Organisation, col(Organisation.id) == col(SupportCase.organisation_id))
        .where(where, SupportCase.status != CaseStatus.CLOSED)
        .order_by(col(SupportCase.next_contact_on).is_(None), col(SupportCase.next_contact_on),
                  SupportCase.id).limit(SHOWN)
    ).all()
    late = session.exec(
        select(Action, Organisation)
        .join(Organisation, col(Organisation.id) == col(Action.organisation_id))
        .where(where, col(Action.status).in_(OPEN_ACTION_STATUSES), col(Action.due_on) < today)
        .order_by(Action.due_on, Action.id).limit(SHOWN)
    ).all()
    return AdvisorHome(cycle, flagged.members, flagged.total, list(cases), list(late))
