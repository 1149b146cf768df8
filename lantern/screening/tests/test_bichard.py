"""Concerns about sexual activity of a young person under 18: the Bichard questions and the
flowchart's decisions (seed 000, appendix 2; SPEC §3.3)."""

from lantern import testing
from lantern.domain import language
from lantern.foundation.models import ChronologyEntry
from lantern.screening import bichard
from lantern.screening.models import BichardAssessment


def _data(**changes):
    data = {f"q_{q.code}": "not_known" for q in bichard.load().questions}
    data.update({"q_imbalance": "yes", "n_imbalance": "He is 24; she is 15.",
                 "other_person_age": "24", "discussed_with": "Dev Sandhu, DSL",
                 "refer_to_social_care": "yes", "reasons": "Age and power imbalance.",
                 "consent": "given"})
    data.update(changes)
    return data


def _url(child):
    return f"/children/{child.pk}/sexual-activity-concerns/new/"


def test_every_question_must_be_answered(p, child, as_user):
    body = as_user(p.alice).post(_url(child), {}).content.decode()
    for question in bichard.load().questions:
        if question.answer == "yes_no":
            assert f"Answer: {question.wording}".replace("'", "&#x27;") in body


def test_a_referral_decision_leads_on_to_the_referral(p, child, as_user):
    response = as_user(p.alice).post(_url(child), _data())
    assert response["Location"] == f"/children/{child.pk}/refer/"
    assessment = BichardAssessment.objects.get()
    assert assessment.answers["imbalance"] == {"answer": "yes", "note": "He is 24; she is 15."}
    assert ChronologyEntry.objects.filter(kind="bichard", child=child).exists()


def test_a_decision_not_to_refer_is_kept_with_its_reasons(p, child, as_user):
    response = as_user(p.alice).post(_url(child), _data(refer_to_social_care="no",
                                                        reasons="Same-age friend."))
    assessment = BichardAssessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    assert assessment.refer_to_social_care is False and assessment.reasons == "Same-age friend."


def test_a_child_under_13_is_always_referred(p, as_user):
    young = testing.make_child(p.alice, date_of_birth=testing.birthday_years_ago(12))
    body = as_user(p.alice).post(_url(young), _data(refer_to_social_care="no")).content
    assert "A child under 13 cannot consent to sexual activity in law" in body.decode()
    assert not BichardAssessment.objects.exists()


def test_consent_not_sought_needs_a_reason(p, child, as_user):
    body = as_user(p.alice).post(_url(child), _data(consent="not_sought")).content.decode()
    assert "Enter why consent was refused or not sought" in body


def test_an_older_partner_is_flagged(p, child, as_user):
    as_user(p.alice).post(_url(child), _data())
    body = as_user(p.alice).get(BichardAssessment.objects.get().get_absolute_url()).content
    assert "five or more years older" in body.decode()


def test_it_is_only_for_young_people_under_18(p, as_user):
    adult = testing.make_child(p.alice, date_of_birth=testing.birthday_years_ago(18))
    assert as_user(p.alice).get(_url(adult)).status_code == 404


def test_the_questions_are_worded_without_blaming_the_young_person():
    for question in bichard.load().questions:
        assert not language.check(question.wording), question.wording


def test_the_young_persons_view_is_asked_in_words_not_yes_or_no(p, child, as_user):
    body = as_user(p.alice).get(_url(child)).content.decode()
    assert 'name="n_young_persons_view"' in body
    assert 'name="q_young_persons_view"' not in body


def test_the_young_persons_own_words_are_kept(p, child, as_user):
    words = "He says he loves me and that my mum just doesn't get it."
    as_user(p.alice).post(_url(child), _data(n_young_persons_view=words))
    answer = BichardAssessment.objects.get().answers["young_persons_view"]
    assert answer == {"answer": "text", "note": words}
