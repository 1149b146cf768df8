"""Merging two records of one child, and undoing it (issue 15, item 2): the front door or the
CSE team manager compares the records side by side with why they may be one child, merges with
a reason, and can undo the merge; nothing is deleted and undo moves back exactly what moved."""

from datetime import date

import pytest

from lantern import testing
from lantern.foundation import work
from lantern.foundation.models import AuditEvent, Child, ChronologyEntry, WorkItem
from lantern.missing import testing as missing_testing
from lantern.pathway import actions as pathway
from lantern.pathway.models import Concern, Outcome, Pathway, PathwayStep
from lantern.people import actions
from lantern.people.models import ChildMerge


@pytest.fixture
def records(p):
    """Olivia's two records: alice's school added "Olivia Griffiths" with a concern and a
    referral; bob's school, not knowing, added "Olivia Griffith" with a concern."""
    first = testing.make_child(p.alice, given_names="Olivia", family_name="Griffiths",
                               date_of_birth=date(2010, 6, 27), school="Riverside Academy")
    testing.make_concern(first, p.alice)
    testing.make_referral(first, p.alice)
    second = testing.make_child(p.bob, given_names="Olivia", family_name="Griffith",
                                date_of_birth=date(2010, 6, 27), postcode="NB1 2AB")
    testing.make_concern(second, p.bob, narrative="Missing from school twice this week.")
    return first, second


def _merge_url(kept, merged) -> str:
    return f"/children/{kept.pk}/merge/{merged.pk}/"


def _merge(client, kept, merged, reason="Same date of birth; both schools confirmed it"):
    return client.post(_merge_url(kept, merged), {"keep": str(kept.pk), "reason": reason})


def _rows(child) -> dict[str, set]:
    """Every row that names the child, by model (what a merge may move)."""
    return {model._meta.label: set(model.objects.filter(**{name: child})
                                   .values_list("pk", flat=True))
            for model, name, _label in actions._relations()}


def test_the_comparison_shows_each_record_in_its_own_column_with_why_they_match(
        p, records, as_user):
    first, second = records
    body = as_user(p.fiona).get(_merge_url(first, second)).content.decode()
    assert f"Record {first.pk}</th>" in body and f"Record {second.pk}</th>" in body
    assert "Olivia Griffiths" in body and "Olivia Griffith<" in body
    assert "Similar name" in body and "Same date of birth" in body


def test_the_merge_start_page_lists_the_possible_other_record(p, records, as_user):
    first, second = records
    body = as_user(p.fiona).get(f"/children/{first.pk}/merge/").content.decode()
    assert f"/children/{first.pk}/merge/{second.pk}/" in body
    assert "Similar name, Same date of birth" in body


def test_the_front_door_merges_and_the_history_moves_to_the_kept_record(p, records, as_user):
    first, second = records
    response = _merge(as_user(p.fiona), first, second)
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    second.refresh_from_db()
    assert second.merged_into == first
    assert Concern.objects.filter(child=first).count() == 2
    assert not Concern.objects.filter(child=second).exists()
    assert Child.objects.filter(pk=second.pk).exists()  # nothing is deleted


def test_a_cse_team_manager_may_merge(p, records, as_user):
    first, second = records
    assert _merge(as_user(p.maria), first, second).status_code == 302
    assert ChildMerge.objects.get().merged_by == p.maria


@pytest.mark.parametrize("name", ["alice", "priya"])
def test_others_who_see_both_records_may_not_merge(p, records, as_user, name):
    first, second = records
    testing.give_access(second, p.alice)
    assert _merge(as_user(getattr(p, name)), first, second).status_code == 403
    assert not ChildMerge.objects.exists()


def test_the_front_door_of_another_area_gets_404(p, records, as_user):
    first, second = records
    assert as_user(p.eve).get(_merge_url(first, second)).status_code == 404


def test_a_merge_needs_a_reason(p, records, as_user):
    first, second = records
    body = _merge(as_user(p.fiona), first, second, reason="  ").content.decode()
    assert "There is a problem" in body and "Enter why these records are the same child" in body
    assert not ChildMerge.objects.exists()


def test_the_merge_is_audited_on_both_records_with_the_reason_and_evidence(
        p, records, as_user):
    first, second = records
    _merge(as_user(p.fiona), first, second)
    for child in (first, second):
        event = AuditEvent.objects.get(action="merge", child=child)
        assert event.actor == p.fiona
        assert event.reason == "Same date of birth; both schools confirmed it"
        assert event.changes["evidence"] == ["Similar name", "Same date of birth"]
        assert event.changes["moved"]["concerns"] == 1


def test_both_chronologies_say_the_records_were_merged(p, records, as_user):
    first, second = records
    _merge(as_user(p.fiona), first, second)
    assert ChronologyEntry.objects.filter(child=first, title__contains="was merged into this one",
                                          recorded_by=p.fiona).exists()
    assert ChronologyEntry.objects.filter(child=second,
                                          title__startswith=f"Merged into record {first.pk}"
                                          ).exists()


def test_the_old_address_leads_to_the_kept_record(p, records, as_user):
    first, second = records
    client = as_user(p.fiona)
    _merge(client, first, second)
    response = client.get(second.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()


def test_someone_who_sees_only_the_merged_record_learns_only_that_it_was_merged(
        p, records, as_user):
    first, second = records
    _merge(as_user(p.fiona), first, second)
    response = as_user(p.bob).get(second.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200 and "This record was merged into another" in body
    assert first.get_absolute_url() not in body and "Griffiths" not in body
    assert as_user(p.bob).get(first.get_absolute_url()).status_code == 404


def test_nothing_can_be_added_to_a_merged_record(p, records, as_user):
    first, second = records
    _merge(as_user(p.fiona), first, second)
    response = as_user(p.bob).post(f"/children/{second.pk}/concerns/new/",
                                   {"observed_on_day": "1", "narrative": "More"})
    assert response.status_code == 403


def test_a_merged_record_is_not_found_by_search(p, records, as_user):
    first, second = records
    _merge(as_user(p.fiona), first, second)
    body = as_user(p.fiona).get("/children/", {"name": "Olivia Griffith"}).content.decode()
    assert first.get_absolute_url() in body and second.get_absolute_url() not in body


def test_undo_moves_back_exactly_what_moved(p, records, as_user):
    first, second = records
    before = {first.pk: _rows(first), second.pk: _rows(second)}
    client = as_user(p.fiona)
    _merge(client, first, second)
    # What is added to the kept record after the merge stays there.
    testing.make_concern(first, p.fiona, narrative="Seen with the same adult again.")
    during = _rows(first)
    merge = ChildMerge.objects.get()
    response = client.post(f"/children/merges/{merge.pk}/undo/",
                           {"reason": "The NHS numbers differ: twins"})
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    after = {first.pk: _rows(first), second.pk: _rows(second)}
    merge_entries = set(ChronologyEntry.objects.filter(title__icontains="merge")
                        .values_list("pk", flat=True))
    assert before[second.pk]["pathway.Concern"]  # the test moves something
    for model in before[second.pk]:
        extra = merge_entries if model == "foundation.ChronologyEntry" else set()
        assert after[second.pk][model] - extra == before[second.pk][model], model
        assert after[first.pk][model] - extra == (during[model] - before[second.pk][model]
                                                  - extra), model
        assert before[first.pk][model] <= after[first.pk][model], model
    second.refresh_from_db()
    assert second.merged_into is None


def test_undo_is_audited_and_in_both_chronologies(p, records, as_user):
    first, second = records
    client = as_user(p.fiona)
    _merge(client, first, second)
    merge = ChildMerge.objects.get()
    client.post(f"/children/merges/{merge.pk}/undo/", {"reason": "Twins"})
    merge.refresh_from_db()
    assert merge.undone_by == p.fiona and merge.undo_reason == "Twins"
    for child in (first, second):
        assert AuditEvent.objects.get(action="unmerge", child=child).reason == "Twins"
        assert ChronologyEntry.objects.filter(child=child, title__contains="undone").exists()


def test_undo_needs_a_reason_and_the_right_role(p, records, as_user):
    first, second = records
    _merge(as_user(p.fiona), first, second)
    merge = ChildMerge.objects.get()
    url = f"/children/merges/{merge.pk}/undo/"
    assert as_user(p.alice).post(url, {"reason": "Twins"}).status_code == 403
    assert as_user(p.eve).post(url, {"reason": "Twins"}).status_code == 404
    body = as_user(p.fiona).post(url, {"reason": ""}).content.decode()
    assert "Enter why you are undoing the merge" in body
    merge.refresh_from_db()
    assert merge.undone_at is None


def test_the_kept_records_pathway_carries_on_and_undo_reopens_the_other(p, records, as_user):
    first, second = records  # a concern or a referral starts a pathway: both have one open
    theirs = Pathway.objects.get(child=second, exited_at=None)
    client = as_user(p.fiona)
    _merge(client, first, second)
    theirs.refresh_from_db()
    assert theirs.child == first and theirs.exited_at is not None
    assert Pathway.objects.filter(child=first, exited_at=None).count() == 1
    client.post(f"/children/merges/{ChildMerge.objects.get().pk}/undo/", {"reason": "Twins"})
    theirs.refresh_from_db()
    assert theirs.child == second and theirs.exited_at is None and theirs.exit_route == ""
    assert Pathway.objects.filter(child=first, exited_at=None).count() == 1


def test_two_missing_person_profiles_refuse_the_merge_with_the_reason(p, records, as_user):
    first, second = records
    Child.objects.filter(pk__in=[first.pk, second.pk]).update(looked_after=True)
    for child in Child.objects.filter(pk__in=[first.pk, second.pk]):
        missing_testing.make_profile(child, p.fiona)
    body = _merge(as_user(p.fiona), first, second).content.decode()
    assert "There is a problem" in body
    assert "Both records have missing person profiles that cannot be joined" in body
    assert not ChildMerge.objects.exists()
    assert Concern.objects.filter(child=second).count() == 1
    assert Pathway.objects.filter(child=second, exited_at=None).exists()  # all rolled back


def test_the_kept_record_offers_the_undo_to_the_front_door_only(p, records, as_user):
    first, second = records
    _merge(as_user(p.fiona), first, second)
    merge = ChildMerge.objects.get()
    assert f"/children/merges/{merge.pk}/undo/" in \
        as_user(p.fiona).get(first.get_absolute_url()).content.decode()
    assert f"/children/merges/{merge.pk}/undo/" not in \
        as_user(p.alice).get(first.get_absolute_url()).content.decode()


def _undo(client, reason="Twins"):
    return client.post(f"/children/merges/{ChildMerge.objects.get().pk}/undo/",
                       {"reason": reason})


def _open(child) -> set[int]:
    return set(WorkItem.objects.filter(child=child, status=WorkItem.Status.OPEN)
               .values_list("pk", flat=True))


def test_the_set_aside_pathways_work_is_closed_and_undo_reopens_it(p, records, as_user):
    first, second = records
    referral = testing.make_referral(second, p.bob)
    pathway.decide_referral(referral, Outcome.ASSESSMENT, by=p.fiona,
                            rationale="Assess what is happening.", allocate_to=p.sam)
    steps = [str(pk) for pk in PathwayStep.objects.filter(pathway__child=second)
             .values_list("pk", flat=True)]
    theirs = set(WorkItem.objects.filter(source_type="pathway.pathwaystep", source_id__in=steps,
                                         status=WorkItem.Status.OPEN).values_list("pk", flat=True))
    assert theirs  # the assessment the decision asked for
    client = as_user(p.fiona)
    _merge(client, first, second)
    assert not theirs & _open(first)
    assert set(WorkItem.objects.filter(pk__in=theirs).values_list("status", flat=True)) == {
        WorkItem.Status.CANCELLED}
    _undo(client)
    assert theirs <= _open(second)


def test_work_about_what_moves_stays_open_on_the_kept_record(p, records, as_user):
    first, second = records
    referral = testing.make_referral(second, p.bob)
    item = WorkItem.objects.get(source_type="pathway.referral", source_id=str(referral.pk))
    _merge(as_user(p.fiona), first, second)
    item.refresh_from_db()
    assert item.child == first and item.status == WorkItem.Status.OPEN


def test_work_about_the_merged_record_itself_follows_it_to_the_kept_record(p, records,
                                                                          as_user):
    first, second = records
    item = work.open_item(area=second.area, child=second, kind="rescreen", title="Re-screen",
                          due_at=None, basis="Missing three times", owner_role="front_door",
                          source=second, url=f"/children/{second.pk}/screenings/new/", by=p.fiona)
    client = as_user(p.fiona)
    _merge(client, first, second)
    item.refresh_from_db()
    assert (item.child, item.status) == (first, WorkItem.Status.OPEN)
    assert (item.source_id, item.url) == (str(first.pk), f"/children/{first.pk}/screenings/new/")
    _undo(client)
    item.refresh_from_db()
    assert (item.child, item.source_id) == (second, str(second.pk))
    assert item.url == f"/children/{second.pk}/screenings/new/"


def test_a_possible_match_to_check_is_closed_by_the_merge_and_reopened_by_undo(
        p, records, as_user):
    first, second = records
    actions.refer_possible_match([second], by=p.carol, details={
        "given_names": "Olivia", "family_name": "Griffith", "date_of_birth": date(2010, 6, 27)})
    item = WorkItem.objects.get(kind="possible_match")
    client = as_user(p.fiona)
    _merge(client, first, second)
    item.refresh_from_db()
    assert item.status == WorkItem.Status.CANCELLED
    _undo(client)
    item.refresh_from_db()
    assert item.status == WorkItem.Status.OPEN and item.child == second


def test_the_kept_chronology_says_once_that_the_record_was_created(p, records, as_user):
    first, second = records
    client = as_user(p.fiona)
    _merge(client, first, second)
    created = ChronologyEntry.objects.filter(title=actions.CREATED_TITLE)
    assert list(created.filter(child=first).values_list("url", flat=True)) == [
        first.get_absolute_url()]
    merged = ChronologyEntry.objects.get(child=first, title__contains="was merged into this one")
    assert f"Record {second.pk} was created in Lantern on" in merged.detail
    assert "Hillcrest School" in merged.detail
    body = client.get(first.get_absolute_url()).content.decode()
    assert body.count(actions.CREATED_TITLE) == 1
    _undo(client)
    assert created.filter(child=second).count() == 1


@pytest.mark.parametrize("page", ["pathway/", "missing/", "meetings/", "plan/", "chronology/",
                                  "plan.pdf?version=family"])
def test_a_page_of_the_merged_record_leads_to_the_kept_records(p, records, as_user, page):
    first, second = records
    client = as_user(p.fiona)
    _merge(client, first, second)
    response = client.get(f"/children/{second.pk}/{page}")
    assert response.status_code == 302
    assert response["Location"] == f"/children/{first.pk}/{page}"


def test_the_kept_records_page_says_the_other_record_was_merged_into_it(p, records, as_user):
    first, second = records
    client = as_user(p.fiona)
    _merge(client, first, second)
    body = client.get(f"/children/{second.pk}/pathway/", follow=True).content.decode()
    assert f"Record {second.pk} (Olivia Griffith) was merged into this record" in body


def test_a_page_of_the_merged_record_is_not_found_by_who_may_not_see_the_kept_one(
        p, records, as_user):
    first, second = records
    _merge(as_user(p.fiona), first, second)
    assert as_user(p.bob).get(f"/children/{second.pk}/pathway/").status_code == 404


def test_the_api_leads_to_the_kept_record_and_lists_it_once(p, records, as_user):
    first, second = records
    client = as_user(p.fiona)
    _merge(client, first, second)
    response = client.get(f"/api/children/{second.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/api/children/{first.pk}/"
    listed = [row["id"] for row in client.get("/api/children/").json()["results"]]
    assert first.pk in listed and second.pk not in listed
    assert as_user(p.bob).get(f"/api/children/{second.pk}/").status_code == 404


def test_the_merged_records_own_access_log_stays_readable(p, records, as_user):
    # The audit trail is never rewritten: who looked at the merged record is in its own log.
    first, second = records
    _merge(as_user(p.fiona), first, second)
    assert as_user(p.maria).get(f"/children/{second.pk}/access-log/").status_code == 200


def test_merges_keep_each_reports_areas(p, records):
    """A report keeps the areas of the children it concerns (IntelligenceReport.child_areas):
    a merge moves a report's children between records of one area, so they stay true through
    the merge and its undoing."""
    from lantern.intelligence.tests.helpers import person, report

    first, second = records
    eastern = testing.make_child(p.eve, given_names="Eastern")
    both = report(p.bob, [second, eastern], person("Both", "Areas"))

    def kept_true():
        both.refresh_from_db()
        return ({a.pk for a in both.child_areas.all()}
                == {c.area_id for c in both.children.all()} == {p.north.pk, p.east.pk})

    merge = actions.merge_children(first, second, by=p.fiona, reason="One child")
    assert set(both.children.all()) == {first, eastern} and kept_true()
    actions.undo_merge(merge, by=p.fiona, reason="Two children after all")
    assert set(both.children.all()) == {second, eastern} and kept_true()
