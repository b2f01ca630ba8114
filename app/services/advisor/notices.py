"""Notices by email: an action's owner when assigned and before it is due; members that have
not submitted, before the deadline (and when an admin sends a reminder by hand); each
advisor's digest.

`etik notices send` calls send_due_notices, safe to run from cron every hour: each notice
is first claimed by inserting its key into notice_sent (unique), and only the run whose
claim commits sends it. A crash between claim and send loses that one notice rather than
ever sending it twice. Every message also lands in the outbox (services/mail.py).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import N_, format_day, gettext, ngettext, possessive
from app.models import Action, Assessment, Cycle, NoticeSent, Organisation, User
from app.models.vocabulary import OPEN_ACTION_STATUSES, AssessmentStatus, CycleStatus, Role
from app.services import audit
from app.services.access import require_admin
from app.services.advisor.flags import FlagSettings, flagged_members
from app.services.advisor.segments import MemberFilter
from app.services.audit import AuditAction, AuditEntity
from app.services.cycles import current_cycle, cycle_status
from app.services.errors import Invalid
from app.services.mail import send_mail


@dataclass
class NoticeSummary:
    sent: dict[str, int] = field(default_factory=lambda: {"assigned": 0, "due_soon": 0,
                                                          "deadline": 0, "digest": 0})

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def send_due_notices(*, session: Session, settings: Settings, today: date) -> NoticeSummary:
    summary = NoticeSummary()
    actions = session.exec(
        select(Action, Organisation.name)
        .join(Organisation, col(Organisation.id) == col(Action.organisation_id))
        .where(col(Action.status).in_(OPEN_ACTION_STATUSES), Action.owner_email != "")
        .order_by(Action.id)
    ).all()
    soon = today + timedelta(days=settings.notice_due_days)
    for action, organisation_name in actions:
        url = (f"{settings.base_url.rstrip('/')}/organisations/{action.organisation_id}"
               f"/actions/{action.id}")
        if _claim(session, f"assigned:{action.id}:{action.owner_email}", action.owner_email):
            _send(session, settings, action.owner_email,
                  gettext("Du er ansvarlig for en handling: %(title)s", title=action.title),
                  gettext("Du er sat som ansvarlig for handlingen »%(title)s« hos %(member)s."
                          "\n\nFrist: %(due)s\n\nSe handlingen: %(url)s",
                          title=action.title, member=organisation_name, url=url,
                          due=format_day(action.due_on) if action.due_on else "–"))
            summary.sent["assigned"] += 1
        if action.due_on and today <= action.due_on <= soon and _claim(
                session, f"due_soon:{action.id}:{action.due_on.isoformat()}",
                action.owner_email):
            _send(session, settings, action.owner_email,
                  gettext("Frist %(due)s: %(title)s", due=format_day(action.due_on),
                          title=action.title),
                  gettext("Handlingen »%(title)s« hos %(member)s har frist %(due)s."
                          "\n\nSe handlingen: %(url)s", title=action.title,
                          member=organisation_name, due=format_day(action.due_on), url=url))
            summary.sent["due_soon"] += 1
    summary.sent["deadline"] = _deadline_reminders(session, settings, today)
    summary.sent["digest"] = _digests(session, settings, today)
    return summary


def _deadline_reminders(session: Session, settings: Settings, today: date) -> int:
    """The members' own users, on each of ETIK_REMINDER_DAYS before the deadline, while
    their self-assessment is not submitted; each reminder once per user and day count."""
    cycle = current_cycle(session=session, today=today)
    if cycle is None or cycle.opens_on > today:
        return 0
    days_left = (cycle.deadline - today).days
    if days_left not in settings.reminder_days:
        return 0
    recipients = session.exec(
        select(User.id, User.email, Organisation.name, Assessment.answered_count,
               Assessment.in_scope_count)
        .join(Organisation, col(Organisation.id) == col(User.organisation_id))
        .join(Assessment, and_(col(Assessment.organisation_id) == col(Organisation.id),
                               Assessment.cycle_id == cycle.id), isouter=True)
        .where(User.role == Role.MEMBER, col(User.active), col(Organisation.active),
               col(Assessment.submitted_at).is_(None))
        .order_by(User.id)).all()
    sent = 0
    for user_id, email, name, answered, in_scope in recipients:
        if not _claim(session, f"deadline:{cycle.id}:{days_left}:{user_id}", email):
            continue
        _send(session, settings, email, *_reminder(settings, cycle, today, name, answered,
                                                   in_scope))
        sent += 1
    return sent


def _reminder(settings: Settings, cycle: Cycle, today: date, name: str,
              answered: int | None, in_scope: int | None) -> tuple[str, str]:
    """The reminder's subject and body: the same mail on the set days and when sent by hand."""
    days_left = (cycle.deadline - today).days
    progress = (gettext("I har besvaret %(answered)s af %(total)s indikatorer.",
                        answered=answered, total=in_scope) if in_scope
                else gettext("I har ikke startet selvevalueringen endnu."))
    subject = (gettext("Selvevalueringen skal indsendes i dag") if days_left == 0 else
               ngettext("Selvevalueringen skal indsendes om %(num)s dag",
                        "Selvevalueringen skal indsendes om %(num)s dage", days_left))
    return subject, gettext(
        "Fristen for %(whose)s selvevaluering %(year)s er %(deadline)s. "
        "%(progress)s\n\nFortsæt her: %(url)s", whose=possessive(name), year=cycle.year,
        deadline=format_day(cycle.deadline), progress=progress,
        url=settings.base_url.rstrip("/") + "/")


@dataclass(frozen=True)
class ReminderResult:
    """What sending reminders by hand did."""

    sent: int = 0  # mails sent
    members: int = 0  # members whose users got one
    recent: int = 0  # users left out: reminded within ETIK_REMINDER_RESEND_MINUTES
    without_users: int = 0  # members with no active user to remind


NOT_OPEN = N_("Der kan kun sendes påmindelser, mens runden er åben.")


def send_reminders_now(*, session: Session, settings: Settings, user: User | None,
                       cycle: Cycle, organisation_ids: list[int], today: date,
                       now: datetime) -> ReminderResult:
    """The deadline reminder, now, to the active users of the named members that have not
    submitted (members that have are left out). A user reminded about this round within
    ETIK_REMINDER_RESEND_MINUTES, by hand or on a set day, is left out, so a double click
    sends nothing twice; each reminder is claimed first (key with the minute), as in
    send_due_notices. One audit entry per member reminded."""
    require_admin(user)
    if cycle_status(cycle, today) is not CycleStatus.OPEN:
        raise Invalid(NOT_OPEN)
    if not organisation_ids:
        return ReminderResult()
    recipients = session.exec(
        select(Organisation.id, Organisation.name, User.id, User.email,
               Assessment.answered_count, Assessment.in_scope_count)
        .join(User, and_(col(User.organisation_id) == col(Organisation.id),
                         User.role == Role.MEMBER, col(User.active)), isouter=True)
        .join(Assessment, and_(col(Assessment.organisation_id) == col(Organisation.id),
                               Assessment.cycle_id == cycle.id), isouter=True)
        # Reopened counts as not submitted (its submitted_at stays from the first time).
        .where(col(Organisation.id).in_(organisation_ids), col(Organisation.active),
               or_(col(Assessment.id).is_(None),
                   Assessment.status != AssessmentStatus.SUBMITTED))
        .order_by(Organisation.id, User.id)).all()
    since = now - timedelta(minutes=settings.reminder_resend_minutes)
    recent = set(session.exec(select(NoticeSent.recipient).where(
        or_(col(NoticeSent.key).startswith(f"reminder:{cycle.id}:"),
            col(NoticeSent.key).startswith(f"deadline:{cycle.id}:")),
        col(NoticeSent.created_at) >= since)))
    minute = now.strftime("%Y%m%dT%H%M")
    sent: dict[int, int] = {}
    skipped = 0
    for organisation_id, name, user_id, email, answered, in_scope in recipients:
        if user_id is None:
            continue
        if email in recent or not _claim(session, f"reminder:{cycle.id}:{user_id}:{minute}",
                                         email):
            skipped += 1
            continue
        _send(session, settings, email, *_reminder(settings, cycle, today, name, answered,
                                                   in_scope))
        sent[organisation_id] = sent.get(organisation_id, 0) + 1
    for organisation_id, count in sent.items():
        audit.record(session, user=user, action=AuditAction.REMIND,
                     entity=AuditEntity.ORGANISATION, entity_id=organisation_id,
                     organisation_id=organisation_id,
                     changes={"cycle": [None, cycle.year], "recipients": [None, count]})
    session.commit()
    without = {o for o, _, u, *_ in recipients if u is None}
    return ReminderResult(sum(sent.values()), len(sent), skipped, len(without))


def _digests(session: Session, settings: Settings, today: date) -> int:
    """Each advisor, once a day: flags new since their last digest, and late actions."""
    cycle = current_cycle(session=session, today=today)
    sent = 0
    advisors = session.exec(select(User).where(User.role == Role.ADVISOR, col(User.active))
                            .order_by(User.id)).all()
    for advisor in advisors:
        key = f"digest:{advisor.id}:{today.isoformat()}"
        if session.exec(select(NoticeSent.id).where(NoticeSent.key == key)).first():
            continue
        flagged = flagged_members(session=session, user=advisor, cycle=cycle, today=today,
                                  rules=FlagSettings.of(settings),
                                  members=MemberFilter()) if cycle else []
        now = {str(m.organisation.id): sorted(m.codes) for m in flagged}
        before = _last_digest(session, advisor)
        new = [m for m in flagged
               if set(now[str(m.organisation.id)]) - set(before.get(str(m.organisation.id), []))]
        late = session.exec(
            select(Action, Organisation.name)
            .join(Organisation, col(Organisation.id) == col(Action.organisation_id))
            .where(MemberFilter().where(advisor), col(Action.status).in_(OPEN_ACTION_STATUSES),
                   col(Action.due_on) < today).order_by(Action.due_on)).all()
        if not new and not late:
            continue
        if not _claim(session, key, advisor.email, payload=now):
            continue
        lines = [gettext("Nye flag:")] if new else []
        lines += [f"- {m.organisation.name}: " + " ".join(r.text() for r in m.reasons)
                  for m in new]
        if late:
            lines += ["", gettext("Handlinger over frist:")]
            lines += [f"- {name}: {action.title} ({format_day(action.due_on)})"
                      for action, name in late]
        lines += ["", f"{settings.base_url.rstrip('/')}/advisor/flags"]
        _send(session, settings, advisor.email,
              ngettext("etik: %(num)s medlem med nye flag", "etik: %(num)s medlemmer med nye flag",
                       len(new)) + " · " + ngettext("%(num)s handling over frist",
                                                    "%(num)s handlinger over frist", len(late)),
              "\n".join(lines))
        sent += 1
    return sent


def _last_digest(session: Session, advisor: User) -> dict:
    row = session.exec(select(NoticeSent).where(
        col(NoticeSent.key).startswith(f"digest:{advisor.id}:"))
        .order_by(col(NoticeSent.id).desc())).first()
    return row.payload if row else {}


def _claim(session: Session, key: str, recipient: str, payload: dict | None = None) -> bool:
    """True for the one run that records the notice first."""
    if session.exec(select(NoticeSent.id).where(NoticeSent.key == key)).first():
        return False
    session.add(NoticeSent(key=key, recipient=recipient, payload=payload or {}))
    try:
        session.commit()
    except IntegrityError:  # another run claimed it between our check and our insert
        session.rollback()
        return False
    return True


def _send(session: Session, settings: Settings, recipient: str, subject: str,
          body: str) -> None:
    send_mail(session=session, settings=settings, recipient=recipient, subject=subject,
              body=body + "\n\n" + gettext(FOOTER))


FOOTER = N_("Sendt af etik, LOS' etiske selvevaluering.")
