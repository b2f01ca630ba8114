"""The gap heatmap: every member's requirement scores in one table, sortable by any column.

Each cell shows its number (the colour only repeats it, in a colour-blind-safe palette);
a column header sorts by that requirement, lowest first. Filters and sort live in the URL.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.auth.deps import SessionDep, WebAdvisor
from app.clock import TodayDep
from app.services.advisor.flags import threshold_of
from app.services.advisor.heatmap import BY_NAME, heatmap
from app.web.advisor.member_filters import ListQueryDep, choices, chosen_cycle
from app.web.listing import PAGE_SIZE, PageNumber, Pagination
from app.web.templating import render

router = APIRouter(prefix="/advisor/heatmap")

Sort = Annotated[str, Query(max_length=10)]


def heat_class(score: float | None) -> str:
    """One of five bands by the whole number of the score; "none" for no score."""
    return "none" if score is None else f"heat-{min(5, max(1, int(score)))}"


@router.get("")
def heatmap_page(request: Request, user: WebAdvisor, session: SessionDep, today: TodayDep,
                 query: ListQueryDep, sort: Sort = BY_NAME, page: PageNumber = 1) -> Response:
    cycle = chosen_cycle(session, query, today)
    filters = {**query.params(), "sort": sort}
    pagination = Pagination(request.url.path, page, filters)
    found = heatmap(session=session, user=user, cycle=cycle, members=query.members(user),
                    sort=sort or BY_NAME, offset=pagination.offset,
                    limit=PAGE_SIZE) if cycle else None
    return render(request, "advisor/heatmap.html", {
        "cycle": cycle, "map": found, "query": query, "sort": sort or BY_NAME,
        "pagination": pagination.with_total(found.total if found else 0),
        "threshold": threshold_of(session, cycle) if cycle else None,
        "sort_url": lambda key: Pagination(request.url.path, 1, {**filters, "sort": key}).url(1),
        "heat_class": heat_class, **choices(session, user),
    }, block="results")
