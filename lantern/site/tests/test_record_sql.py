"""The child's record reads its sections in plain SQL, its rows made into models (issue 18):
each read gives the same rows, with the same values and related objects, as the ORM query it
replaced, for every child of generated data (which has every kind of row the record shows,
and children with none) and for rows the generator never writes (no one recorded the entry;
an ended allocation; a referral not yet decided; an episode without its interview)."""

from datetime import timedelta
from operator import attrgetter

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantern import testing
from lantern.foundation.models import Child, ChronologyEntry, WorkItem
from lantern.missing import queries as missing_queries
from lantern.missing.models import MissingEpisode
from lantern.pathway import queries as pathway_queries
from lantern.pathway.models import (
    AdultReferral,
    MeetingRequirement,
    Pathway,
    PathwayStep,
    Referral,
    TrackedResponse,
)
from lantern.people import queries as people_queries
from lantern.people.models import Allocation
from lantern.screening import queries as screening_queries
from lantern.screening.models import Screening
from lantern.site import generate
from lantern.site import queries as site_queries

pytestmark = pytest.mark.django_db


def _value(obj, path: str):
    for name in path.split("."):
        try:
            obj = getattr(obj, name)
        except ObjectDoesNotExist:  # a reverse one-to-one not there
            return None
        if obj is None:
            return None
    return obj() if callable(obj) else obj  # a method: get_..._display


def _shown(rows, paths: tuple[str, ...]) -> list[tuple]:
    return [tuple(_value(row, path) for path in paths) for row in rows]


_NAME = ("pk", "username", "first_name", "last_name", "display_name")


def _newest(rows, when: str) -> list:
    return sorted(rows, key=attrgetter(when), reverse=True)


def _every(model, prefix: str = "") -> tuple[str, ...]:
    return tuple(f"{prefix}{field.attname}" for field in model._meta.concrete_fields)


def _who(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}.{name}" for name in _NAME)


# Each read: the SQL path, the ORM query it replaced (in the order the record puts the rows
# in), and what the record draws of each row (besides the related objects' keys).
READS = {
    "chronology": (
        lambda child: site_queries.chronology_page(child, offset=1, limit=7),
        lambda child: ChronologyEntry.objects.filter(child=child)
        .select_related("agency", "recorded_by")[1:8],
        ("pk", "child_id", "occurred_at", "kind", "title", "detail", "url", "agency_id",
         "agency.pk", "agency.name", "recorded_by_id", *_who("recorded_by")),
    ),
    "screenings": (
        screening_queries.child_screenings,
        lambda child: _newest(Screening.objects.filter(child=child)
                              .select_related("screened_by", "agency"), "screened_at"),
        ("pk", "child_id", "framework", "framework_version", "screened_at", "final_category",
         "final_category_name", "final_category_label", "screened_by_id",
         *_who("screened_by"), "agency_id", "agency.pk", "agency.name"),
    ),
    "referrals": (
        pathway_queries.child_referrals,
        lambda child: _newest(Referral.objects.filter(child=child)
                              .select_related("agency", "decision"), "received_at"),
        ("pk", "child_id", "received_at", "status", "decision_due_at", "agency_id",
         "agency.pk", "agency.name", "decision.pk", "decision.referral_id", "decision.outcome",
         "decision.get_outcome_display", "decision.referral.pk"),
    ),
    "allocations": (
        people_queries.child_allocations,
        lambda child: sorted(Allocation.objects.filter(child=child, ended_at=None)
                             .select_related("user__agency"), key=lambda a: a.pk),
        ("pk", "child_id", "user_id", *_who("user"), "user.agency_id", "user.agency.pk",
         "user.agency.name"),
    ),
    "missing episodes": (
        missing_queries._record_episodes,
        lambda child: sorted(MissingEpisode.objects.filter(child=child)
                             .select_related("agency", "interview"), key=lambda e: e.pk),
        ("pk", "child_id", "missing_from", "went_missing_at", "returned_at", "found_where",
         "agency_id", "agency.pk", "agency.name", "interview.pk", "interview.episode_id",
         "interview.outcome", "interview.held_at", "interview.episode.pk"),
    ),
    "pathways": (
        lambda child: pathway_queries._pathways_and_steps(child)[0],
        lambda child: Pathway.objects.filter(child=child).annotate(**{
            f"has_{name}": Exists(model.objects.filter(pathway=OuterRef("pk")))
            for name, model in (("requirements", MeetingRequirement),
                                ("responses", TrackedResponse),
                                ("adult_referrals", AdultReferral))}),
        (*_every(Pathway), "has_requirements", "has_responses", "has_adult_referrals",
         "get_state_display", "is_open"),
    ),
    "pathway steps": (
        lambda child: pathway_queries._pathways_and_steps(child)[1],
        lambda child: PathwayStep.objects.filter(pathway__child=child)
        .select_related("work_item"),
        (*_every(PathwayStep), *_every(WorkItem, "work_item."), "get_step_display",
         "work_item.step.pk"),
    ),
    "other work": (
        pathway_queries._other_work,
        lambda child: list(
            WorkItem.objects.filter(child=child, status=WorkItem.Status.OPEN, step__isnull=True)
            .exclude(source_type__in=[model._meta.label_lower for model in (
                MeetingRequirement, TrackedResponse, AdultReferral)])
            .order_by("due_at")),
        _every(WorkItem),
    ),
}


def _in_order(name: str, rows) -> list:
    # Some are read in no order (the record sorts them).
    return sorted(rows, key=lambda row: row.pk) if name in UNORDERED else list(rows)


UNORDERED = ("allocations", "missing episodes", "pathways", "pathway steps")


def _odd_rows(p) -> Child:
    """A child with rows the generator does not write."""
    child = testing.make_child(p.alice)
    testing.make_concern(child, p.alice)
    testing.make_referral(child, p.alice)  # not decided
    at = timezone.now() - timedelta(days=3)
    for title in ("By no one", "By no one, at the same time"):  # newest first: by id then
        ChronologyEntry.objects.create(child=child, kind="note", title=title, occurred_at=at)
    Allocation.objects.create(child=child, user=p.alice, allocated_by=p.alice,
                              ended_at=timezone.now())
    Allocation.objects.create(child=child, user=p.priya, allocated_by=p.alice)
    MissingEpisode.objects.create(
        child=child, agency=p.alice.agency, recorded_by=p.alice, missing_from="home",
        went_missing_at=timezone.now() - timedelta(days=2),
        reported_at=timezone.now() - timedelta(days=2), reported_by="Carer")
    return child


@pytest.mark.parametrize("name", list(READS))
def test_each_section_of_the_record_reads_as_the_orm_did(p, name):
    generate.generate(6)
    _odd_rows(p)
    sql, orm, paths = READS[name]
    found = 0
    for child in Child.objects.all():
        with CaptureQueriesContext(connection) as queries:
            by_sql = _shown(_in_order(name, sql(child)), paths)
        # One query, and what the record draws of the rows is there without another.
        assert len(queries) <= 1, (name, child.pk, [q["sql"] for q in queries])
        assert by_sql == _shown(_in_order(name, orm(child)), paths), (name, child.pk)
        found += len(by_sql)
    assert found  # the data has some rows of each
