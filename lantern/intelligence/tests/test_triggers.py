"""Triggers through the product: each kind at its threshold and below, alerts to the CSE team
managers of the areas involved, dismissal only with a reason (seed 003 §4, §11)."""


import pytest
from django.core import mail
from django.db import connection

from lantern import testing
from lantern.foundation.models import WorkItem
from lantern.intelligence import actions
from lantern.intelligence.models import Entity, MergeProposal, Subject, Trigger
from lantern.pathway.models import Outcome

from .helpers import eastmoor_manager, organisation, person, place, report


@pytest.fixture
def kayla(p):
    kayla = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    testing.make_concern(kayla, p.alice)
    return kayla


def _kinds():
    return set(Trigger.objects.filter(state="open").values_list("kind", "criterion"))


def test_one_child_and_one_suspect_raise_nothing(p, child):
    report(p.alice, [child], person("Dean", "Ward", phone="07700 900321"))
    assert not Trigger.objects.exists()


def test_a_second_child_linked_to_the_same_suspect_raises_both_kinds(p, child, kayla):
    report(p.alice, [child], person("Dean", "Ward", phone="07700 900321"))
    assert not Trigger.objects.exists()
    # The second report names the suspect by his phone only: the phone links him.
    report(p.alice, [kayla], person(nickname="D", phone="07700 900321"))
    # Two subject records until a person merges them, but the phone they share joins the
    # children: a complex strategy is called for already (issue 16).
    assert _kinds() == {("complex_strategy", "joined_through_shared_entities")}
    proposal = MergeProposal.objects.get()
    actions.decide_proposal(proposal, "merge", by=p.priya)
    assert _kinds() == {("complex_strategy", "same_perpetrator"),
                        ("network_referral", "multiple_children")}


def test_two_suspects_sharing_a_phone_raise_a_complex_strategy_for_both_children(p, child,
                                                                                  kayla):
    # "Jay, 07700 900123" about one child; "Jason Reid, 07700900123" about another.
    report(p.alice, [child], person("Jay", phone="07700 900123"))
    report(p.alice, [kayla], person("Jason", "Reid", phone="07700900123"))
    trigger = Trigger.objects.get(state="open")
    assert trigger.criterion == "joined_through_shared_entities"
    assert set(trigger.children.all()) == {child, kayla}
    assert trigger.focus_entity.kind == "phone"


def test_subjects_sharing_a_phone_are_proposed_as_one_person_with_the_phone_as_evidence(
        p, child, kayla):
    report(p.alice, [child], person("Jay", phone="07700 900123"))
    report(p.alice, [kayla], person("Jason", "Reid", phone="07700900123"))
    proposal = MergeProposal.objects.get()
    phone = next(f for f in proposal.evidence["fields"] if f["field"] == "phone")
    assert phone["outcome"] == "agree"


def test_two_children_reported_together_with_one_suspect_raise_both_kinds(p, child, kayla):
    report(p.alice, [child, kayla], person("Dean", "Ward"))
    assert _kinds() == {("complex_strategy", "same_perpetrator"),
                        ("network_referral", "multiple_children")}


def test_a_trigger_alerts_the_cse_team_manager_of_the_area(p, child, kayla,
                                                           django_capture_on_commit_callbacks):
    p.maria.email = "maria@northbridge.example"
    p.maria.save()
    with django_capture_on_commit_callbacks(execute=True):
        report(p.alice, [child, kayla], place("Flat above the takeaway", postcode="NB1 2AB",
                                              role="associated"))
    trigger = Trigger.objects.get()
    item = WorkItem.objects.get(source_type="intelligence.trigger")
    assert (item.area, item.owner_role, item.kind) == (p.north, "cse_manager",
                                                       "trigger_complex_strategy")
    assert mail.outbox[0].to == ["maria@northbridge.example"]
    assert "Kayla" not in mail.outbox[0].body and "Jade" not in mail.outbox[0].body
    assert trigger.get_absolute_url() in mail.outbox[0].body


def test_children_of_two_areas_make_a_joint_trigger_alerting_both_areas(p, child):
    esme = eastmoor_manager(p)
    east_child = testing.make_child(p.carol, given_names="Lola", family_name="East")
    report(p.priya, [child, east_child], person("Dean", "Ward"))
    complex_ = Trigger.objects.get(kind="complex_strategy")
    assert complex_.joint and set(complex_.areas.all()) == {p.north, p.east}
    assert set(WorkItem.objects.filter(kind="trigger_complex_strategy")
               .values_list("area__slug", flat=True)) == {"northbridge", "eastmoor"}
    assert "joint_proposal" in complex_.evidence
    assert esme.agency.area == p.east


def test_a_manager_sees_another_areas_child_only_as_a_child_in_that_area(p, child, as_user):
    east_child = testing.make_child(p.carol, given_names="Lola", family_name="East")
    report(p.priya, [child, east_child], person("Dean", "Ward"))
    trigger = Trigger.objects.get(kind="complex_strategy")
    body = as_user(p.maria).get(trigger.get_absolute_url()).content.decode()
    assert "Jade Example" in body and "Lola" not in body
    assert "A child in Eastmoor (you cannot see their record)" in body


def test_a_location_used_to_facilitate_exploitation_is_a_network_referral(p, child):
    report(p.alice, [child], place("Mill Road car park", role="facilitating"))
    assert _kinds() == {("network_referral", "location_facilitating")}


def test_a_location_merely_visited_by_one_child_raises_nothing(p, child):
    report(p.alice, [child], place("Mill Road car park", role="associated"))
    assert not Trigger.objects.exists()


def test_an_organisation_facilitating_is_a_network_referral(p, child):
    report(p.alice, [child], organisation("Speedy Cars taxis"))
    assert _kinds() == {("network_referral", "organisation_facilitating")}


def test_two_suspects_targeting_one_child_is_a_network_referral(p, child):
    report(p.alice, [child], person("Dean", "Ward"), person("Kyle", "Morgan"))
    assert _kinds() == {("network_referral", "multiple_suspects")}


def test_one_suspect_and_one_associate_raise_nothing(p, child):
    report(p.alice, [child], person("Dean", "Ward"), person("Kyle", "Morgan", role="associated"))
    assert not Trigger.objects.exists()


def test_the_precondition_is_not_met_without_a_strategy_discussion(p, child):
    report(p.alice, [child], organisation("Speedy Cars taxis"))
    trigger = Trigger.objects.get()
    assert trigger.precondition_met is False
    assert trigger.evidence["precondition"]["missing"] == [child.pk]


def test_a_front_door_decision_alone_does_not_meet_the_precondition(p, child):
    # Issue 6: the precondition is a strategy discussion held and a plan agreed, as recorded
    # in Lantern, not a decision that one should be held.
    referral = testing.make_referral(child, p.alice)
    from lantern.pathway.actions import decide_referral

    decide_referral(referral, Outcome.STRATEGY_DISCUSSION, by=p.fiona, rationale="Linked adults")
    report(p.alice, [child], organisation("Speedy Cars taxis"))
    assert Trigger.objects.get().precondition_met is False


def test_the_precondition_is_met_once_a_meeting_is_held_and_the_plan_agreed(p, child, as_user):
    from lantern.meetings.tests import helpers as meetings

    meeting = meetings.convene(p, [child])
    meetings.hold(p, meeting, [child])
    report(p.alice, [child], organisation("Speedy Cars taxis"))
    trigger = Trigger.objects.get()
    assert trigger.precondition_met is True
    body = as_user(p.maria).get(trigger.get_absolute_url()).content.decode()
    assert "Met" in body and "plan agreed" in body


def test_new_evidence_grows_the_open_trigger_rather_than_raising_another(p, child, kayla):
    report(p.alice, [child, kayla], person("Dean", "Ward"))
    third = testing.make_child(p.alice, given_names="Amber", family_name="Third")
    subject = Subject.objects.get()
    # A later report names the same person again; once merged, the trigger grows.
    report(p.alice, [third], person("Dean", "Ward"))
    actions.decide_proposal(MergeProposal.objects.get(), "merge", by=p.priya)
    complex_ = Trigger.objects.get(kind="complex_strategy", state="open")
    assert set(complex_.evidence["children"]) == {child.pk, kayla.pk, third.pk}
    assert complex_.focus_entity_id == subject.pk


def test_a_trigger_is_dismissed_only_with_a_reason(p, child, kayla, as_user):
    report(p.alice, [child, kayla], person("Dean", "Ward"))
    trigger = Trigger.objects.get(kind="complex_strategy")
    client = as_user(p.maria)
    body = client.post(trigger.get_absolute_url(), {"decision": "dismiss",
                                                     "reason": ""}).content.decode()
    assert "Enter why you are dismissing this trigger" in body
    with pytest.raises(actions.ReasonRequired):
        actions.dismiss_trigger(trigger, by=p.maria, reason="  ")
    client.post(trigger.get_absolute_url(), {"decision": "dismiss",
                                             "reason": "Siblings; already in one plan."})
    trigger.refresh_from_db()
    assert trigger.state == "dismissed" and trigger.state_reason == "Siblings; already in one plan."
    assert not WorkItem.objects.filter(source_id=str(trigger.pk), status="open").exists()


def test_a_dismissed_trigger_is_not_raised_again_for_the_same_children(p, child, kayla):
    report(p.alice, [child, kayla], person("Dean", "Ward"))
    trigger = Trigger.objects.get(kind="complex_strategy")
    actions.dismiss_trigger(trigger, by=p.maria, reason="Siblings")
    actions.detect_triggers(entities=set(), children=set(), by=None, whole=True)
    assert Trigger.objects.filter(kind="complex_strategy").count() == 1


def test_police_see_triggers_but_only_cse_managers_decide(p, child, kayla, as_user):
    report(p.alice, [child, kayla], person("Dean", "Ward"))
    trigger = Trigger.objects.get(kind="complex_strategy")
    assert as_user(p.priya).get(trigger.get_absolute_url()).status_code == 200
    assert as_user(p.priya).post(trigger.get_absolute_url(),
                                 {"decision": "dismiss", "reason": "x"}).status_code == 403
    assert as_user(p.fiona).get(trigger.get_absolute_url()).status_code == 404


def test_another_areas_manager_does_not_see_a_trigger_of_this_area(p, child, kayla, as_user):
    esme = eastmoor_manager(p)
    report(p.alice, [child, kayla], person("Dean", "Ward"))
    trigger = Trigger.objects.get(kind="complex_strategy")
    assert as_user(esme).get(trigger.get_absolute_url()).status_code == 404


def test_undoing_the_merge_that_made_a_trigger_withdraws_it(p, child, kayla):
    report(p.alice, [child], person("Dean", "Ward", phone="07700 900321"))
    report(p.alice, [kayla], person(nickname="D", phone="07700 900321"))
    proposal = MergeProposal.objects.get()
    actions.decide_proposal(proposal, "merge", by=p.priya)
    assert Trigger.objects.filter(state="open").count() == 2
    actions.undo_merge(proposal, by=p.priya, reason="Shared phone, different men")
    assert not Trigger.objects.filter(state="open", criterion__in=(
        "same_perpetrator", "multiple_children")).exists()
    # Two men on one phone still join the two children.
    assert _kinds() == {("complex_strategy", "joined_through_shared_entities")}


def test_the_triggers_list_keeps_the_two_kinds_apart(p, child, kayla, as_user):
    report(p.alice, [child, kayla], person("Dean", "Ward"))
    body = as_user(p.maria).get("/intelligence/triggers/").content.decode()
    assert "Complex strategy meeting" in body
    assert "CSE Intelligence and Response Network referral" in body


def test_a_meeting_held_after_the_trigger_meets_the_precondition(p, child, as_user):
    from lantern.meetings.tests import helpers as meetings

    report(p.alice, [child], organisation("Speedy Cars taxis"))
    trigger = Trigger.objects.get()
    assert "Not met" in as_user(p.maria).get(trigger.get_absolute_url()).content.decode()
    meeting = meetings.convene(p, [child], kind="strategy_discussion")
    assert "Not met" in as_user(p.maria).get(trigger.get_absolute_url()).content.decode()
    meetings.hold(p, meeting, [child])
    body = as_user(p.maria).get(trigger.get_absolute_url()).content.decode()
    assert "Not met" not in body and "Met" in body


def _trigger_fixture(p, child, kayla):
    """Triggers in each state in one area, the other, both (joint), none; with 0-2 children
    and updated at times that tie."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    made = []
    for i, (state, areas, kids) in enumerate([
            ("open", [p.north], [child, kayla]), ("open", [p.east], [kayla]),
            ("open", [p.north, p.east], [child]), ("dismissed", [p.north], []),
            ("accepted", [p.north], [kayla]), ("open", [], [child]),
            ("open", [p.north], []), ("accepted", [p.east, p.north], [child, kayla])]):
        trigger = Trigger.objects.create(
            kind="complex_strategy", criterion="shared_perpetrator", key=f"k{i}", state=state,
            updated_at=now - timedelta(minutes=i // 3), evidence={"label": f"T{i}"})
        trigger.areas.set(areas)
        trigger.children.set(kids)
        made.append(trigger)
    return made


def _trigger_users(p):
    from lantern.foundation.models import User

    people = [u for u in vars(p).values() if isinstance(u, User)]
    people.append(eastmoor_manager(p))
    # A manager of the area no longer active sees none.
    people.append(testing.UserFactory(username="gone", role="cse_manager",
                                      agency=p.north_csc, is_active=False))
    return people


def test_the_compiled_triggers_list_holds_what_each_person_may_see(p, child, kayla):
    """queries.triggers_for (compiled once a page) gives the old rule's rows for every named
    person, state and page: the same triggers in the same order, with their child counts."""
    from django.db.models import Count

    from lantern.intelligence import access, queries

    _trigger_fixture(p, child, kayla)
    seen = set()
    for user in _trigger_users(p):
        for state in ("open", "dismissed", "accepted"):
            rule = (access.visible_triggers(user).filter(state=state)
                    .annotate(child_count=Count("children", distinct=True))
                    .order_by("-updated_at", "-pk"))
            for offset, limit in ((0, None), (0, 2), (1, 2), (2, None), (5, 50)):
                old = list(rule[offset:offset + limit] if limit is not None
                           else rule[offset:])
                new = queries.triggers_for(user, state=state, offset=offset, limit=limit)
                assert [(t.pk, t.child_count, t.state) for t in new] == [
                    (t.pk, t.child_count, t.state) for t in old], (user.username, state)
                seen.update(t.pk for t in new)
    assert len(seen) == 7  # every trigger with an area was seen by someone


def test_the_compiled_trigger_is_the_one_each_person_may_open(p, child, kayla):
    """access.get_trigger_for_user (compiled) opens exactly the triggers the old rule found,
    for every named person and trigger, and none that does not exist."""
    from django.http import Http404

    from lantern.intelligence import access

    made = _trigger_fixture(p, child, kayla)
    opened = 0
    for user in _trigger_users(p):
        for trigger_id in [t.pk for t in made] + [max(t.pk for t in made) + 1]:
            old = access.visible_triggers(user).filter(pk=trigger_id).first()
            try:
                new, _ = access.get_trigger_for_user(user, trigger_id)
            except Http404:
                new = None
            assert new == old, (user.username, trigger_id)
            if new is not None:
                assert (new.state, new.evidence, new.updated_at) == (
                    old.state, old.evidence, old.updated_at)
                opened += 1
    assert opened > 0


@pytest.mark.parametrize("pick", [[], [0], [1, 0], [0, 1, 2, 3], [3, 3, 1], [2, "missing"]])
def test_a_triggers_children_read_in_sql_are_the_orms(p, child, kayla, pick):
    """queries.children_by_id gives what Child.objects.filter(pk__in=...).select_related("area")
    gave: the same children, every field, in the same order, each with its area."""
    from lantern.foundation.models import Child
    from lantern.intelligence import queries

    # Children of two areas, two with the same name (the order's tie on the primary key).
    kids = [child, kayla, testing.make_child(p.carol, given_names="Lola", family_name="East"),
            testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")]
    ids = [kids[i].pk if i != "missing" else max(k.pk for k in kids) + 1 for i in pick]
    old = list(Child.objects.filter(pk__in=ids).select_related("area").order_by(
        "family_name", "given_names", "pk"))
    new = queries.children_by_id(ids)
    assert [(c.pk, c.area.name) for c in new] == [(c.pk, c.area.name) for c in old]
    for a, b in zip(new, old, strict=True):
        assert not a.get_deferred_fields() and not a.area.get_deferred_fields()
        for field in Child._meta.concrete_fields:
            assert getattr(a, field.attname) == getattr(b, field.attname), field.name
        assert {f.attname: getattr(a.area, f.attname) for f in a.area._meta.concrete_fields} \
            == {f.attname: getattr(b.area, f.attname) for f in b.area._meta.concrete_fields}
    # The evidence keeps ids as JSON numbers; ids as text are read as the ORM reads them.
    assert [c.pk for c in queries.children_by_id([str(i) for i in ids])] == [
        c.pk for c in old]


@pytest.mark.parametrize("pick", [[], [0], [2, 0], [7, 2, 5], "all"])
def test_a_triggers_area_names_read_in_sql_are_the_orms(p, child, kayla, pick):
    """queries._area_names gives what the ORM read of the triggers' areas gave: each trigger
    and its areas' names, in the areas' order (by name, the key after), for any triggers (the
    triggers of one area in no particular order, in either: each trigger's own list is what
    trigger_rows reads)."""
    from lantern.intelligence import queries

    made = _trigger_fixture(p, child, kayla)
    # An area last made and first by name, in a joint trigger with the others.
    first = testing.AreaFactory(name="Aardvale", slug="aardvale")
    made[7].areas.add(first)
    made[2].areas.add(first)
    ids = [t.pk for t in made] if pick == "all" else [made[n].pk for n in pick]
    old = list(Trigger.areas.through.objects.filter(trigger_id__in=ids)
               .order_by("area__name", "area_id").values_list("trigger_id", "area__name"))
    new = queries._area_names(ids)
    assert sorted(new) == sorted(old)
    for trigger_id in ids:
        assert [n for t, n in new if t == trigger_id] == [n for t, n in old if t == trigger_id]
    if len(ids) > 2:
        assert len({name for _, name in old}) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a pipeline is PostgreSQL's")
def test_a_networks_page_takes_every_read_of_its_evidence_run_ahead(p, child, kayla, as_user,
                                                                    ran_ahead):
    report(p.alice, [child], person("Dean", "Ward", phone="07700 900321"))
    report(p.alice, [kayla], person("Dean", "Ward", phone="07700 900321"))
    trigger = Trigger.objects.filter(state="open").first()
    assert trigger.evidence["children"] and trigger.evidence["entities"]
    page = as_user(p.maria).get(trigger.get_absolute_url())
    assert page.status_code == 200 and "Kayla Morrow" in page.text
    # Its children, those the manager may name, and its records.
    assert ran_ahead == [(3, 3, {})]


def test_a_networks_records_are_listed_in_the_order_they_were_made(p, child, kayla, as_user):
    report(p.alice, [child], person("Dean", "Ward", phone="07700 900321"))
    report(p.alice, [kayla], person("Kyle", "Morgan", phone="07700 900321"))
    trigger = Trigger.objects.filter(state="open").first()
    text = as_user(p.maria).get(trigger.get_absolute_url()).text
    labels = [e.label for e in Entity.objects.filter(pk__in=trigger.evidence["entities"])
              .order_by("pk")]
    assert len(set(labels)) == len(labels) >= 2
    assert sorted(labels, key=text.index) == labels
