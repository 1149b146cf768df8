"""The API's paging: `limit` and `offset` read strictly (ASCII digits only) and capped, so a
huge or odd value is a page of the usual size, never a server error."""

from rest_framework.pagination import LimitOffsetPagination

# The most rows one API page returns, whatever `limit` asks for (docs/api.md).
MAX_LIMIT = 200
# Further than any list could reach; a larger offset is read as this one (an empty page).
MAX_OFFSET = 10**9


def _bounded(text: str | None, default: int, maximum: int) -> int:
    if not text or not text.isascii() or not text.isdigit() or len(text) > 18:
        return default
    return min(int(text), maximum)


class CappedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request):
        limit = _bounded(request.query_params.get(self.limit_query_param), self.default_limit,
                         MAX_LIMIT)
        return limit or self.default_limit

    def get_offset(self, request):
        return _bounded(request.query_params.get(self.offset_query_param), 0, MAX_OFFSET)
