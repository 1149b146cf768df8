"""Invented intelligence for the demo partnership (`lantern demo`, called at the end of
lantern.site.demo.load). Everything is fictional: people come from the synthetic generator
(Faker en_GB, phone numbers from Ofcom's drama ranges), places use the unused NB postcode area.

It shows the whole feature: "Mo", "Mohammed K" and "MOHAMED KHAN" sharing one phone proposed
as one person; one car written "AB12 CDE" and "ab12cde"; a flat used to exploit children; a
taxi firm; a child of Eastmoor linked to a Northbridge suspect (a joint complex strategy);
gradings with handling codes P and C; and a batch of synthetic people written several ways.
"""

import random

from lantern.domain import synthetic
from lantern.foundation.models import Child, User

from . import actions
from .actions import MentionInput

SEED = 20261128


def _person(given="", family="", *, nickname="", phone="", born=None, role="suspect"):
    raw = ", ".join(x for x in (f"{given} {family}".strip(), f"'{nickname}'" if nickname else "",
                                phone) if x)
    return MentionInput(kind="subject", raw_text=raw, role=role, given=given, family=family,
                        nickname=nickname, phone=phone, birth_year=born)


def load() -> None:
    users = {u.username: u for u in User.objects.filter(
        username__in=["teacher", "nurse", "youthworker", "police", "eastmoor.teacher"])}
    north = list(Child.objects.filter(area__slug="northbridge").order_by("pk")[:12])
    east = list(Child.objects.filter(area__slug="eastmoor").order_by("pk")[:2])
    police = users["police"]
    token = actions.email_alerts.set(False)
    try:
        reports = [
            actions.submit_report(
                by=users["teacher"], children=[north[0]],
                text="Jade's friends say an older man called Mo picks her up after school in a "
                "silver car and gives her vapes and phone credit.",
                source_details="Two of her friends, separately, at lunchtime.",
                mentions=[_person(nickname="Mo", phone="07700 900461"),
                          MentionInput(kind="vehicle", raw_text="silver car AB12 CDE",
                                       role="contact", registration="AB12 CDE",
                                       colour="Silver")]),
            actions.submit_report(
                by=users["nurse"], children=[north[1]],
                text="Said she stays at 'Mohammed K's' flat above the takeaway on Mill Road "
                "at weekends with other girls.",
                mentions=[_person("Mohammed", "K", phone="+44 7700 900461"),
                          MentionInput(kind="location", raw_text="flat above the takeaway, "
                                       "Mill Road", role="facilitating",
                                       name="Flat above the takeaway", address="Mill Road",
                                       postcode="NB1 2AB")]),
            actions.submit_report(
                by=police, children=[north[2], east[0]],
                text="Vehicle ab12cde stopped outside the Mill Road takeaway at 23:40 with two "
                "girls in the back; driver MOHAMED KHAN, born 1991.",
                source_details="Patrol stop, PC 4410.",
                mentions=[_person("MOHAMED", "KHAN", phone="07700900461", born=1991),
                          MentionInput(kind="vehicle", raw_text="ab12cde", role="contact",
                                       registration="ab12cde"),
                          MentionInput(kind="organisation", raw_text="Speedy Cars",
                                       role="facilitating", name="Speedy Cars",
                                       business="Taxi firm")]),
            actions.submit_report(
                by=users["youthworker"], children=[north[3]],
                text="Contacted on Snapchat by 'dee.rich' offering a job at a party.",
                mentions=[MentionInput(kind="online", raw_text="dee.rich on Snapchat",
                                       role="contact", platform="Snapchat",
                                       handle="@dee.rich")]),
        ]
        _synthetic(users, north, reports)
    finally:
        actions.email_alerts.reset(token)
    for n, report in enumerate(reports):
        actions.grade_report(
            report, by=police, source_grade="2" if n else "1",
            intelligence_grade="B" if n % 2 else "C", handling="C" if n == 3 else "P",
            handling_conditions="Do not share with the family." if n == 3 else "",
            condition_roles=["cse_manager"] if n == 3 else None,
            sanitised_text="An adult is giving the child lifts, gifts and phone credit and "
            "taking children to a flat." if n < 3 else "An adult contacted the child online.")


def _synthetic(users, north, reports) -> None:
    """Invented people written the ways agencies write them, a few mentions each."""
    rng = random.Random(SEED)  # noqa: S311 - a repeatable demo, not secrets
    _people, mentions = synthetic.generate(8, seed=SEED, mentions=(2, 3))
    authors = [users["teacher"], users["nurse"], users["youthworker"], users["police"]]
    for m in mentions:
        child = north[4 + rng.randrange(len(north) - 4)]
        reports.append(actions.submit_report(
            by=rng.choice(authors), children=[child],
            text="Seen with an adult who gives her lifts and gifts.",
            mentions=[MentionInput(
                kind="subject", raw_text=", ".join(x for x in (m.given, m.family, m.nickname,
                                                               m.phone) if x),
                role=rng.choice(["suspect", "associated"]), given=m.given, family=m.family,
                nickname=m.nickname, phone=m.phone, date_of_birth=m.date_of_birth,
                birth_year=m.birth_year, birth_month=m.birth_month)]))
