"""Long lists a page at a time (GOV.UK pagination, 50 rows a page): trays and the referrals
list draw, and audit, only the rows shown. A page asks for one row more than it shows to know
whether there is a next page, so no list counts every row it could show (issue 18)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.http import HttpRequest

PAGE_SIZE = 50
Row = TypeVar("Row")


@dataclass(frozen=True)
class Pagination:
    number: int
    has_next: bool
    first: int  # the position of the first row shown (1-based), 0 when none
    last: int
    query: str  # the list's other parameters (filters), kept on every page link

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def needed(self) -> bool:
        return self.has_previous or self.has_next

    def url(self, number: int) -> str:
        return f"?{self.query}&page={number}" if self.query else f"?page={number}"

    @property
    def previous_url(self) -> str:
        return self.url(self.number - 1)

    @property
    def next_url(self) -> str:
        return self.url(self.number + 1)

    @property
    def current_url(self) -> str:
        return self.url(self.number)

    @property
    def first_url(self) -> str:
        return self.url(1)


# Far beyond any list Lantern draws; a larger number would overflow the database's offset.
LAST_PAGE = 100_000


def page_number(request: HttpRequest) -> int:
    """The page asked for; anything that is not a whole number from 1 to LAST_PAGE is the
    first page."""
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(LAST_PAGE))):
        return 1
    number = int(raw)
    return number if 1 <= number <= LAST_PAGE else 1


def paginate(request: HttpRequest, rows_for: Callable[[int, int], Sequence[Row]], *,
             per_page: int = PAGE_SIZE, leave_out: Sequence[str] = ()
             ) -> tuple[list[Row], Pagination]:
    """The rows of the page asked for, and the pagination to draw under them. `rows_for(offset,
    limit)` returns at most `limit` rows from `offset`, in the list's order. The page links keep
    the request's other parameters but those named in `leave_out` (asked of this request
    alone)."""
    number = page_number(request)
    found = list(rows_for((number - 1) * per_page, per_page + 1))
    shown = found[:per_page]
    query = request.GET.copy()
    for name in ("page", *leave_out):
        query.pop(name, None)
    first = (number - 1) * per_page + 1 if shown else 0
    return shown, Pagination(number=number, has_next=len(found) > per_page, first=first,
                             last=first + len(shown) - 1 if shown else 0,
                             query=query.urlencode())
