from django.db.models import Exists, OuterRef
from django.utils import timezone

from lantern import testing
from lantern.foundation.flags import has_rows
from lantern.foundation.models import Child, ChronologyEntry, Grant


def test_has_rows_says_what_exists_says(p, child):
    """`has_rows` is `Exists(model.objects.filter(key=OuterRef("pk"), **equal))` written out:
    the two agree for every child, with and without conditions (a value, None)."""
    other = testing.make_child(p.alice)
    Grant.objects.filter(child=other).update(revoked_at=timezone.now())
    kind = ChronologyEntry.objects.filter(child=child).exclude(
        kind__in=ChronologyEntry.objects.filter(child=other).values("kind")).values_list(
        "kind", flat=True).first()
    assert kind
    for model, key, equal in [(Grant, "child", {}), (Grant, "child", {"revoked_at": None}),
                              (ChronologyEntry, "child", {"kind": kind})]:
        written = dict(Child.objects.annotate(flag=has_rows(model, key, Child, **equal))
                       .values_list("pk", "flag"))
        built = dict(Child.objects.annotate(flag=Exists(model.objects.filter(
            **{key: OuterRef("pk")}, **equal))).values_list("pk", "flag"))
        assert written == built
        if equal:
            assert written[child.pk] is True and written[other.pk] is False
