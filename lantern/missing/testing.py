"""Test helpers for missing episodes, interviews, profiles and transition plans: each goes
through the app's actions, as the pages do."""

import io
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from . import actions
from .models import HowBack, MissingFrom, ReturnInterview
from .photos import prepare


def make_episode(child, by, *, went_missing_at: datetime | None = None,
                 back_after: timedelta | None = timedelta(hours=6), found_where="Mill Road",
                 **details):
    """An episode that began `went_missing_at` (default: a day ago); the child back after
    `back_after` (None: still missing)."""
    went = went_missing_at or timezone.now() - timedelta(days=1)
    defaults: dict[str, Any] = {
        "missing_from": MissingFrom.FOSTER_CARE, "reported_at": went + timedelta(hours=1),
        "reported_by": "Foster carer"}
    defaults.update(details)
    episode = actions.record_episode(child, by=by, went_missing_at=went, **defaults)
    if back_after is not None:
        episode = make_return(episode, by, returned_at=went + back_after,
                              found_where=found_where)
    return episode


def make_return(episode, by, *, returned_at: datetime, **details):
    defaults: dict[str, Any] = {"found_where": "Mill Road", "how_back": HowBack.FOUND_BY_POLICE,
                "police_protection": False, "harm": False}
    defaults.update(details)
    return actions.record_return(episode, by=by, returned_at=returned_at, **defaults)


def make_interview(episode, by, *, agency, **details):
    if "held_at" not in details:
        details["held_at"] = min(episode.returned_at + timedelta(hours=24), timezone.now())
    defaults = {"outcome": ReturnInterview.Outcome.HELD,
                "interviewer_name": "Robin Vale", "child_words": "\"I went to see a friend.\"",
                "actions": "Offer weekly sessions."}
    defaults.update(details)
    return actions.record_interview(episode, by=by, interviewer_agency=agency, **defaults)


def image_bytes(fmt="PNG", size=(8, 6), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif else {}
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **kwargs)
    return out.getvalue()


def make_profile(child, by, *, photo: bool = True, **details):
    defaults: dict[str, Any] = {"description": "Tall, short dark hair, grey hoodie.",
                "phone_numbers": "07700 900123", "places": "Bus station",
                "people": "Aunt on Canal Street"}
    defaults.update(details)
    jpeg = prepare(SimpleUploadedFile("p.png", image_bytes())) if photo else None
    return actions.save_profile(child, by=by, version=None, photo=jpeg, **defaults)
