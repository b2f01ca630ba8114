"""Paging of the API lists that grow with the number of members (assessments, actions,
flags): `offset` and `limit` query parameters, the number of rows in `X-Total-Count`,
and a `Link` header to the next page while there is one.

The default page holds every row at LOS's size today (500 members, a few years), so a
client that never pages still gets the whole list; at ten or a hundred times that size a
response stays bounded, as the pages' lists do.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request, Response

from app.services.fields import MAX_ROW_ID

LIST_LIMIT = 10_000


@dataclass(frozen=True)
class Paging:
    offset: int
    limit: int


async def _paging(
        offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID, description="Rows to skip")] = 0,
        limit: Annotated[int, Query(ge=1, le=LIST_LIMIT, description=(
            f"Rows at most (up to {LIST_LIMIT:,}); `Link` names the next page"))] = LIST_LIMIT,
) -> Paging:
    return Paging(offset, limit)


PagingDep = Annotated[Paging, Depends(_paging)]


def page_headers(request: Request, response: Response, paging: Paging, total: int) -> None:
    """`X-Total-Count`, and `Link: <…>; rel="next"` when rows are left after this page."""
    response.headers["X-Total-Count"] = str(total)
    following = paging.offset + paging.limit
    if following < total:
        url = request.url.include_query_params(offset=following, limit=paging.limit)
        response.headers["Link"] = f'<{url}>; rel="next"'
