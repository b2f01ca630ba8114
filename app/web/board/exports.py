"""GET /board/charts/{chart}.csv and .xlsx: exactly the table beside a chart, for the same
filter, suppression applied (the same dashboard data the page draws)."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.auth.deps import SessionDep, SettingsDep, WebUser, web_role
from app.i18n import N_, gettext
from app.models.vocabulary import Role
from app.services.errors import NotFound
from app.web.board.dashboard_query import FilterDep
from app.web.board.downloads import table_csv, table_xlsx
from app.web.board.labels import segment_label
from app.web.board.view import CHART_IDS, Chart, Dashboard, build_dashboard
from app.web.exports import XLSX, download

router = APIRouter(dependencies=[Depends(web_role(Role.BOARD, Role.ADVISOR, Role.ADMIN))])



def _chart(request: Request, user, session, settings, wanted, chart_id: str
           ) -> tuple[Dashboard, Chart]:
    if chart_id not in CHART_IDS:
        raise NotFound(N_("Diagrammet findes ikke."))
    board = build_dashboard(session=session, user=user, settings=settings, wanted=wanted)
    if not board.charts:
        raise NotFound(N_("Der er endnu ingen runder."))
    return board, board.chart(chart_id)


def _file_name(board: Dashboard, chart_id: str, extension: str) -> str:
    parts = ["etik", chart_id, str(board.year)]
    if board.filter.segment:
        parts += [board.filter.segment.value, board.filter.value or "alle"]
    return "-".join(parts) + "." + extension


def _subtitle(board: Dashboard) -> str:
    return gettext(N_("Runde %(year)s · %(segment)s: %(group)s · grupper med færre end "
                      "%(n)s besvarelser er skjult"), year=board.year,
                   segment=segment_label(board.filter.segment), group=board.selected_label,
                   n=board.minimum)


@router.get("/board/charts/{chart_id}.csv")
def chart_csv(request: Request, chart_id: str, user: WebUser, session: SessionDep,
              settings: SettingsDep, wanted: FilterDep) -> Response:
    board, chart = _chart(request, user, session, settings, wanted, chart_id)
    return download(table_csv(chart.table), "text/csv; charset=utf-8",
                     _file_name(board, chart_id, "csv"))


@router.get("/board/charts/{chart_id}.xlsx")
def chart_xlsx(request: Request, chart_id: str, user: WebUser, session: SessionDep,
               settings: SettingsDep, wanted: FilterDep) -> Response:
    board, chart = _chart(request, user, session, settings, wanted, chart_id)
    return download(table_xlsx(chart.table, title=chart.title, subtitle=_subtitle(board)),
                     XLSX, _file_name(board, chart_id, "xlsx"))
