"""Meetings and plans for the demo partnership (`lantern demo`, called at the end of
lantern.site.demo.load, after the intelligence). Everything is fictional.

It shows the whole feature: a MASE held for a Northbridge child (attendance, the family's
participation, minutes, a closed section, the risk assessment with police input and both
oversights, outcomes), the child's one plan with safety, disruption (a Child Abduction Warning
Notice against a suspect from the intelligence) and support actions and outcome measures; and a
MASE convened for another child, ready to run. The text speaks of each child as their record
does (her, him or them)."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from lantern.domain.labels import Pronouns
from lantern.foundation.models import Child, User
from lantern.plans import actions as plans

from . import actions


def load(*, suspect_of: Callable[[Child], object | None] = lambda child: None) -> None:
    """`suspect_of(child)`: a subject intelligence links to the child as a suspect, whom the
    plan's disruption action names (the site's demo passes lantern.intelligence.queries')."""
    users = {u.username: u for u in User.objects.filter(
        username__in=["csemanager", "police", "socialworker", "teacher", "nurse"])}
    manager, police = users["csemanager"], users["police"]
    north = list(Child.objects.filter(area__slug="northbridge", pathways__state__in=[
        "strategy_discussion", "assessment"]).order_by("pk")[:2])
    if len(north) < 2:
        return
    held_for, upcoming_for = north
    now = timezone.now()
    meeting = actions.convene(
        children=[held_for], kind="mase_initial", by=manager, chair=manager,
        scheduled_for=now - timedelta(hours=2), format="in_person", venue="Civic Centre, room 4",
        invitations=[actions.InviteInput("police", user=police),
                     actions.InviteInput("social_worker", user=users["socialworker"]),
                     actions.InviteInput("health_cse_lead", user=users["nurse"]),
                     actions.InviteInput("referrer", user=users["teacher"])])
    # The minutes speak of the child as their record does (issue 15): her, him or them.
    name, pn = held_for.given_names, Pronouns(held_for.gender)
    actions.invite(meeting, by=manager, invitee="parents", name=f"{pn.their_cap} mother",
                   for_child=held_for)
    actions.record_attendance(meeting, {i.pk: "attended" for i in meeting.invitations.all()},
                              by=manager)
    record = meeting.records.get()
    actions.record_participation(record, by=manager, child_participation="views",
                                 family_participation="whole",
                                 reason=f"{name} asked for {pn.their} views to be read out; "
                                 f"{pn.their} mother wants to help keep {pn.them} safe.",
                                 decided_with="Social work team manager")
    for code, text in (("child_views", f"{name} wants to feel safe going to and from school "
                        "and to get back to the youth club."),
                       ("information", "School attendance has fallen to 60%. Two missing "
                        "episodes this month, both found near Mill Road.")):
        item = meeting.agenda.get(code=code)
        actions.save_minutes(item, minutes=text, version=item.version, by=manager)
    section = actions.request_closed_section(meeting, by=police,
                                             reason="Intelligence about a suspect")
    actions.decide_closed_section(section, by=manager, grant=True,
                                  explanation_to_family="The police needed to talk about other "
                                  "people, which they cannot share with families.")
    actions.save_closed_minutes(section, by=manager, minutes="Police shared intelligence "
                                "about the driver of the silver car; an investigation is open.")
    record = actions.record_child_outcome(
        record, by=manager, version=record.version, risk_framework="wm", risk_category=2,
        risk_analysis=f"Adults are grooming {pn.them} with lifts, vapes and phone credit; "
        f"{pn.their} mother and {pn.their} school are protective.",
        csc_input="Open to children's services; assessment under way.",
        police_input="The driver is known to police; disruption is possible.",
        police_input_by="DS on the CSE team", health_input="Seen at the sexual health clinic.",
        outcomes=["multi_agency_support", "criminal_action"],
        next_review_on=timezone.localdate() + timedelta(days=42))
    actions.record_oversight(record, by=manager, comment="Agree category 2.")
    actions.record_oversight(record, by=police, comment="Risk level recorded on police "
                             "systems.", recorded_on_police_systems=True)
    actions.record_decision(meeting, children=[held_for], by=manager,
                            text="Refer to the specialist CSE service for weekly direct work.")
    actions.conclude(meeting, by=manager)
    _plan(held_for, meeting, users, suspect_of(held_for))
    actions.convene(children=[upcoming_for], kind="mase_initial", by=manager, chair=manager,
                    scheduled_for=now + timedelta(days=4), format="video",
                    invitations=[actions.InviteInput("police", user=police)])


def _plan(child, meeting, users, suspect) -> None:
    manager, police = users["csemanager"], users["police"]
    plan = plans.start_plan(child, by=manager, meeting=meeting)
    today = timezone.localdate()

    def add(by, **fields):
        plan.refresh_from_db()
        return plans.add_action(plan, version=plan.version, by=by, meeting=meeting, **fields)[0]

    pn = Pronouns(child.gender)
    add(manager, kind="safety", description=f"{pn.their_cap} mother reports {pn.them} missing "
        "after 30 minutes and calls the police.", risk="Going missing at night",
        owner_name=f"{pn.their_cap} mother", owner_agency_name="Family",
        due_on=today + timedelta(days=7))
    add(manager, kind="support", description="Weekly direct work on healthy relationships.",
        risk="Grooming by older men", owner=users["socialworker"],
        due_on=today + timedelta(days=14))
    if suspect is not None:
        add(police, kind="disruption", disruption_type="cawn",
            subject=suspect, parent_statement=True,
            description="Serve a Child Abduction Warning Notice on the driver.",
            risk=f"The driver collects {pn.them} from school", owner=police,
            due_on=today + timedelta(days=3))
    plan.refresh_from_db()
    plans.record_measures(plan, version=plan.version, by=manager, stage="start",
                          on=today - timedelta(days=1),
                          values={"missing_episodes": 2, "education": 2, "self_esteem": 2,
                                  "risk_awareness": 1})
