"""Missing episodes, a missing-person profile and transition reminders for the demo
partnership (lantern.site.demo calls `load` last). Everything is invented."""

from datetime import timedelta

from lantern.foundation.models import Child
from lantern.people import actions as people

from . import actions as missing
from .models import HowBack, MissingFrom, ReturnInterview
from .reminders import open_due_reminders


def load(users: dict, agencies: dict, now) -> None:
    """Missing episodes for a few Northbridge children: one whose pattern meets the trigger,
    one missing now with a profile to hand to police; then the transition reminders due."""
    police, youthworker = users["police"], users["youthworker"]
    children = []
    for child in Child.objects.filter(area__slug="northbridge", date_of_birth__isnull=False,
                                      date_of_birth__gt=now.date() - timedelta(days=16 * 365),
                                      ).order_by("id")[:2]:
        if not child.looked_after or not child.legal_status:
            child = people.set_looked_after(child, by=users["socialworker"],
                                            version=child.version, looked_after=True,
                                            legal_status="care_order",
                                            reason="Interim care order made")
        people.allocate(child, users["socialworker"], by=users["frontdoor"])
        children.append(child)
    repeated, missing_now = children
    home = agencies["Northbridge Children's Services"]
    for days_ago, hours, place in ((26, 9, "Flat above the takeaway, Mill Road"),
                                   (12, 30, "Northbridge bus station"),
                                   (3, 14, "Flat above the takeaway, Mill Road")):
        went = now - timedelta(days=days_ago, hours=2)
        episode = missing.record_episode(
            repeated, by=police, missing_from=MissingFrom.FOSTER_CARE, placement_agency=home,
            went_missing_at=went, reported_at=went + timedelta(hours=2),
            reported_by="Foster carer", police_reference=f"NB-{days_ago:04d}",
        )
        missing.record_return(
            episode, by=police, returned_at=went + timedelta(hours=hours), found_where=place,
            found_with="Two adult men, one called 'Dee'", how_back=HowBack.FOUND_BY_POLICE,
            police_protection=False, harm=False,
        )
        if days_ago > 5:
            missing.record_interview(
                episode, by=youthworker, outcome=ReturnInterview.Outcome.HELD,
                held_at=went + timedelta(hours=hours + 40),
                interviewer_name=youthworker.display_name,
                interviewer_agency=agencies["Safe Steps Project"],
                child_words="\"Dee picks me up. He says I can stay whenever I want.\"",
                pull_factors=["bristol.pull.somewhere_to_stay", "bristol.pull.gifts"],
                people_mentioned="Dee, adult man, about 25", places_mentioned="Mill Road",
                vehicles_mentioned="Silver hatchback", actions="Share with police; MASE.",
            )
    went = now - timedelta(hours=20)
    missing.save_profile(
        missing_now, by=users["socialworker"], version=None,
        description="Slim, dark shoulder-length hair, usually wears a grey hoodie.",
        phone_numbers="07700 900123 (her own)", places="Northbridge bus station",
        people="Aunt on Canal Street",
    )
    missing.record_episode(
        missing_now, by=police, missing_from=MissingFrom.CHILDRENS_HOME,
        placement_agency=home, went_missing_at=went, reported_at=went + timedelta(hours=1),
        reported_by="Residential worker", police_reference="NB-0001",
    )
    open_due_reminders(now)
