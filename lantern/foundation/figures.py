"""The slice of the partnership a monitoring figure counts: a period, an area, an agency and
the children's age band, sex and ethnicity. The monitoring app builds it from its filters; each
feature app's `monitoring_*` query applies it to its own rows, so every count is one aggregate
query however much data there is."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q


@dataclass(frozen=True)
class Slice:
    since: datetime  # inclusive
    until: datetime  # exclusive
    area_id: int | None = None
    agency_id: int | None = None
    gender: str = ""
    ethnicity: str = ""
    # Dates of birth of the age band: after `born_after`, up to and including `born_by`.
    born_after: date | None = None
    born_by: date | None = None

    def period(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.since, f"{field}__lt": self.until})

    def day_period(self, field: str) -> Q:
        """For a date field: the days of the period."""
        return Q(**{f"{field}__gte": self.since.date(), f"{field}__lt": self.until.date()})

    def children(self, prefix: str = "child__", *, area: bool = True) -> Q:
        """The children in the slice, through `prefix` (the relation to the child). Children
        whose date of birth is not known fall in no age band. `area=False` leaves the area to
        the caller (rows that carry their own area)."""
        q = Q()
        if area and self.area_id is not None:
            q &= Q(**{f"{prefix}area_id": self.area_id})
        if self.gender:
            q &= Q(**{f"{prefix}gender": self.gender})
        if self.ethnicity:
            q &= Q(**{f"{prefix}ethnicity": self.ethnicity})
        if self.born_by is not None:
            q &= Q(**{f"{prefix}date_of_birth__lte": self.born_by})
        if self.born_after is not None:
            q &= Q(**{f"{prefix}date_of_birth__gt": self.born_after})
        return q

    def agency(self, field: str) -> Q:
        return Q(**{field: self.agency_id}) if self.agency_id is not None else Q()
