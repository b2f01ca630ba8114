"""The API's loaders: each fetches and authorizes through its service before a body is read.

So another organisation's object is 404 whatever the body holds, and the services check
again when they write (they trust no caller).
"""

from typing import Annotated

from fastapi import Depends

from app.auth.deps import ApiAdvisor, ApiMember, ApiUser, SessionDep
from app.models import Action, Assessment
from app.services import actions as action_service
from app.services.assessments import get_assessment_for_user


def _readable(assessment_id: int, user: ApiUser, session: SessionDep) -> Assessment:
    return get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)


def _own(assessment_id: int, user: ApiMember, session: SessionDep) -> Assessment:
    return get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)


def _staff_readable(assessment_id: int, user: ApiAdvisor, session: SessionDep) -> Assessment:
    return get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)


def _visible_action(action_id: int, user: ApiUser, session: SessionDep) -> Action:
    return action_service.get_action_for_user(session=session, user=user, action_id=action_id)


ReadableAssessment = Annotated[Assessment, Depends(_readable)]
OwnAssessment = Annotated[Assessment, Depends(_own)]
StaffAssessment = Annotated[Assessment, Depends(_staff_readable)]
VisibleAction = Annotated[Action, Depends(_visible_action)]
