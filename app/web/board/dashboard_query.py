"""The dashboard's filter read from the URL, shared by the page and its downloads."""

from typing import Annotated

from fastapi import Depends, Query

from app.web.board.view import Filter, read_filter

FilterValue = Annotated[str | None, Query(max_length=40)]


def dashboard_filter(cycle_id: FilterValue = None, segment: FilterValue = None,
                     value: FilterValue = None) -> Filter:
    return read_filter(cycle_id, segment, value)


FilterDep = Annotated[Filter, Depends(dashboard_filter)]
