"""Entity resolution: proposals with evidence, a person decides, merges can be undone, every
decision audited (issue 7)."""

import re

import pytest

from lantern.foundation import audit
from lantern.foundation.models import AuditEvent
from lantern.intelligence import actions
from lantern.intelligence.models import (
    Entity,
    IntelligenceReport,
    MergeProposal,
    ResolutionDecision,
    Subject,
)

from .helpers import grade, person, report


@pytest.fixture
def three_mohammeds(p, child):
    report(p.alice, [child], person(nickname="Mo", phone="07700 900123"))
    report(p.priya, [child], person("Mohammed", "K", phone="+44 7700 900123"))
    report(p.priya, [child], person("MOHAMED", "KHAN", phone="07700900123"))
    return list(Subject.objects.order_by("pk"))


def test_mo_mohammed_k_and_mohamed_khan_with_one_phone_are_proposed_as_one(three_mohammeds):
    mo, k, khan = three_mohammeds
    pairs = {(pr.left_id, pr.right_id) for pr in MergeProposal.objects.all()}
    assert pairs == {(mo.pk, k.pk), (mo.pk, khan.pk), (k.pk, khan.pk)}


def test_each_proposal_stores_its_evidence_field_by_field(three_mohammeds):
    proposal = MergeProposal.objects.get(left=three_mohammeds[0], right=three_mohammeds[1])
    fields = {f["field"]: f["outcome"] for f in proposal.evidence["fields"]}
    assert fields["phone"] == "agree" and fields["given_name"] == "nickname"
    assert proposal.engine == "rapidfuzz" and 0.5 <= proposal.probability < 1


def test_different_people_are_not_proposed(p, child):
    report(p.alice, [child], person("Dean", "Ward", phone="07700 900111"))
    report(p.alice, [child], person("Kyle", "Morgan", phone="07700 900222"))
    assert not MergeProposal.objects.exists()


def test_a_confirmed_merge_makes_one_canonical_person(p, three_mohammeds):
    mo, k, khan = three_mohammeds
    actions.decide_proposal(MergeProposal.objects.get(left=mo, right=k), "merge", by=p.priya)
    k.refresh_from_db()
    assert k.canonical_id == mo.pk
    assert ResolutionDecision.objects.get().moved == {str(k.pk): None}


def test_merging_into_a_group_moves_the_whole_group(p, three_mohammeds):
    mo, k, khan = three_mohammeds
    actions.decide_proposal(MergeProposal.objects.get(left=k, right=khan), "merge", by=p.priya)
    actions.decide_proposal(MergeProposal.objects.get(left=mo, right=k), "merge", by=p.priya)
    assert set(Entity.objects.filter(canonical=mo).values_list("pk", flat=True)) == {k.pk,
                                                                                    khan.pk}


def test_undo_puts_every_record_back(p, three_mohammeds):
    mo, k, khan = three_mohammeds
    first = MergeProposal.objects.get(left=k, right=khan)
    second = MergeProposal.objects.get(left=mo, right=k)
    actions.decide_proposal(first, "merge", by=p.priya)
    actions.decide_proposal(second, "merge", by=p.priya)
    actions.undo_merge(second, by=p.maria, reason="Different people: the phone is shared.")
    assert dict(Entity.objects.filter(pk__in=[mo.pk, k.pk, khan.pk])
                .values_list("pk", "canonical_id")) == {mo.pk: None, k.pk: None,
                                                        khan.pk: k.pk}
    second.refresh_from_db()
    assert second.status == MergeProposal.Status.UNDONE


def test_a_rejected_proposal_changes_nothing_and_is_not_proposed_again(p, three_mohammeds):
    mo, k, _khan = three_mohammeds
    proposal = MergeProposal.objects.get(left=mo, right=k)
    actions.decide_proposal(proposal, "reject", by=p.priya, reason="Brothers")
    assert not Entity.objects.filter(canonical__isnull=False).exists()
    actions.resolve_all(by=p.priya)
    assert MergeProposal.objects.filter(left=mo, right=k).count() == 1


def test_a_decided_proposal_cannot_be_decided_twice(p, three_mohammeds):
    proposal = MergeProposal.objects.first()
    actions.decide_proposal(proposal, "reject", by=p.priya)
    with pytest.raises(actions.ProposalClosed):
        actions.decide_proposal(proposal, "merge", by=p.priya)


def test_every_decision_is_audited_and_the_chain_holds(p, three_mohammeds):
    proposal = MergeProposal.objects.first()
    actions.decide_proposal(proposal, "merge", by=p.priya, reason="Same phone and name")
    actions.undo_merge(proposal, by=p.priya, reason="Wrong")
    actions_seen = list(AuditEvent.objects.filter(object_id=str(proposal.pk),
                                                  object_type="intelligence.mergeproposal")
                        .values_list("action", flat=True))
    assert actions_seen == ["propose_merge", "merge", "undo"]
    assert audit.verify() is None


def test_the_review_queue_shows_evidence_and_takes_a_decision(p, three_mohammeds, as_user):
    proposal = MergeProposal.objects.get(left=three_mohammeds[0], right=three_mohammeds[1])
    client = as_user(p.priya)
    assert "Known as Mo" in client.get("/intelligence/resolution/").content.decode()
    body = client.get(proposal.get_absolute_url()).content.decode()
    assert "is a usual short form of" in body and "both use +447700900123" in body
    response = client.post(proposal.get_absolute_url(), {"action": "merge"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == MergeProposal.Status.MERGED


def test_cse_managers_review_only_once_police_have_graded_the_intelligence(
        p, three_mohammeds, as_user):
    proposal = MergeProposal.objects.first()
    assert as_user(p.maria).get(proposal.get_absolute_url()).status_code == 404
    for report_ in IntelligenceReport.objects.all():
        grade(report_, p.priya)
    assert as_user(p.maria).get(proposal.get_absolute_url()).status_code == 200


def test_undo_through_the_page_needs_a_reason(p, three_mohammeds, as_user):
    proposal = MergeProposal.objects.first()
    actions.decide_proposal(proposal, "merge", by=p.priya)
    client = as_user(p.priya)
    assert "Enter why you are undoing this merge" in client.post(
        proposal.get_absolute_url(), {"reason": ""}).content.decode()
    client.post(proposal.get_absolute_url(), {"reason": "Different dates of birth"})
    proposal.refresh_from_db()
    assert proposal.status == MergeProposal.Status.UNDONE


def test_teachers_do_not_review_merges(p, three_mohammeds, as_user):
    assert as_user(p.alice).get("/intelligence/resolution/").status_code == 403


def test_batch_linking_proposes_what_incremental_missed(p, child):
    # Created without incremental resolution (as an import would), then linked in batch.
    for given, family in (("Lee", "Hart"), ("Lee", "Hart")):
        Subject.objects.create(kind="subject", area=p.north, label=f"{given} {family}",
                               given_names=given, family_name=family, birth_year=1990)
    made = actions.resolve_all(by=None)
    assert len(made) == 1 and made[0].engine == "rapidfuzz"


def test_lantern_link_proposes_and_looks_for_triggers(p, child, capsys):
    from django.core.management import call_command

    for _ in range(2):
        Subject.objects.create(kind="subject", area=p.north, label="Lee Hart", given_names="Lee",
                               family_name="Hart", birth_year=1990)
    call_command("link")
    out = capsys.readouterr().out
    assert "1 new proposals to review." in out and "triggers open or raised" in out


# --- Merge safety and the review page (issue 16) ----------------------------------------------

def _child_and_adult_on_one_phone(p, child):
    report(p.alice, [child], person("Dean", "Ward", phone="07700 900555"))
    report(p.alice, [child], person("D", phone="07700 900555", is_child=True))
    return MergeProposal.objects.get()


def test_merging_a_child_with_an_adult_waits_for_a_second_reviewer(p, child):
    proposal = _child_and_adult_on_one_phone(p, child)
    actions.decide_proposal(proposal, "merge", by=p.priya)
    proposal.refresh_from_db()
    assert proposal.status == MergeProposal.Status.SECOND
    assert Entity.objects.filter(canonical__isnull=False).count() == 0


def test_the_first_reviewer_cannot_also_be_the_second(p, child):
    proposal = _child_and_adult_on_one_phone(p, child)
    actions.decide_proposal(proposal, "merge", by=p.priya)
    with pytest.raises(actions.SecondReviewerNeeded):
        actions.decide_proposal(proposal, "merge", by=p.priya)


def test_a_second_reviewer_completes_a_risky_merge(p, child):
    proposal = _child_and_adult_on_one_phone(p, child)
    actions.decide_proposal(proposal, "merge", by=p.priya)
    actions.decide_proposal(proposal, "merge", by=p.maria)
    proposal.refresh_from_db()
    assert proposal.status == MergeProposal.Status.MERGED


def test_two_adults_merge_with_one_reviewer(p, child):
    report(p.alice, [child], person("Dean", "Ward", phone="07700 900556"))
    report(p.alice, [child], person("D", phone="07700 900556"))
    proposal = MergeProposal.objects.get()
    actions.decide_proposal(proposal, "merge", by=p.priya)
    proposal.refresh_from_db()
    assert proposal.status == MergeProposal.Status.MERGED


def test_the_review_page_puts_each_records_evidence_in_its_own_column(p, child, as_user):
    report(p.alice, [child], person("Mohammed", "K", phone="07700 900461"))
    report(p.alice, [child], person("Mo", "Khan", phone="+44 7700 900461"))
    proposal = MergeProposal.objects.get()
    left, right = proposal.left.subject, proposal.right.subject
    page = as_user(p.priya).get(proposal.get_absolute_url()).text
    row = re.search(r"Family name</th>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>", page)
    assert row is not None
    assert (row.group(1).strip(), row.group(2).strip()) == (left.family_name, right.family_name)
