"""Victim-blaming wording in saved text is marked when a CSE team manager reads it (issue 15,
item 5; SPEC §12), with the child-centred alternative; not only while it is typed."""

from lantern import testing

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
