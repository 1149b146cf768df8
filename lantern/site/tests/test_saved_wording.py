"""Victim-blaming wording in saved text is marked when a CSE team manager reads it (issue 15,
item 5; SPEC §12), with the child-centred alternative; not only while it is typed."""

from datetime import timedelta

from django.utils import timezone

from lantern import testing
from lantern.foundation.chronology import add_chronology
from lantern.intelligence import actions as intelligence
from lantern.intelligence.tests.helpers import report
from lantern.missing import actions as missing
from lantern.monitoring import actions as monitoring
from lantern.plans import actions as plans

BLAMING = "She keeps putting herself at risk and says it was her choice."


def _concern(p, child):
    return testing.make_concern(child, p.alice, narrative=BLAMING)


def test_a_cse_team_manager_sees_the_phrases_marked_with_the_suggested_wording(
        p, child, as_user):
    concern = _concern(p, child)
    body = as_user(p.maria).get(f"/concerns/{concern.pk}/").content.decode()
    assert '<mark class="lantern-wording">putting herself at risk<span ' \
           'class="govuk-visually-hidden"> (wording to check: note 1)</span></mark>' in body
    assert "her choice" in body and "(wording to check: note 2)" in body
    assert "Wording to check: the child is a victim, never the problem." in body
    assert "is at risk of harm from" in body  # the suggested wording


def test_the_person_who_wrote_it_sees_it_as_they_saved_it(p, child, as_user):
    concern = _concern(p, child)
    body = as_user(p.alice).get(f"/concerns/{concern.pk}/").content.decode()
    assert BLAMING in body and "lantern-wording" not in body


def test_the_saved_text_is_still_escaped_when_marked(p, child, as_user):
    concern = testing.make_concern(child, p.alice,
                                   narrative="<script>x</script> she chose to go")
    body = as_user(p.maria).get(f"/concerns/{concern.pk}/").content.decode()
    assert "<script>x</script>" not in body and "&lt;script&gt;" in body
    assert '<mark class="lantern-wording">chose to' in body


def test_a_screenings_analysis_is_marked_for_the_manager(p, child, as_user):
    screening = testing.make_screening(child, p.alice, analysis="She is sexually active.")
    body = as_user(p.maria).get(f"/screenings/{screening.pk}/").content.decode()
    assert '<mark class="lantern-wording">sexually active' in body


def test_a_referrals_reason_is_marked_for_the_manager(p, child, as_user):
    referral = testing.make_referral(child, p.alice, reason="Her lifestyle choices worry us.")
    body = as_user(p.maria).get(f"/referrals/{referral.pk}/").content.decode()
    assert '<mark class="lantern-wording">lifestyle choices' in body


def test_a_missing_episodes_account_is_marked_for_the_manager(p, child, as_user):
    now = timezone.now()
    episode = missing.record_episode(
        child, by=p.sam, missing_from="home", went_missing_at=now - timedelta(hours=5),
        reported_at=now - timedelta(hours=4), reported_by="Her mother",
        circumstances="Went off with her older boyfriend again.")
    body = as_user(p.maria).get(episode.get_absolute_url()).content.decode()
    assert '<mark class="lantern-wording">older boyfriend' in body


def test_a_plan_actions_text_is_marked_for_the_manager(p, child, as_user):
    plan = plans.start_plan(child, by=p.maria)
    action, _warnings = plans.add_action(
        plan, version=plan.version, by=p.maria, kind="safety",
        description="Talk to her about the risks of sex work", risk="Putting herself at risk",
        owner_name="Her mother", owner_agency_name="Family")
    body = as_user(p.maria).get(action.get_absolute_url()).content.decode()
    assert '<mark class="lantern-wording">sex work' in body
    assert '<mark class="lantern-wording">Putting herself at risk' in body


def test_a_chronology_entrys_detail_is_marked_on_the_childs_record(p, child, as_user):
    add_chronology(child, kind="record", title="Note", occurred_at=timezone.now(), by=p.sam,
                   detail="Seen with an escort agency driver.")
    body = as_user(p.maria).get(f"/children/{child.pk}/").content.decode()
    assert '<mark class="lantern-wording">escort' in body
    plain = as_user(p.alice).get(f"/children/{child.pk}/").content.decode()
    assert "Seen with an escort agency driver." in plain and "lantern-wording" not in plain


def test_the_dip_sample_page_marks_the_sampled_record_for_the_board_auditor(p, child,
                                                                          as_user):
    testing.make_screening(child, p.alice, analysis="She is promiscuous.")
    sample = monitoring.draw_dip_sample(area=p.alice.agency.area,
                                        month=timezone.localdate(), size=1, by=p.bea, seed=1)
    body = as_user(p.bea).get(sample.items.get().get_absolute_url()).content.decode()
    assert '<mark class="lantern-wording">promiscuous' in body


def test_the_childs_own_words_are_never_marked(p, child, as_user):
    concern = testing.make_concern(child, p.alice, narrative="Seen at the station.",
                                   child_words="He is my boyfriend, it was my choice.")
    body = as_user(p.maria).get(f"/concerns/{concern.pk}/").content.decode()
    assert "it was my choice." in body and "lantern-wording" not in body


def test_a_lists_row_marks_the_phrase_and_leaves_the_notes_to_the_record(p, child, as_user):
    # Read in full by the police, and by the CSE team manager as the sanitised version.
    intelligence.grade_report(
        report(p.priya, [child], text="Her older boyfriend drives her to parties."),
        by=p.priya, source_grade="2", intelligence_grade="B", handling="P",
        sanitised_text="Her older boyfriend gives her lifts.")
    body = as_user(p.maria).get("/intelligence/").content.decode()
    assert ('<mark class="lantern-wording">older boyfriend<span class="govuk-visually-hidden">'
            " (wording to check)</span></mark>") in body
    assert "Wording to check:" not in body


def test_the_plans_list_of_actions_marks_the_phrase_briefly(p, child, as_user):
    plan = plans.start_plan(child, by=p.maria)
    plans.add_action(plan, version=plan.version, by=p.maria, kind="safety",
                     description="Talk to her about her lifestyle choices", risk="Going missing",
                     owner_name="Her mother", owner_agency_name="Family")
    body = as_user(p.maria).get(f"/children/{child.pk}/plan/").content.decode()
    assert '<mark class="lantern-wording">lifestyle choices<span' in body
    assert "Wording to check:" not in body


def test_a_tasking_decision_on_the_list_is_marked_for_the_manager_and_escaped(p, child,
                                                                              as_user):
    concern = testing.make_concern(child, p.alice, urgent=True)
    as_user(p.fiona).post(f"/tasking/daily/concern-{concern.pk}/",
                          {"decision": "<b>Ask</b> why she chose to go."})
    body = as_user(p.maria).get("/tasking/?list=daily").content.decode()
    assert '<mark class="lantern-wording">chose to' in body and "&lt;b&gt;Ask" in body
    assert "<b>Ask</b>" not in as_user(p.fiona).get("/tasking/?list=daily").content.decode()
