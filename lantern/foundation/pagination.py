"""The API's paging: `limit` and `offset` read strictly (ASCII digits only) and capped, so an
odd value is refused with 400 and a huge one gives a page of at most MAX_LIMIT rows, never a
server error."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

# The most rows one API page returns, whatever `limit` asks for (docs/conventions.md).
MAX_LIMIT = 200
# Further than any list could reach; a larger offset is read as this one (an empty page).
MAX_OFFSET = 10**9


def _bounded(params, name: str, default: int, maximum: int) -> int:
    values = params.getlist(name)
    if not values:
        return default
    text = values[-1]
    if len(values) > 1 or not text.isascii() or not text.isdigit():
        raise ValidationError({name: f"Enter {name} as a whole number, 0 or more"})
    return min(int(text[:18]) if len(text) <= 18 else maximum, maximum)


class CappedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request):
        limit = _bounded(request.query_params, self.limit_query_param, self.default_limit,
                         MAX_LIMIT)
        return limit or self.default_limit

    def get_offset(self, request):
        return _bounded(request.query_params, self.offset_query_param, 0, MAX_OFFSET)
