from django.core import mail
from django.core.management import call_command

from lantern.foundation import audit
from lantern.intelligence.models import MergeProposal, Subject, Trigger, Vehicle


def test_the_demo_has_intelligence_showing_every_part_of_the_feature(db, capsys):
    call_command("demo")
    mo = Subject.objects.get(nicknames=["Mo"])
    khan = Subject.objects.get(family_name="KHAN")
    assert MergeProposal.objects.filter(left=mo, right=khan).exists()
    assert Vehicle.objects.filter(key="AB12CDE").count() == 1
    assert Trigger.objects.filter(kind="network_referral",
                                  criterion="location_facilitating").exists()
    assert Trigger.objects.filter(kind="complex_strategy", joint=True).exists()
    assert Subject.objects.count() > 15  # the synthetic people, written several ways
    assert mail.outbox == []  # invented data emails nobody
    assert audit.verify() is None
