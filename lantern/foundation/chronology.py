"""Writing a child's chronology: one entry per significant event, written by the action that
records the event, in the same transaction, so the chronology is complete by construction."""

from datetime import datetime

from .models import Agency, Child, ChronologyEntry, User


def add_chronology(
    child: Child,
    *,
    kind: str,
    title: str,
    occurred_at: datetime,
    by: User | None,
    agency: Agency | None = None,
    detail: str = "",
    url: str = "",
) -> ChronologyEntry:
    return ChronologyEntry.objects.create(
        child=child,
        kind=kind,
        title=title[:200],
        occurred_at=occurred_at,
        detail=detail,
        agency=agency if agency is not None else (by.agency if by else None),
        recorded_by=by,
        url=url,
    )
