from django.utils import timezone

from lantern.foundation.models import AuditEvent, ChronologyEntry
from lantern.pathway.models import Concern


def _data(**changes):
    today = timezone.localdate()
    data = {
        "observed_on_day": today.day, "observed_on_month": today.month,
        "observed_on_year": today.year, "observed_time": "15:20",
        "narrative": "Seen getting into a silver car with two adult men.",
        "child_words": "He's my friend.", "urgent": "no",
    }
    data.update(changes)
    return data


def test_recording_a_concern_saves_it_and_moves_on_to_screening(p, child, as_user):
    response = as_user(p.alice).post(f"/children/{child.pk}/concerns/new/", _data())
    concern = Concern.objects.order_by("-pk").first()
    assert response["Location"] == f"/children/{child.pk}/screenings/new/?concern={concern.pk}"
    assert concern.observed_time.strftime("%H:%M") == "15:20"
    assert concern.agency == p.riverside


def test_the_concern_is_in_the_chronology_and_the_audit(p, child, as_user):
    as_user(p.alice).post(f"/children/{child.pk}/concerns/new/", _data())
    concern = Concern.objects.order_by("-pk").first()
    assert ChronologyEntry.objects.filter(child=child, url=concern.get_absolute_url()).exists()
    assert AuditEvent.objects.filter(object_type="pathway.concern",
                                     object_id=str(concern.pk), action="create").exists()


def test_what_happened_is_required_and_the_rest_is_kept(p, child, as_user):
    body = as_user(p.alice).post(
        f"/children/{child.pk}/concerns/new/", _data(narrative="")
    ).content.decode()
    assert "Enter what happened" in body
    assert "He&#x27;s my friend." in body


def test_a_time_that_is_not_a_time_is_explained(p, child, as_user):
    body = as_user(p.alice).post(
        f"/children/{child.pk}/concerns/new/", _data(observed_time="teatime")
    ).content.decode()
    assert "Enter the time as hours and minutes, like 14:30" in body


def test_urgent_must_be_answered(p, child, as_user):
    body = as_user(p.alice).post(
        f"/children/{child.pk}/concerns/new/", _data(urgent="")
    ).content.decode()
    assert "Select yes if the child is at immediate risk of significant harm" in body


def test_victim_blaming_words_are_noticed_while_typing(p, child, as_user):
    body = as_user(p.alice).post(
        "/concerns/language-check/", {"narrative": "She is promiscuous"}
    ).content.decode()
    assert "promiscuous" in body and "the child is a victim" in body


BLAMING = "She keeps putting herself at risk and it was her choice."


def test_wording_not_yet_shown_is_shown_before_the_concern_is_saved(p, child, as_user):
    """Sent before the check while typing answered: nothing saved, the page says so, lists
    the words to check and keeps everything typed."""
    before = Concern.objects.count()
    response = as_user(p.alice).post(f"/children/{child.pk}/concerns/new/",
                                     _data(narrative=BLAMING))
    assert response.status_code == 200 and Concern.objects.count() == before
    body = response.content.decode()
    assert "The concern has not been saved yet: check its wording" in body
    assert "“putting herself at risk”" in body and "“her choice”" in body
    assert BLAMING in body and "He&#x27;s my friend." in body
    assert 'name="wording_checked" value="her choice|putting herself at risk"' in body


def test_wording_once_shown_is_the_authors_to_keep(p, child, as_user):
    client = as_user(p.alice)
    response = client.post(f"/children/{child.pk}/concerns/new/", _data(
        narrative=BLAMING, wording_checked="her choice|putting herself at risk"))
    assert response.status_code == 302
    assert Concern.objects.order_by("-pk").first().narrative == BLAMING


def test_wording_added_after_the_check_is_shown_too(p, child, as_user):
    response = as_user(p.alice).post(f"/children/{child.pk}/concerns/new/", _data(
        narrative=f"{BLAMING} She is promiscuous.", wording_checked="her choice"))
    assert response.status_code == 200
    assert "“promiscuous”" in response.content.decode()


def test_the_check_while_typing_names_what_it_showed_for_the_form(p, child, as_user):
    body = as_user(p.alice).post("/concerns/language-check/",
                                 {"narrative": BLAMING}).content.decode()
    assert 'name="wording_checked" value="her choice|putting herself at risk"' in body


def test_another_school_cannot_record_a_concern_about_a_child_it_cannot_see(p, child, as_user):
    response = as_user(p.bob).post(f"/children/{child.pk}/concerns/new/", _data())
    assert response.status_code == 404
    assert Concern.objects.count() == 1


def test_reading_a_concern_is_audited(p, child, as_user):
    concern = Concern.objects.get()
    as_user(p.priya).get(concern.get_absolute_url())
    assert AuditEvent.objects.filter(action="view", object_type="pathway.concern").exists()


def test_a_concern_is_hidden_from_other_areas(p, child, as_user):
    concern = Concern.objects.get()
    assert as_user(p.eve).get(concern.get_absolute_url()).status_code == 404


def test_a_date_before_the_child_was_born_is_refused_and_the_rest_is_kept(p, child, as_user):
    born = child.date_of_birth
    assert born is not None
    before = Concern.objects.count()
    body = as_user(p.alice).post(f"/children/{child.pk}/concerns/new/", _data(
        observed_on_day=str(born.day), observed_on_month=str(born.month),
        observed_on_year=str(born.year - 1))).content.decode()
    assert ("The date you saw or heard this must be on or after the child&#x27;s date of "
            f"birth, {born:%-d %B %Y}") in body
    assert Concern.objects.count() == before
