"""Lists shown 50 rows a page, with page links that keep the filters."""

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query

PAGE_SIZE = 50
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]


@dataclass(frozen=True)
class Pagination:
    """One page of a list; `filters` are the query parameters every page link keeps."""

    path: str
    number: int
    filters: dict
    total: int | None = None  # None when only "is there a next page" is known
    more: bool = False

    size = PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int | None:
        return None if self.total is None else max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.more if self.total is None else self.number < (self.pages or 1)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def url(self, number: int) -> str:
        params = {k: v for k, v in self.filters.items() if v not in ("", None, False)}
        if number > 1:
            params["page"] = number
        return self.path + ("?" + urlencode(params) if params else "")

    def with_total(self, total: int) -> "Pagination":
        return Pagination(self.path, self.number, self.filters, total=total)
