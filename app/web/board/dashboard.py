"""GET /board: the sector dashboard. The filter sits in the URL; htmx swaps only the
dashboard block when it changes, and the same URL renders the whole page without it."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.auth.deps import SessionDep, SettingsDep, WebUser, web_role
from app.clock import TodayDep
from app.models.vocabulary import Role
from app.web.board.dashboard_query import FilterDep
from app.web.board.tables import cell_text
from app.web.board.view import build_dashboard
from app.web.templating import render

router = APIRouter(dependencies=[Depends(web_role(Role.BOARD, Role.ADVISOR, Role.ADMIN))])

@router.get("/board")
def dashboard(request: Request, user: WebUser, session: SessionDep, settings: SettingsDep,
              today: TodayDep, wanted: FilterDep) -> Response:
    board = build_dashboard(session=session, user=user, settings=settings, wanted=wanted)
    context = {"board": board, "today": today, "cell_text": cell_text,
               "is_admin": user.role == Role.ADMIN}
    return render(request, "board/dashboard.html", context, block="dashboard",
                  status_code=422 if board.filter.error else 200)
