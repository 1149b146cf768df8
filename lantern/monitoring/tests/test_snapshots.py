"""The data set counted ahead (lantern.monitoring.snapshots): `lantern work` keeps each area's
default period counted, other slices are counted when first asked for and forgotten after a
day, and a day-old snapshot is counted again when opened."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lantern import testing
from lantern.foundation.models import Area
from lantern.monitoring import snapshots
from lantern.monitoring.models import DataSetSnapshot

URL = reverse("monitoring:data_set")
pytestmark = pytest.mark.django_db


def _defaults() -> int:
    """Each area and the partnership together: the data set for analysts and for the others,
    and the data quality page."""
    return (Area.objects.count() + 1) * 3


def test_work_counts_every_area_s_default_period_once_until_it_is_due_again(p, settings):
    settings.MONITORING_RECOUNT_SECONDS = 900
    assert snapshots.refresh() == _defaults()
    assert snapshots.refresh() == 0
    later = timezone.now() + timedelta(seconds=901)
    assert snapshots.refresh(now=later) == _defaults()
    assert DataSetSnapshot.objects.filter(default_period=True).count() == _defaults()


def test_the_data_quality_page_reads_what_work_counted(p, as_user):
    snapshots.refresh()
    kept = set(DataSetSnapshot.objects.values_list("key", "counted_at"))
    response = as_user(p.bea).get(reverse("monitoring:data_quality"))
    assert "Counted at" in response.text
    assert set(DataSetSnapshot.objects.values_list("key", "counted_at")) == kept


def test_the_page_s_default_is_the_slice_work_keeps_counted(p, as_user):
    snapshots.refresh()
    kept = set(DataSetSnapshot.objects.values_list("key", "counted_at"))
    as_user(p.bea).get(URL)
    as_user(p.ana).get(URL)
    assert set(DataSetSnapshot.objects.values_list("key", "counted_at")) == kept


def test_a_filtered_slice_is_forgotten_a_day_after_it_was_counted(p, as_user):
    as_user(p.bea).get(URL, {"gender": "male"})
    filtered = DataSetSnapshot.objects.get(default_period=False)
    snapshots.refresh(now=timezone.now() + timedelta(days=1, minutes=1))
    assert not DataSetSnapshot.objects.filter(pk=filtered.pk).exists()


def test_a_snapshot_a_day_old_is_counted_again_when_opened(p, as_user):
    child = testing.make_child(p.alice)
    testing.make_concern(child, p.alice)
    testing.make_referral(child, p.alice)
    client = as_user(p.bea)
    client.get(URL)
    DataSetSnapshot.objects.update(counted_at=timezone.now() - timedelta(days=2),
                                   figures=[])
    response = client.get(URL)
    assert response.context["figures"][0].key == "referrals"
    assert timezone.now() - response.context["counted_at"] < timedelta(minutes=1)


def test_lantern_work_counts_the_data_set(p):
    out = StringIO()
    call_command("work", "--once", stdout=out)
    assert f"{_defaults()} monitoring data set(s) counted" in out.getvalue()
