"""Today's date in Denmark; a dependency so tests can move the calendar."""

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends

DANISH_TIME = ZoneInfo("Europe/Copenhagen")


def today() -> date:
    return datetime.now(DANISH_TIME).date()


TodayDep = Annotated[date, Depends(today)]
