"""The home page: each role lands on its own overview."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth.deps import SessionDep, SettingsDep, WebUser
from app.clock import TodayDep
from app.models.vocabulary import Role
from app.services import overview
from app.services.advisor.flags import FlagSettings
from app.services.advisor.home import advisor_home
from app.services.cycles import current_cycle
from app.web.labels import service_type_label
from app.web.member.home_view import member_home
from app.web.templating import render

router = APIRouter()


@router.get("/")
def home(request: Request, user: WebUser, session: SessionDep, settings: SettingsDep,
         today: TodayDep) -> Response:
    role = Role(user.role)
    if role is Role.ADMIN:
        context = {"overview": overview.admin_overview(session=session)}
    elif role is Role.ADVISOR:
        cycle = current_cycle(session=session, today=today)
        context = {"home": advisor_home(session=session, user=user, cycle=cycle, today=today,
                                        rules=FlagSettings.of(settings)), "today": today}
    elif role is Role.BOARD:
        groups = overview.members_by_service_type(session=session,
                                                  minimum=settings.anonymity_minimum)
        context = {"groups": [(service_type_label(t), n) for t, n in groups],
                   "minimum": settings.anonymity_minimum}
    else:
        context = {"organisation": overview.organisation_of(session=session, user=user),
                   "colleagues": overview.colleagues_of(session=session, user=user),
                   "home": member_home(session=session, user=user, today=today)}
    return render(request, f"home/{role.value}.html", context)
