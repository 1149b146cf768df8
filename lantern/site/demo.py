"""A fictional partnership for trying Lantern locally: two areas, agencies of every kind, one
account per role, and about fifty children at every stage of the pathway.

Everything is invented. Names come from Faker's en_GB lists with a fixed seed; postcodes use
the unused "NB" and "EM" areas; NHS numbers use the 999 range the NHS reserves for testing.
The demo passwords are for local use only: `lantern demo` refuses to run when
LANTERN_ENVIRONMENT is "production".
"""

import hashlib
import random
from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from lantern.domain.labels import Pronouns
from lantern.domain.screening import ScreeningInput, evaluate
from lantern.foundation import notify
from lantern.foundation.models import Agency, AgencyKind, Area, Gender, Nation, Role, User
from lantern.intelligence import demo as intelligence_demo
from lantern.intelligence import queries as intelligence_queries
from lantern.meetings import demo as meetings_demo
from lantern.missing import demo as missing_demo
from lantern.monitoring import demo as monitoring_demo
from lantern.pathway import actions as pathway
from lantern.pathway import queries as pathway_queries
from lantern.pathway.actions import Consent, Outcome
from lantern.people import actions as people
from lantern.screening import actions as screening_actions
from lantern.screening import registry

SEED = 20261128


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    agency: str
    first_name: str
    last_name: str
    job_title: str

    @property
    def password(self) -> str:
        # Local demo only; README lists these. Never created in production.
        return f"lantern-demo-{self.username}"

    @property
    def totp_key(self) -> str:
        """The demo authenticator key (hex), fixed so the demo can be scripted."""
        return hashlib.sha256(f"lantern-demo-totp-{self.username}".encode()).hexdigest()[:40]


NORTHBRIDGE_AGENCIES = [
    ("Northbridge Police", AgencyKind.POLICE),
    ("Northbridge Children's Services", AgencyKind.CHILDRENS_SOCIAL_CARE),
    ("Riverside Academy", AgencyKind.EDUCATION),
    ("Hillcrest School", AgencyKind.EDUCATION),
    ("Northbridge Community Health", AgencyKind.HEALTH),
    ("Northbridge Youth Justice Service", AgencyKind.YOUTH_OFFENDING),
    ("Northbridge Homes", AgencyKind.HOUSING),
    ("Safe Steps Project", AgencyKind.VOLUNTARY),
    ("Northbridge Probation", AgencyKind.PROBATION),
    ("Northbridge Safeguarding Partnership", AgencyKind.OTHER),
]
EASTMOOR_AGENCIES = [
    ("Eastmoor Police", AgencyKind.POLICE),
    ("Eastmoor Children's Services", AgencyKind.CHILDRENS_SOCIAL_CARE),
    ("Eastmoor High School", AgencyKind.EDUCATION),
]

ACCOUNTS = [
    DemoAccount("teacher", Role.REFERRER, "Riverside Academy", "Tess", "Marlow", "Teacher"),
    DemoAccount("dsl", Role.DSL, "Riverside Academy", "Dev", "Sandhu",
                "Designated safeguarding lead"),
    DemoAccount("frontdoor", Role.FRONT_DOOR, "Northbridge Children's Services", "Fran",
                "Okafor", "MASH social worker"),
    DemoAccount("socialworker", Role.SOCIAL_WORKER, "Northbridge Children's Services", "Sam",
                "Whitfield", "Social worker"),
    DemoAccount("csemanager", Role.CSE_MANAGER, "Northbridge Children's Services", "Carys",
                "Penrose", "CSE team manager"),
    DemoAccount("police", Role.POLICE, "Northbridge Police", "Pat", "Quayle",
                "Detective sergeant, CSE team"),
    DemoAccount("analyst", Role.ANALYST, "Northbridge Safeguarding Partnership", "Ana",
                "Lindqvist", "Partnership data analyst"),
    DemoAccount("board", Role.BOARD, "Northbridge Safeguarding Partnership", "Bo", "Ferris",
                "Quality assurance sub-group"),
    DemoAccount("admin", Role.ADMIN, "Northbridge Safeguarding Partnership", "Ade",
                "Mensah", "System administrator"),
    # Granting police, CSE manager or administrator needs a second administrator (issue 13).
    DemoAccount("admin2", Role.ADMIN, "Northbridge Safeguarding Partnership", "Zoe",
                "Achterberg", "System administrator"),
]

# {They}, {them}, {their}: the child's own pronouns (lantern.domain.labels.Pronouns).
NARRATIVES = [
    "Seen getting into a silver car with two adult men outside the school gates at 15:20. "
    "{They} looked frightened and did not reply when a member of staff called {their} name.",
    "Has had three new phones this term and will not say where the phones came from. Friends "
    "say an older man called 'Dee' buys {them} things.",
    "Reported missing overnight by carers; returned at 07:00 smelling of alcohol and with a "
    "bruise on {their} arm {they} tried to hide.",
    "Told the school nurse about staying at a flat above the takeaway on Mill Road at weekends "
    "with adults met online.",
    "Attendance has fallen to 40%. Seen in the park after dark with adults known to police.",
    "Disclosed that an adult asked for images and threatened to share earlier ones.",
    "Came into school in new expensive clothes and with cash; has stopped seeing old friends.",
]


def _about(child, text: str) -> str:
    """Demo text with the child's own pronouns."""
    pn = Pronouns(child.gender)
    text = text.replace("{They}", pn.they.capitalize())
    return text.format(they=pn.they, them=pn.them, their=pn.their)


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = "999" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            return digits + str(check)


def is_loaded() -> bool:
    return User.objects.filter(username="teacher").exists()


@transaction.atomic
def load() -> None:
    # The invented people are told in Lantern as the stories unfold, never by email.
    with notify.without_email():
        _load()


def _load() -> None:
    fake = Faker("en_GB")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)
    now = timezone.now()

    northbridge = Area.objects.create(
        name="Northbridge", slug="northbridge", nation=Nation.ENGLAND, policy_profile="coventry"
    )
    eastmoor = Area.objects.create(
        name="Eastmoor", slug="eastmoor", nation=Nation.ENGLAND, policy_profile="coventry"
    )
    agencies = {}
    for area, listed in ((northbridge, NORTHBRIDGE_AGENCIES), (eastmoor, EASTMOOR_AGENCIES)):
        for name, kind in listed:
            agencies[name] = Agency.objects.create(name=name, kind=kind, area=area)

    users = {}
    for account in ACCOUNTS:
        user = User(
            username=account.username,
            first_name=account.first_name,
            last_name=account.last_name,
            email=f"{account.username}@northbridge.example",
            role=account.role,
            agency=agencies[account.agency],
            job_title=account.job_title,
            is_staff=account.role == Role.ADMIN,
            is_superuser=account.role == Role.ADMIN,
        )
        user.set_password(account.password)
        user.save()
        TOTPDevice.objects.create(user=user, name="Demo authenticator", key=account.totp_key,
                                  confirmed=True)
        users[account.username] = user
    users["frontdoor"].manager = users["csemanager"]
    users["socialworker"].manager = users["csemanager"]
    users["frontdoor"].save(update_fields=["manager"])
    users["socialworker"].save(update_fields=["manager"])
    # Staff who refer from other agencies, and Eastmoor's own front door.
    extra = [
        ("nurse", Role.REFERRER, "Northbridge Community Health", "School nurse"),
        ("youthworker", Role.REFERRER, "Safe Steps Project", "Youth worker"),
        ("eastmoor.teacher", Role.REFERRER, "Eastmoor High School", "Teacher"),
        ("eastmoor.frontdoor", Role.FRONT_DOOR, "Eastmoor Children's Services",
         "Contact centre social worker"),
    ]
    for username, role, agency, title in extra:
        user = User(
            username=username, first_name=fake.first_name(), last_name=fake.last_name(),
            role=role, agency=agencies[agency], job_title=title,
        )
        user.set_unusable_password()
        user.save()
        users[username] = user

    framework = registry.get("wm")
    northbridge_referrers = [users["teacher"], users["dsl"], users["nurse"],
                             users["youthworker"], users["police"]]
    outcomes = [Outcome.ASSESSMENT, Outcome.STRATEGY_DISCUSSION, Outcome.EARLY_HELP,
                Outcome.SINGLE_AGENCY, Outcome.SECTION_47, Outcome.NO_FURTHER_ACTION]

    for index in range(50):
        in_eastmoor = index >= 44
        referrer = users["eastmoor.teacher"] if in_eastmoor else northbridge_referrers[
            index % len(northbridge_referrers)
        ]
        child = _child(fake, rng, referrer, now)
        stage = index % 4 if not in_eastmoor else 2
        observed = (now - timedelta(days=rng.randint(1, 60))).date()
        concern = pathway.record_concern(
            child,
            by=referrer,
            observed_on=observed,
            narrative=_about(child, rng.choice(NARRATIVES)),
            child_words=rng.choice(["", "\"He's my friend, he looks after me.\"",
                                    "\"I don't want to talk about it.\""]),
            urgent=rng.random() < 0.1,
            discussed_with="Dev Sandhu, designated safeguarding lead"
            if referrer.working_agency.name == "Riverside Academy" else "",
        )
        if stage == 0:
            continue  # a concern, not yet screened
        screening = _screen(rng, framework, child, referrer, concern)
        if stage == 1:
            continue  # screened, no referral yet
        hours_ago = rng.choice([2, 5, 11, 20, 23, 26, 30, 40])
        consent = rng.choice([Consent.GIVEN, Consent.REFUSED, Consent.NOT_SOUGHT])
        referral = pathway.refer(
            child,
            by=referrer,
            reason="Screened as at risk of sexual exploitation. Concerns about adults the "
            "child is spending time with; asking for an assessment and a multi-agency plan.",
            urgent=False,
            consent=consent,
            # Why the referrer went without consent: only when they did.
            consent_detail="" if consent == Consent.GIVEN else (
                "Seeking consent could place the child at greater risk from the adults "
                "involved."),
            concern=concern,
            screening=screening,
            received_at=now - timedelta(hours=hours_ago, minutes=rng.randint(0, 59)),
        )
        if stage == 2:
            continue  # awaiting a decision (some overdue)
        outcome = outcomes[index % len(outcomes)]
        if outcome in (Outcome.EARLY_HELP, Outcome.SINGLE_AGENCY, Outcome.NO_FURTHER_ACTION):
            # A meeting the category calls for is not held only on a manager's recorded
            # exception (issue 14).
            current = pathway_queries.open_pathway(child)
            for requirement in (pathway_queries.outstanding_requirements(current)
                                if current is not None else []):
                pathway.record_meeting_exception(
                    requirement, by=users["csemanager"],
                    reason="MASH checks found the adults were family members who have no "
                    "contact; the school and family keep her safe without a meeting.")
        rationale = ("Information from the referrer, police and health checked in the MASH. "
                     "The decision follows the screening and what is known of the adults "
                     "involved.")
        allocate_to = users["socialworker"] if outcome in (
            Outcome.ASSESSMENT, Outcome.SECTION_47, Outcome.STRATEGY_DISCUSSION) else None
        try:
            pathway.decide_referral(referral, outcome, by=users["frontdoor"],
                                    rationale=rationale, allocate_to=allocate_to)
        except pathway.ManagerApprovalNeeded:
            # No further action at the highest category is the manager's decision.
            pathway.decide_referral(referral, outcome, by=users["csemanager"],
                                    rationale=rationale, allocate_to=allocate_to)
    # Each app adds its own part (its demo.py), in the order the stories build on each other.
    missing_demo.load(users, agencies, now)
    # Invented intelligence, entities and triggers (issue 7).
    intelligence_demo.load()
    # Meetings and the one plan per child (issue 6); a disruption action names a suspect the
    # intelligence links to the child.
    meetings_demo.load(suspect_of=intelligence_queries.suspect_linked_to)
    # Each agency's CSE lead (issue 17, item 5).
    monitoring_demo.load(users, agencies)


def _child(fake: Faker, rng: random.Random, by: User, now):
    today = now.date()
    age_days = rng.randint(11 * 365, 17 * 365 + 300)
    gender = rng.choice([Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.NON_BINARY])
    given = fake.first_name_female() if gender == Gender.FEMALE else fake.first_name_male()
    family = fake.last_name()
    estimated = rng.random() < 0.06
    area_code = "EM" if by.working_agency.area.slug == "eastmoor" else "NB"
    return people.add_child(
        by=by,
        given_names=given,
        family_name=family,
        known_as=given[:3] if rng.random() < 0.2 else "",
        aliases=[f"{fake.first_name()} {family}"] if rng.random() < 0.1 else [],
        date_of_birth=None if estimated else today - timedelta(days=age_days),
        estimated_age=age_days // 365 if estimated else None,
        gender=gender,
        ethnicity=rng.choice(["white_british", "asian_pakistani", "black_african",
                              "mixed_white_black_caribbean", "white_other", "not_known"]),
        first_language=rng.choice(["English", "English", "English", "Urdu", "Polish",
                                   "Somali"]),
        learning_disability=rng.random() < 0.1,
        looked_after=rng.random() < 0.2,
        unaccompanied_asylum_seeking=rng.random() < 0.04,
        address=f"{rng.randint(1, 120)} {fake.street_name()}\n"
        f"{'Eastmoor' if area_code == 'EM' else 'Northbridge'}",
        postcode=f"{area_code}{rng.randint(1, 9)} {rng.randint(1, 9)}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        school=rng.choice(["Riverside Academy", "Hillcrest School", ""]),
        nhs_number=_nhs_number(rng),
    )


def _screen(rng: random.Random, framework, child, by: User, concern):
    codes = [i.code for i in framework.indicators]
    ticked = frozenset(rng.sample(codes[:21], rng.randint(1, 3))
                       + rng.sample(codes[21:], rng.choice([0, 0, 1, 2])))
    given = ScreeningInput(
        age=child.age().years,
        indicators=ticked,
        learning_disability=child.learning_disability,
        screener_role=by.role,
    )
    suggestion = evaluate(framework, given, child.area.local_settings)
    return screening_actions.record_screening(
        child,
        by=by,
        given=given,
        suggestion=suggestion,
        final_category=suggestion.minimum,
        analysis="The indicators together suggest the child is being targeted by adults who "
        "give gifts and transport to build control. Risk comes from those adults.",
        child_views=_about(child, "Says everything is fine and the adults are {their} friends."),
        protective_factors=_about(child, "Close to {their} grandmother; attends youth club on "
                                         "Tuesdays."),
        concern=concern,
    )


def accounts() -> list[dict]:
    """The demo accounts with their TOTP secrets (base32, as authenticator apps take them)."""
    rows = []
    for account in ACCOUNTS:
        device = TOTPDevice.objects.filter(user__username=account.username, confirmed=True).first()
        rows.append({
            "username": account.username,
            "password": account.password,
            "role": account.role,
            "agency": account.agency,
            "totp_secret": b32encode(device.bin_key).decode() if device else None,
        })
    return rows


def current_code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
