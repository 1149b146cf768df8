from datetime import timedelta

from lantern import testing
from lantern.pathway.models import Referral


def _data(**changes):
    data = {"reason": "At risk from adults giving her lifts.", "urgent": "no",
            "consent": "given", "consent_detail": ""}
    data.update(changes)
    return data


def test_a_referral_is_due_for_decision_24_hours_after_receipt(p, child, as_user):
    as_user(p.alice).post(f"/children/{child.pk}/refer/", _data())
    referral = Referral.objects.get()
    assert referral.decision_due_at - referral.received_at == timedelta(hours=24)
    assert "24 hours" in referral.due_basis
    assert referral.area == p.north and referral.status == "awaiting"


def test_the_referral_carries_the_latest_screening_and_concern(p, child, as_user):
    screening = testing.make_screening(child, p.alice)
    as_user(p.alice).post(f"/children/{child.pk}/refer/", _data())
    referral = Referral.objects.get()
    assert referral.screening == screening and referral.concern is not None


def test_referring_without_consent_needs_a_reason(p, child, as_user):
    body = as_user(p.alice).post(
        f"/children/{child.pk}/refer/", _data(consent="refused")
    ).content.decode()
    assert "Enter why you are referring without consent" in body
    assert not Referral.objects.exists()


def test_refusal_of_consent_does_not_stop_a_referral(p, child, as_user):
    as_user(p.alice).post(
        f"/children/{child.pk}/refer/",
        _data(consent="refused", consent_detail="Asking would alert the adults involved."),
    )
    assert Referral.objects.get().consent == "refused"


def test_reason_is_required(p, child, as_user):
    body = as_user(p.alice).post(f"/children/{child.pk}/refer/", _data(reason="")).content
    assert "Enter why you are referring this child" in body.decode()
