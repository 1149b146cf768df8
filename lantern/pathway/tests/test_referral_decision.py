import pytest
from django.utils import timezone

from lantern import testing
from lantern.foundation.models import ChronologyEntry
from lantern.pathway import actions
from lantern.pathway.models import Decision, Referral
from lantern.people.models import Allocation


@pytest.fixture
def referral(p, child):
    return testing.make_referral(child, p.alice)


def test_the_front_door_records_a_decision(p, referral, as_user):
    response = as_user(p.fiona).post(
        referral.get_absolute_url(),
        {"outcome": "assessment", "rationale": "Needs an assessment.", "allocate_to": p.sam.pk},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECIDED
    assert referral.decision.outcome == "assessment"
    assert Allocation.objects.filter(child=referral.child, user=p.sam).exists()


def test_the_decision_reaches_the_chronology(p, referral, as_user):
    as_user(p.fiona).post(referral.get_absolute_url(),
                          {"outcome": "early_help", "rationale": "Early help."})
    assert ChronologyEntry.objects.filter(kind="decision", child=referral.child).exists()


def test_a_decision_needs_an_outcome_and_reasons(p, referral, as_user):
    body = as_user(p.fiona).post(referral.get_absolute_url(), {}).content.decode()
    assert "Select a decision" in body and "Enter the reasons for your decision" in body


def test_the_referrer_can_read_but_not_decide(p, referral, as_user):
    client = as_user(p.alice)
    assert client.get(referral.get_absolute_url()).status_code == 200
    response = client.post(referral.get_absolute_url(),
                           {"outcome": "nfa", "rationale": "no"})
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_police_can_read_but_not_decide(p, referral, as_user):
    response = as_user(p.priya).post(referral.get_absolute_url(),
                                     {"outcome": "nfa", "rationale": "no"})
    assert response.status_code == 403


def test_another_areas_front_door_gets_404(p, referral, as_user):
    assert as_user(p.eve).get(referral.get_absolute_url()).status_code == 404


def test_only_one_decision_per_referral(p, referral):
    actions.decide_referral(referral, "nfa", by=p.fiona, rationale="First.")
    with pytest.raises(actions.AlreadyDecided):
        actions.decide_referral(referral, "assessment", by=p.maria, rationale="Second.")


def test_a_referral_opens_a_front_door_work_item_that_the_decision_closes(p, referral):
    from lantern.foundation.models import WorkItem

    item = WorkItem.objects.get(kind="referral_decision")
    assert item.status == "open" and item.owner_role == "front_door"
    assert item.due_at == referral.decision_due_at and item.area == p.north
    actions.decide_referral(referral, "nfa", by=p.fiona, rationale="Nothing further.")
    item.refresh_from_db()
    assert item.status == "done" and item.closed_by == p.fiona


# --- The loser of a race to decide (issue 13) ------------------------------------------------

def _decided_first_page(response, p) -> str:
    assert response.status_code == 409
    body = response.content.decode()
    assert f"{p.maria.display_name} decided this referral first" in body
    return body


def test_who_decided_first_is_shown_to_the_worker_who_came_second(p, referral, as_user):
    decision = actions.decide_referral(referral, "early_help", by=p.maria, rationale="Maria's.")
    response = as_user(p.fiona).post(referral.get_absolute_url(),
                                     {"outcome": "nfa", "rationale": "Fiona's reasons."})
    body = _decided_first_page(response, p)
    assert decision.get_outcome_display().lower() in body
    assert timezone.localtime(decision.decided_at).strftime("%H:%M") in body
    assert "Fiona&#x27;s reasons." in body
    assert Decision.objects.get().decided_by == p.maria


def test_the_race_lost_inside_the_decision_keeps_what_was_typed(p, referral, as_user,
                                                                monkeypatch):
    """Both loaded the form while it awaited; maria's decision lands first, between fiona's
    page reading the referral and her decision locking it."""
    decide = actions.decide_referral

    def maria_first(referral, outcome, **kwargs):
        decide(referral, "assessment", by=p.maria, rationale="Maria's.")
        return decide(referral, outcome, **kwargs)

    monkeypatch.setattr("lantern.pathway.views.actions.decide_referral", maria_first)
    response = as_user(p.fiona).post(referral.get_absolute_url(),
                                     {"outcome": "nfa", "rationale": "Fiona's reasons."})
    body = _decided_first_page(response, p)
    assert "Fiona&#x27;s reasons." in body
    assert Decision.objects.get().outcome == "assessment"
