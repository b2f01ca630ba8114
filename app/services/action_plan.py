"""The action plan page: an organisation's actions by status, one action to edit, and the
choices its forms offer (owners, requirements). Reading only; writes are in actions.py."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.models import Organisation, Requirement, User
from app.models.vocabulary import OPEN_ACTION_STATUSES, ActionStatus, Role
from app.services.action_owners import Owner, owner_choices
from app.services.actions import (
    BOARD,
    NO_ORGANISATION,
    ActionRow,
    action_row,
    latest_catalogue_version,
    list_actions,
)
from app.services.errors import Forbidden, NotFound

# The page's sections, in this order.
PLAN_GROUPS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE,
               ActionStatus.CANCELLED)


@dataclass(frozen=True)
class RequirementChoice:
    key: str
    number: int
    title: str


@dataclass
class ActionPlan:
    organisation: Organisation
    rows: list[ActionRow]
    owners: list[Owner]
    requirements: list[RequirementChoice]

    @property
    def groups(self) -> list[tuple[ActionStatus, list[ActionRow]]]:
        return [(status, [row for row in self.rows if row.action.status == status])
                for status in PLAN_GROUPS]

    @property
    def open_count(self) -> int:
        return sum(1 for row in self.rows if row.action.status in OPEN_ACTION_STATUSES)

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.rows if row.overdue)


@dataclass
class ActionDetail:
    organisation: Organisation
    row: ActionRow
    owners: list[Owner]
    requirement: RequirementChoice | None

    @property
    def action(self):
        return self.row.action


def plan_organisation(*, session: Session, user: User, organisation_id: int) -> Organisation:
    """The organisation whose plan the user may see: a member its own (another is "not
    found"), LOS staff any; the board none."""
    if user.role == Role.BOARD:
        raise Forbidden(BOARD)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or (user.role == Role.MEMBER
                                and user.organisation_id != organisation_id):
        raise NotFound(NO_ORGANISATION)
    return organisation


def load_plan(*, session: Session, user: User, organisation_id: int, today: date) -> ActionPlan:
    organisation = plan_organisation(session=session, user=user, organisation_id=organisation_id)
    rows = list_actions(session=session, user=user, today=today, organisation_id=organisation_id)
    version_id = latest_catalogue_version(session, organisation_id)
    requirements = session.exec(
        select(Requirement.key, Requirement.number, Requirement.title)
        .where(Requirement.catalogue_version_id == version_id)
        .order_by(col(Requirement.number))).all() if version_id is not None else []
    return ActionPlan(organisation, rows,
                      owner_choices(session=session, organisation_id=organisation_id),
                      [RequirementChoice(*r) for r in requirements])


def load_action(*, session: Session, user: User, organisation_id: int, action_id: int,
                today: date) -> ActionDetail:
    organisation = plan_organisation(session=session, user=user, organisation_id=organisation_id)
    row = action_row(session=session, user=user, organisation_id=organisation_id,
                     action_id=action_id, today=today)
    requirement = None
    if row.action.requirement_id is not None:
        found = session.get(Requirement, row.action.requirement_id)
        if found is not None:
            requirement = RequirementChoice(found.key, found.number, found.title)
    return ActionDetail(organisation, row,
                        owner_choices(session=session, organisation_id=organisation_id),
                        requirement)
