"""`lantern generate` and `lantern bench pages` at a tiny size: the data is whole (the audit
chain verifies, the pages open) and the figures come out as JSON with their ratios. The
figures themselves are never asserted."""

import gc
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lantern.foundation import audit
from lantern.foundation.models import Child, ChronologyEntry, User, WorkItem
from lantern.intelligence.models import (
    IntelligenceReport,
    Link,
    Mention,
    RankingSnapshot,
    Subject,
    Trigger,
)
from lantern.missing.models import MissingEpisode
from lantern.monitoring import tasking
from lantern.plans.models import Breach, Plan, PlanAction
from lantern.site import bench, generate

pytestmark = pytest.mark.django_db


def test_generated_children_have_their_records_and_work():
    result = generate.generate(12)
    assert Child.objects.count() == 12
    assert result["rows"]["foundation.Child"] == 12
    # About a dozen chronology entries a child.
    assert ChronologyEntry.objects.count() >= 12 * 10
    assert WorkItem.objects.filter(status=WorkItem.Status.OPEN).exists()


def test_generated_audit_trail_verifies():
    generate.generate(8)
    assert audit.verify() is None


def test_generating_continues_an_existing_audit_chain():
    user = User.objects.create(username="before")
    audit.record(user, "create", user, summary="A row written before generating")
    generate.generate(3)
    assert audit.verify() is None


def _tasking_sections(list_name: str = "weekly") -> set[str]:
    manager = User.objects.get(username=f"{generate.PREFIX}1-csemanager")
    return {item.heading for item in tasking.items(manager, list_name)}


def test_every_tasking_list_has_items_however_few_children_are_generated():
    generate.generate(3)
    assert _tasking_sections("daily") == set(tasking.SECTIONS[:5])
    # The weekly list's priority subjects are ranked from the generated intelligence.
    assert _tasking_sections("weekly") == set(tasking.SECTIONS)


def test_tasking_data_is_added_to_children_an_older_generate_made():
    generate.generate(30)
    # As an older `lantern generate` left them: none of what the tasking lists go through.
    Breach.objects.all().delete()
    PlanAction.objects.all().delete()
    Plan.objects.all().delete()
    Trigger.objects.all().delete()
    WorkItem.objects.filter(kind="return_interview").delete()
    MissingEpisode.objects.all().delete()
    out = StringIO()
    call_command("generate", "--tasking", stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue())["rows"]["missing.MissingEpisode"] >= 2
    assert _tasking_sections() == set(tasking.SECTIONS)
    assert audit.verify() is None
    with pytest.raises(CommandError, match="already have their tasking data"):
        call_command("generate", "--tasking", stdout=StringIO(), stderr=StringIO())


def test_intelligence_is_added_to_children_an_older_generate_made():
    generate.generate(30)
    # As an older `lantern generate` left them: no intelligence.
    Link.objects.all().delete()
    Mention.objects.all().delete()
    IntelligenceReport.objects.all().delete()
    Subject.objects.all().delete()
    assert _tasking_sections() == set(tasking.SECTIONS[:5])
    RankingSnapshot.objects.all().delete()  # ranked again when next shown
    out = StringIO()
    call_command("generate", "--intelligence", stdout=out, stderr=StringIO())
    rows = json.loads(out.getvalue())["intelligence"]["rows"]
    assert rows["intelligence.Subject"] >= 3 and rows["intelligence.Link"] >= 6
    assert _tasking_sections() == set(tasking.SECTIONS)
    assert audit.verify() is None
    with pytest.raises(CommandError, match="already have their intelligence"):
        call_command("generate", "--intelligence", stdout=StringIO(), stderr=StringIO())


def test_generated_reports_keep_the_areas_of_their_children_as_a_submitted_one_does():
    generate.generate(30)
    reports = IntelligenceReport.objects.prefetch_related("children", "child_areas")
    assert reports
    for report in reports:
        assert ({area.pk for area in report.child_areas.all()}
                == {child.area_id for child in report.children.all()})


def test_generated_triggers_keep_their_evidence_as_a_raised_trigger_does():
    # The trigger page reads the children, entities and reports of its evidence by id.
    generate.generate(12)
    triggers = list(Trigger.objects.prefetch_related("children", "areas"))
    assert triggers
    for trigger in triggers:
        assert trigger.evidence["children"] == sorted(c.pk for c in trigger.children.all())
        assert trigger.evidence["areas"] == [a.pk for a in trigger.areas.all()]
        assert trigger.evidence["entities"] == trigger.evidence["reports"] == []


def test_tasking_data_needs_generated_children():
    with pytest.raises(CommandError, match="No generated data"):
        call_command("generate", "--tasking", stdout=StringIO(), stderr=StringIO())


def test_generating_twice_into_one_database_is_refused():
    generate.generate(2)
    with pytest.raises(CommandError, match="already in this database"):
        call_command("generate", "--children", "2")


def test_generate_command_prints_counts_as_json():
    out = StringIO()
    call_command("generate", "--children", "3", stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue())
    assert result["children"] == 3
    assert result["areas"] == 1


@pytest.fixture(autouse=True)
def _unsettled():
    """`lantern bench pages` sets aside what the process loaded from the garbage collector,
    as a served process does (serving.settle): not for the rest of the test session."""
    yield
    gc.unfreeze()


def test_bench_pages_measures_a_process_settled_as_served():
    generate.generate(3)
    gc.unfreeze()
    call_command("bench", "pages", "--runs", "1", "--only", "layout", stdout=StringIO(),
                 stderr=StringIO())
    assert gc.get_freeze_count() > 0


def test_bench_pages_prints_each_page_with_its_ratio_to_the_floor():
    generate.generate(6)
    out = StringIO()
    call_command("bench", "pages", "--runs", "2", stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue())
    assert {"database", "children", "runs", "pages"} <= set(result)
    names = [page["name"] for page in result["pages"]]
    assert names == [page.name for page in bench.PAGES]
    for page in result["pages"]:
        assert page["status"] == [200], page
        assert {"p50_ms", "p95_ms", "queries", "floor_p50_ms", "floor_p95_ms",
                "ratio_p50", "ratio_p95"} <= set(page)
        # Ratios come from the unrounded times; the printed times are rounded to 0.1 ms and
        # the ratio to 0.01, so the ratio lies within what those roundings allow.
        for p in ("p50", "p95"):
            ms, floor = page[f"{p}_ms"], page[f"floor_{p}_ms"]
            low = (ms - 0.05) / (floor + 0.05) - 0.005
            high = (ms + 0.05) / max(floor - 0.05, 1e-9) + 0.005
            assert low <= page[f"ratio_{p}"] <= high, page


def test_bench_pages_only_measures_the_pages_named():
    generate.generate(3)
    out = StringIO()
    call_command("bench", "pages", "--runs", "1", "--only", "layout", "--only", "referrals",
                 stdout=out, stderr=StringIO())
    assert [p["name"] for p in json.loads(out.getvalue())["pages"]] == ["layout", "referrals"]


def test_bench_pages_refuses_an_unknown_page():
    generate.generate(1)
    with pytest.raises(CommandError, match="No page called nowhere"):
        call_command("bench", "pages", "--only", "nowhere")


def test_bench_pages_without_generated_data_says_what_to_run():
    with pytest.raises(CommandError, match="lantern generate"):
        call_command("bench", "pages")


def test_a_page_lantern_does_not_have_is_reported_as_skipped(monkeypatch):
    generate.generate(2)
    monkeypatch.setattr(bench, "PAGES", [bench.Page("monitoring", "csemanager", "nowhere:x")])
    result = bench.bench_pages(runs=1)
    assert result["pages"] == [{"name": "monitoring", "skipped": "no such page in this Lantern"}]


def test_bench_sessions_are_signed_in_with_both_factors(client):
    generate.generate(2)
    out = StringIO()
    call_command("bench", "sessions", "--count", "3", stdout=out)
    made = json.loads(out.getvalue())
    assert len(set(made["sessions"])) == 3
    client.cookies[made["cookie"]] = made["sessions"][2]
    assert client.get(made["floor"]).status_code == 200
    assert client.get(made["child_record"]).status_code == 200
