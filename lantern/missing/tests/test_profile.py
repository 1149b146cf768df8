"""The missing-person profile of a looked-after child: held in advance, its photo stored
privately and served only through an access-checked, audited view, edits that never overwrite
each other, a page to print for police, and the handover recorded as an information-sharing
decision."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lantern import testing
from lantern.foundation.models import AuditEvent
from lantern.missing import actions
from lantern.missing.models import MissingPersonProfile, ProfileHandover
from lantern.missing.photos import prepare
from lantern.missing.testing import image_bytes, make_episode, make_profile
from lantern.people import actions as people
from lantern.sharing.models import SharingDecision


@pytest.fixture
def looked_after(p):
    child = testing.make_child(p.alice, given_names="Mia", family_name="Example",
                               looked_after=True)
    people.allocate(child, p.sam, by=p.fiona)
    return child


def profile_data(**changes):
    data = {"description": "Slim, long dark hair, grey hoodie.", "phone_numbers": "07700 900123",
            "places": "Bus station", "people": "Aunt on Canal Street", "health_needs": ""}
    data.update(changes)
    return data


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (53.0, 24.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    return exif.tobytes()


def test_the_allocated_worker_creates_the_profile_with_a_photo(p, looked_after, as_user):
    photo = upload(image_bytes("JPEG", exif=exif_with_gps()))
    response = as_user(p.sam).post(f"/children/{looked_after.pk}/missing-profile/edit/",
                                   {**profile_data(), "photo": photo})
    assert response.status_code == 302
    profile = MissingPersonProfile.objects.get()
    assert profile.version == 1 and profile.updated_by == p.sam
    assert looked_after.chronology.filter(title="Missing-person profile created").exists()
    assert AuditEvent.objects.filter(action="create", object_type="missing.missingpersonprofile",
                                     child=looked_after).exists()


def test_the_photo_is_stored_privately_without_its_metadata(p, looked_after, settings):
    raw = image_bytes("JPEG", exif=exif_with_gps())
    assert Image.open(io.BytesIO(raw)).getexif()
    profile = actions.save_profile(looked_after, by=p.sam, version=None,
                                   photo=_prepare(raw), **profile_data())
    path = Path(profile.photo.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "private")
    assert path.stat().st_mode & 0o077 == 0  # readable by Lantern's own user only
    assert "Mia" not in path.name
    stored = Image.open(path)
    assert stored.format == "JPEG" and not stored.getexif()
    with pytest.raises(ValueError, match="no public URL"):
        profile.photo.url  # noqa: B018


def _prepare(raw: bytes) -> bytes:
    return prepare(upload(raw))


def test_a_file_that_is_not_an_image_is_refused(p, looked_after, as_user):
    response = as_user(p.sam).post(f"/children/{looked_after.pk}/missing-profile/edit/",
                                   {**profile_data(), "photo": upload(b"%PDF-1.4 nonsense",
                                                                      name="photo.jpg")})
    assert "The selected file must be a JPG or PNG" in response.content.decode()
    assert not MissingPersonProfile.objects.exists()


def test_a_gif_is_refused(p, looked_after, as_user):
    gif = upload(image_bytes("GIF"), name="photo.gif", content_type="image/gif")
    response = as_user(p.sam).post(f"/children/{looked_after.pk}/missing-profile/edit/",
                                   {**profile_data(), "photo": gif})
    assert "The selected file must be a JPG or PNG" in response.content.decode()


def test_the_photo_is_served_only_through_the_audited_view(p, looked_after, as_user):
    make_profile(looked_after, p.sam)
    url = f"/children/{looked_after.pk}/missing-profile/photo/"
    response = as_user(p.priya).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "no-store"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"
    event = AuditEvent.objects.get(action="view_photo")
    assert event.actor == p.priya and event.child == looked_after
    assert as_user(p.bob).get(url).status_code == 404
    assert as_user(p.eve).get(url).status_code == 404


def test_a_profile_without_a_photo_has_no_photo_to_serve(p, looked_after, as_user):
    make_profile(looked_after, p.sam, photo=False)
    assert as_user(p.sam).get(
        f"/children/{looked_after.pk}/missing-profile/photo/").status_code == 404


def test_a_profile_is_only_for_a_looked_after_child(p, child, as_user):
    with pytest.raises(actions.MissingError, match="looked-after children"):
        make_profile(child, p.fiona)
    response = as_user(p.fiona).get(f"/children/{child.pk}/missing-profile/edit/")
    assert response.status_code == 302


def test_a_teacher_and_police_read_the_profile_but_cannot_change_it(p, looked_after, as_user):
    make_profile(looked_after, p.sam)
    for user in (p.alice, p.priya):
        assert as_user(user).get(f"/children/{looked_after.pk}/missing-profile/")\
            .status_code == 200
        assert as_user(user).get(f"/children/{looked_after.pk}/missing-profile/edit/")\
            .status_code == 403


def test_an_edit_from_an_old_version_does_not_overwrite_a_newer_one(p, looked_after, as_user):
    profile = make_profile(looked_after, p.sam)
    url = f"/children/{looked_after.pk}/missing-profile/edit/"
    as_user(p.fiona).post(url, {**profile_data(description="Now has short red hair."),
                                "version": profile.version})
    response = as_user(p.sam).post(url, {**profile_data(description="Wears glasses."),
                                         "version": profile.version})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this profile since you opened it" in body
    assert "Now has short red hair." in body and "Wears glasses." in body
    profile.refresh_from_db()
    assert profile.description == "Now has short red hair." and profile.version == 2
    assert f'name="version" value="{profile.version}"' in body


def test_the_action_refuses_a_stale_version(p, looked_after):
    profile = make_profile(looked_after, p.sam)
    actions.save_profile(looked_after, by=p.fiona, version=1, **profile_data())
    with pytest.raises(people.StaleEdit):
        actions.save_profile(looked_after, by=p.sam, version=profile.version, **profile_data())


def test_replacing_the_photo_deletes_the_old_file(
    p, looked_after, django_capture_on_commit_callbacks
):
    profile = make_profile(looked_after, p.sam)
    old = Path(profile.photo.path)
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_profile(looked_after, by=p.sam, version=1, photo=_prepare(image_bytes()),
                             **profile_data())
    assert not old.exists()
    profile.refresh_from_db()
    assert Path(profile.photo.path).exists()


def test_the_print_page_holds_the_profile_and_the_pattern(p, looked_after, as_user):
    make_profile(looked_after, p.sam)
    make_episode(looked_after, p.priya, found_where="Canal Street")
    response = as_user(p.priya).get(f"/children/{looked_after.pk}/missing-profile/print/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Missing-person profile: Mia Example" in body
    assert f'src="/children/{looked_after.pk}/missing-profile/photo/"' in body
    assert "Tall, short dark hair" in body and "Canal Street" in body
    assert "/media/" not in body
    assert AuditEvent.objects.filter(summary="Opened the missing-person profile to print",
                                     actor=p.priya).exists()


def test_handing_the_profile_to_police_is_an_information_sharing_decision(
    p, looked_after, as_user
):
    profile = make_profile(looked_after, p.sam)
    episode = make_episode(looked_after, p.priya, back_after=None)
    data = {"episode": episode.pk, "recipient": "PC Lee Hart, Northbridge Police",
            "what": actions.HANDOVER_WHAT, "purpose": actions.HANDOVER_PURPOSE,
            "lawful_basis": "safeguarding_condition", "consent": "not_sought",
            "consent_detail": "She is missing: there is no one to ask without delay.",
            "override": "significant_harm", "override_reason": "Missing and at risk of CSE.",
            "decided_by_name": "Sam Tester, social worker"}
    response = as_user(p.sam).post(f"/children/{looked_after.pk}/missing-profile/hand-over/",
                                   data)
    assert response.status_code == 302
    handover = ProfileHandover.objects.get()
    assert (handover.profile, handover.episode, handover.profile_version) == (profile, episode, 1)
    decision = handover.decision
    assert decision.outcome == SharingDecision.Outcome.SHARED
    assert decision.recipient == "PC Lee Hart, Northbridge Police"
    assert looked_after.chronology.filter(
        title="Shared information with PC Lee Hart, Northbridge Police").exists()
    assert AuditEvent.objects.filter(action="hand_over", child=looked_after).exists()
    body = as_user(p.sam).get(f"/children/{looked_after.pk}/missing-profile/").content.decode()
    assert "to PC Lee Hart, Northbridge Police" in body


def test_a_handover_without_consent_needs_the_grounds(p, looked_after, as_user):
    make_profile(looked_after, p.sam)
    data = {"recipient": "PC Lee Hart", "what": "Profile", "purpose": "Find her",
            "lawful_basis": "vital_interests", "consent": "refused",
            "consent_detail": "Her mother refused.", "decided_by_name": "Sam"}
    body = as_user(p.sam).post(f"/children/{looked_after.pk}/missing-profile/hand-over/",
                               data).content.decode()
    assert "Select the grounds for sharing without consent" in body
    assert not ProfileHandover.objects.exists()


def test_the_record_says_whether_a_profile_is_held(p, looked_after, as_user, settings,
                                                    tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = looked_after.get_absolute_url()
    assert "Missing-person profile</a> (none held yet)" in as_user(p.sam).get(url).content.decode()
    make_profile(looked_after, p.sam, photo=False)
    body = as_user(p.sam).get(url).content.decode()
    assert "Missing-person profile</a></li>" in body and "none held yet" not in body
