"""Building intelligence for tests through the same actions the pages use."""

from lantern import testing
from lantern.foundation.models import Role
from lantern.intelligence import actions
from lantern.intelligence.actions import MentionInput


def person(given="", family="", *, nickname="", phone="", role="suspect", **more):
    raw = ", ".join(x for x in (f"{given} {family}".strip(), nickname, phone) if x)
    return MentionInput(kind="subject", raw_text=raw, role=role, given=given, family=family,
                        nickname=nickname, phone=phone, **more)


def place(name, *, postcode="", role="facilitating"):
    return MentionInput(kind="location", raw_text=name, role=role, name=name, postcode=postcode)


def vehicle(registration, *, role="contact"):
    return MentionInput(kind="vehicle", raw_text=registration, role=role,
                        registration=registration)


def phone(number, *, role="contact"):
    return MentionInput(kind="phone", raw_text=number, role=role, number=number)


def organisation(name, *, role="facilitating"):
    return MentionInput(kind="organisation", raw_text=name, role=role, name=name)


def report(by, children, *mentions, text="Seen with an older man who gives her lifts.",
           source_details="Told by her friend at lunchtime."):
    return actions.submit_report(by=by, text=text, children=list(children),
                                 mentions=list(mentions), source_details=source_details)


def grade(report_, by, handling="P", roles=None, grade_="B"):
    return actions.grade_report(
        report_, by=by, source_grade="2", intelligence_grade=grade_, handling=handling,
        sanitised_text="An adult is giving the child lifts.",
        handling_conditions="Share only with CSE team managers." if handling == "C" else "",
        condition_roles=roles)


def eastmoor_manager(p):
    """Esme, CSE team manager in Eastmoor (the named people have none there)."""
    return testing.UserFactory(username="esme", role=Role.CSE_MANAGER, agency=p.east_csc,
                               email="esme@eastmoor.example")
