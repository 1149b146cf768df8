"""Factories and the named people every access test uses (after healthchecks' alice, bob and
charlie), so each test reads the same way:

    alice   teacher (referrer) at Riverside Academy, Northbridge: her agency records concerns
    bob     teacher at Hillcrest School, Northbridge: another agency in the same area
    carol   teacher at Eastmoor High School: another area
    fiona   front-door worker, Northbridge Children's Services
    eve     front-door worker, Eastmoor Children's Services: front door of another area
    sam     social worker, Northbridge Children's Services (allocated only where a test says)
    maria   CSE team manager, Northbridge Children's Services
    priya   police, Northbridge Police
    ana     analyst, Northbridge Safeguarding Partnership
    bea     board member, Northbridge Safeguarding Partnership
    ade     administrator, Northbridge Safeguarding Partnership
"""

import copy
import hashlib
import pickle
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import factory
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.domain.screening import ScreeningInput, evaluate
from lantern.foundation import grants
from lantern.foundation.models import (
    Agency,
    AgencyKind,
    Area,
    Gender,
    Grant,
    GrantBasis,
    Role,
    User,
)
from lantern.pathway import actions as pathway
from lantern.pathway.models import Consent
from lantern.people import actions as people
from lantern.screening import actions as screening_actions
from lantern.screening import registry

PASSWORD = "correct-horse-battery-staple"


def totp_key(username: str) -> str:
    """A fixed TOTP key (hex) per test user, so a browser test can compute the current code."""
    return hashlib.sha256(f"lantern-test-{username}".encode()).hexdigest()[:40]


def add_authenticator(user) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Authenticator app",
        defaults={"key": totp_key(user.username), "confirmed": True},
    )
    return device


def current_code(user) -> str:
    """A code the user's authenticator app shows, that the server will still accept.

    Usually the code of this time step. A second sign-in within the same step (a browser test
    that signs the same person in twice in 30 seconds) would reuse a code, which the server
    rightly refuses as a replay: then it is the next step's code, which the device accepts
    within its tolerance, as from an app whose clock runs a little ahead. Only a third sign-in
    in one step waits for the clock.
    """
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    while True:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = totp.t()
        ahead = max(0, device.last_t + 1 - now)
        if ahead <= device.tolerance:
            totp.drift += ahead
            return f"{totp.token():0{device.digits}d}"
        time.sleep(1)
        device.refresh_from_db()


def sign_in_client(client, user):
    """A test client signed in as `user` with both factors, as after the real sign-in."""
    device = add_authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def signed_in_session(user) -> str:
    """The key of a new session signed in as `user` (sign_in_client's), for tests that each
    start from the same signed-in session (`use_session`) instead of signing in again."""
    client = Client()
    sign_in_client(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def use_session(client, key: str):
    """A test client that sends the session `key` (signed_in_session's) as its cookie."""
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


class AreaFactory(factory.django.DjangoModelFactory[Area]):
    class Meta:
        model = Area
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.LazyAttribute(lambda a: a.name.lower().replace(" ", "-"))
    policy_profile = "coventry"


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("area", "name")

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.EDUCATION
    area = factory.SubFactory(AreaFactory)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    last_name = "Tester"
    role = Role.REFERRER
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()
            add_authenticator(instance)


def make_child(by: User, **details):
    """A child's record added by `by` (so `by`'s agency created it)."""
    defaults: dict[str, Any] = {
        "given_names": "Jade",
        "family_name": "Example",
        "date_of_birth": timezone.localdate() - timedelta(days=14 * 365 + 100),
        "gender": Gender.FEMALE,
    }
    defaults.update(details)
    return people.add_child(by=by, **defaults)


def give_access(child, user: User, *, by: User | None = None,
                basis: str = GrantBasis.CROSS_AREA_AGREEMENT, **details):
    """An explicit grant for `user` to `child` (by default a cross-area agreement, which lets
    them add to the record but not change it): the only way someone outside the child's area
    roles comes to see a child."""
    return grants.grant(child, basis=basis, user=user, by=by,
                        reason=details.pop("reason", "Agreed for a test"), **details)


def make_concern(child, by: User, **details):
    defaults: dict[str, Any] = {
        "observed_on": timezone.localdate(),
        "narrative": "Seen getting into a car with an adult man after school.",
    }
    defaults.update(details)
    return pathway.record_concern(child, by=by, **defaults)


def make_screening(child, by: User, indicators=("wm2.vehicles",), final_category=None,
                   framework: str = "wm", **details):
    rules = registry.get(framework)
    given = ScreeningInput(
        age=child.age().years,
        indicators=frozenset(indicators),
        learning_disability=child.learning_disability,
        screener_role=by.role,
    )
    suggestion = evaluate(rules, given)
    return screening_actions.record_screening(
        child,
        by=by,
        given=given,
        suggestion=suggestion,
        final_category=final_category or suggestion.minimum,
        analysis=details.pop("analysis", "The adults involved are targeting the child."),
        **details,
    )


def make_referral(child, by: User, **details):
    defaults: dict[str, Any] = {"reason": "At risk of sexual exploitation.",
                                "consent": Consent.GIVEN}
    defaults.update(details)
    return pathway.refer(child, by=by, **defaults)


def random_grants(p, children: list, rows: list[dict]) -> None:
    """Grants made straight from rows a hypothesis strategy drew (equivalence tests of the
    visibility rule): each row's `child` (an index into `children`), `holder` (a person or
    agency of the partnership `p`, by name), `starts` and `ends` (days from now; `ends` may be
    None), `revoked`, and `access` if drawn ("read_only", "adds" or "changes")."""
    now = timezone.now()
    for row in rows:
        holder = getattr(p, row["holder"])
        is_user = hasattr(holder, "role")
        Grant.objects.create(
            child=children[row["child"]],
            user=holder if is_user else None,
            agency=None if is_user else holder,
            basis=GrantBasis.CROSS_AREA_AGREEMENT,
            read_only=row.get("access") == "read_only",
            changes=row.get("access") == "changes",
            starts_at=now + timedelta(days=row["starts"]),
            ends_at=None if row["ends"] is None else now + timedelta(days=row["ends"]),
            revoked_at=now - timedelta(hours=1) if row["revoked"] else None,
            reason="Random grant for the equivalence test",
        )


@dataclass
class Partnership:
    north: Area
    east: Area
    riverside: Agency
    hillcrest: Agency
    eastmoor_high: Agency
    north_csc: Agency
    east_csc: Agency
    north_police: Agency
    north_partnership: Agency
    alice: User
    bob: User
    carol: User
    fiona: User
    eve: User
    sam: User
    maria: User
    priya: User
    ana: User
    bea: User
    ade: User
    # The designated safeguarding lead of alice's school (issue 15, item 3). Not in
    # `all_users`, which keeps the eleven people every earlier test was written for.
    dev: User

    def all_users(self) -> dict[str, User]:
        return {name: getattr(self, name) for name in
                ("alice", "bob", "carol", "fiona", "eve", "sam", "maria", "priya", "ana",
                 "bea", "ade")}


def build_partnership() -> Partnership:
    north = AreaFactory.create(name="Northbridge", slug="northbridge")
    east = AreaFactory.create(name="Eastmoor", slug="eastmoor")
    riverside = AgencyFactory.create(name="Riverside Academy", kind=AgencyKind.EDUCATION,
                                     area=north)
    hillcrest = AgencyFactory.create(name="Hillcrest School", kind=AgencyKind.EDUCATION,
                                     area=north)
    eastmoor_high = AgencyFactory.create(name="Eastmoor High School",
                                         kind=AgencyKind.EDUCATION, area=east)
    north_csc = AgencyFactory.create(name="Northbridge Children's Services",
                                     kind=AgencyKind.CHILDRENS_SOCIAL_CARE, area=north)
    east_csc = AgencyFactory.create(name="Eastmoor Children's Services",
                                    kind=AgencyKind.CHILDRENS_SOCIAL_CARE, area=east)
    north_police = AgencyFactory.create(name="Northbridge Police", kind=AgencyKind.POLICE,
                                        area=north)
    north_partnership = AgencyFactory.create(name="Northbridge Safeguarding Partnership",
                                             kind=AgencyKind.OTHER, area=north)
    maria = UserFactory.create(username="maria", role=Role.CSE_MANAGER, agency=north_csc)
    return Partnership(
        north=north, east=east, riverside=riverside, hillcrest=hillcrest,
        eastmoor_high=eastmoor_high, north_csc=north_csc, east_csc=east_csc,
        north_police=north_police, north_partnership=north_partnership,
        alice=UserFactory.create(username="alice", role=Role.REFERRER, agency=riverside,
                                 job_title="Teacher"),
        bob=UserFactory.create(username="bob", role=Role.REFERRER, agency=hillcrest,
                               job_title="Teacher"),
        carol=UserFactory.create(username="carol", role=Role.REFERRER, agency=eastmoor_high,
                                 job_title="Teacher"),
        fiona=UserFactory.create(username="fiona", role=Role.FRONT_DOOR, agency=north_csc,
                                 manager=maria),
        eve=UserFactory.create(username="eve", role=Role.FRONT_DOOR, agency=east_csc),
        sam=UserFactory.create(username="sam", role=Role.SOCIAL_WORKER, agency=north_csc,
                               manager=maria),
        maria=maria,
        priya=UserFactory.create(username="priya", role=Role.POLICE, agency=north_police),
        ana=UserFactory.create(username="ana", role=Role.ANALYST, agency=north_partnership),
        bea=UserFactory.create(username="bea", role=Role.BOARD, agency=north_partnership),
        ade=UserFactory.create(username="ade", role=Role.ADMIN, agency=north_partnership,
                               is_staff=True, is_superuser=True),
        dev=UserFactory.create(username="dev", role=Role.DSL, agency=riverside,
                               first_name="Dev", last_name="Sandhu",
                               job_title="Designated safeguarding lead"),
    )


def birthday_years_ago(years: int, *, days_after: int = 0) -> date:
    """A date of birth making the child exactly `years` old today (plus `days_after` days)."""
    today = timezone.localdate()
    try:
        birth = today.replace(year=today.year - years)
    except ValueError:
        birth = today.replace(year=today.year - years, day=28)
    return birth - timedelta(days=days_after)


def private_file_settings(folder: Path) -> dict[str, Any]:
    """Where a test's files go instead of var/: uploaded files (missing-person photos) and audit
    checkpoints (`lantern work`, `lantern audit checkpoint`)."""
    return {"MEDIA_ROOT": folder / "media",
            "AUDIT_CHECKPOINT_LOG": str(folder / "audit-checkpoints.log")}


def built_once(django_db_blocker, build: Callable[[], object], *,
               files: Path | None = None) -> Iterator:
    """Data built once for a whole test module, for a module-scoped fixture:

        @pytest.fixture(scope="module")
        def _world(django_db_setup, django_db_blocker):
            yield from testing.built_once(django_db_blocker, build_world)

    `build()` runs in a transaction left open while the module's tests run: each test's own
    transaction (pytest-django's `db`) is a savepoint inside it, rolled back after the test as
    always, and the whole is rolled back after the module's last test. Tests get `fresh(data)`,
    a deep copy, as Django's setUpTestData does, so a change one test makes to the objects in
    memory never reaches another. Every test of the module that uses the database must ask for
    the data (directly or through a fixture): they all run while it is there. With `files` (a
    folder), files written while building and by the module's tests go there until the module
    ends (`private_file_settings`), and the module replaces conftest's `_private_files`, which
    would point each test elsewhere, with a fixture that does nothing.
    """
    with ExitStack() as stack:
        if files:
            stack.enter_context(override_settings(**private_file_settings(files)))
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            # Marked as a test case's own, as Django's TestCase marks its class-wide transaction,
            # so a durable transaction inside it behaves as it does in every other test.
            atomic._from_testcase = True  # type: ignore[attr-defined]  # private: not in the stubs
            atomic.__enter__()
            stack.callback(_roll_back, django_db_blocker, atomic)
            data = build()
        yield data


def _roll_back(django_db_blocker, atomic) -> None:
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def fresh(data):
    """A deep copy of data built once (`built_once`), for one test: pickled and read back,
    which copies Django's model instances (with their cached related objects) in half the time
    copy.deepcopy takes; data that cannot be pickled is copied with copy.deepcopy."""
    try:
        return pickle.loads(pickle.dumps(data, pickle.HIGHEST_PROTOCOL))  # noqa: S301  # our own bytes
    except (pickle.PicklingError, TypeError, AttributeError):
        return copy.deepcopy(data)
