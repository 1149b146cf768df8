"""Bulk invented data at regional scale, for measuring Lantern (`lantern generate`, issue 18).

Not the demo: the demo is about fifty children told as stories through the product's actions;
this is tens of thousands of children written straight into the tables, fast enough that
100,000 children take minutes (PostgreSQL COPY, or bulk_create elsewhere). The rows are the
ones the actions would write: each child's record, concerns, a screening, a referral and
mostly its decision, the pathway and its steps, allocations, open work with deadlines (some
overdue), the chronology (about 12 entries a child) and a valid audit chain continued from
the chain head, so `lantern audit verify` still holds. What the tasking lists go through
(issue 17) comes in realistic proportions: one concern in twenty urgent, missing episodes with
their return home interviews (a few children missing now, a few interviews overdue), triggers
joining children, Child Abduction Warning Notices and their breaches; each area's first child
has one of each, recent, so every list has items however few children there are.
`add_tasking` (`lantern generate --tasking`) adds the same to a database an older `lantern
generate` wrote.

Shape, per area of about 12,500 children: agencies of every kind (twenty schools), a CSE team
manager who manages four front-door workers and twenty social workers, police, and two
referrers per school. Heavy cases on purpose: every area has one social worker allocated to a
fifth of its children (`gen-<n>-sw-heavy`) and one child in a thousand (and the area's first)
has about 300 chronology entries, 20 screenings and 10 referrals.

Everything generated is named `gen-...` (areas, usernames) so `lantern bench pages` finds it.
Names come from Faker's en_GB lists with a fixed seed; nothing is real.
"""

import hashlib
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker
from psycopg.types.json import Jsonb

from lantern.domain import auditchain, names
from lantern.domain import triggers as trigger_rules
from lantern.domain.screening import ScreeningInput, evaluate
from lantern.foundation import audit
from lantern.foundation.models import (
    Agency,
    AgencyKind,
    Area,
    AuditChainHead,
    AuditEvent,
    Child,
    ChronologyEntry,
    Gender,
    Grant,
    GrantBasis,
    Role,
    User,
    WorkItem,
)
from lantern.intelligence.models import (
    Entity,
    EntityKind,
    IntelligenceReport,
    Link,
    LinkRole,
    Mention,
    Subject,
    Trigger,
)
from lantern.missing.models import MissingEpisode, ReturnInterview
from lantern.monitoring import actions as monitoring_actions
from lantern.pathway.models import Concern, Decision, Pathway, PathwayStep, Referral
from lantern.people.models import Allocation
from lantern.plans.models import Breach, Plan, PlanAction
from lantern.screening import registry
from lantern.screening.models import Screening

SEED = 20261130
CHILDREN_PER_AREA = 12_500
SCHOOLS_PER_AREA = 20
SOCIAL_WORKERS_PER_AREA = 20
FRONT_DOOR_PER_AREA = 4
HEAVY_CHILD_EVERY = 1000
# What the tasking lists go through (issue 17), in proportions a large area might see: about
# two urgent concerns a day and thirty children missing at any time in an area of 12,500, a
# few return home interviews overdue, two or three triggers and a breach of a Child
# Abduction Warning Notice or two a week.
URGENT_CONCERN_SHARE = 0.05
EVER_MISSING_SHARE = 0.10  # children with missing episodes in the last year (1 to 4 each)
MISSING_NOW_SHARE = 0.0025
RHI_OVERDUE_SHARE = 0.10  # of the interviews due in the last 30 days, still not held
TRIGGER_SHARE = 0.012  # children at the focus of a trigger raised in the last year
CAWN_SHARE = 0.02  # children with a Child Abduction Warning Notice served in the last year
CAWN_BREACHED_SHARE = 0.25
# Intelligence (the weekly list's priority subjects, ranked from the links a report makes
# between children and the people it names): a report for one child in forty of an area over
# the last two years, each naming one or two of the area's adults (one for every 250
# children, a few named far more often than the rest) and concerning one to three children.
# Most are graded for lawful sharing (P); one in five with conditions naming the CSE team
# manager and police.
INTELLIGENCE_REPORT_EVERY = 40
SUBJECT_EVERY = 250
PREFIX = "gen-"
# Shared by every generated account: `lantern bench pages` signs in without it (a forced
# login with the second factor recorded), and the load test signs in with it through the
# real forms. Benchmark data only: generate refuses to run in production.
PASSWORD = "lantern-generated-account"  # noqa: S105 - invented accounts for measurement only

NARRATIVES = [
    "Seen getting into a car with two adult men outside school at the end of the day.",
    "Has new phones and clothes and will not say where they came from.",
    "Returned home at 07:00 after being missing overnight, with an injury she tried to hide.",
    "Says she stays at weekends in a flat with adults she met online.",
    "Attendance has fallen sharply; seen in the park after dark with adults known to police.",
    "An adult asked for images and threatened to share earlier ones.",
]
NOTE_KINDS = [
    ("contact", "Contact with the child by the allocated worker"),
    ("visit", "Home visit"),
    ("school", "School attendance update"),
    ("health", "Health appointment attended"),
    ("police", "Police welfare check"),
    ("return", "Returned after going missing"),
]


class Refused(Exception):
    """Generation would mix with data already there, or run in production."""


@dataclass
class Table:
    """Rows of one model waiting to be written, as dicts of column attnames."""

    model: type[models.Model]
    rows: list[dict] = field(default_factory=list)


class Writer:
    """Writes rows in batches: COPY on PostgreSQL, bulk_create elsewhere. Primary keys are
    given here (counted on from each table's largest), so rows can point at each other before
    they are written; the sequences are moved past them at the end."""

    BATCH = 20_000

    def __init__(self) -> None:
        self.tables: dict[type[models.Model], Table] = {}
        self.next_ids: dict[type[models.Model], int] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.postgres = connection.vendor == "postgresql"
        # Tables in the order their rows must reach the database (foreign keys first).
        self.order: list[type[models.Model]] = []

    def new_id(self, model: type[models.Model]) -> int:
        if model not in self.next_ids:
            largest = model._base_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self.next_ids[model] = largest + 1
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def add(self, model: type[models.Model], **row) -> int:
        if model not in self.tables:
            self.tables[model] = Table(model)
            self.order.append(model)
        pk_name = model._meta.pk.attname
        if pk_name not in row:
            row[pk_name] = self.new_id(model)
        self.tables[model].rows.append(row)
        if len(self.tables[model].rows) >= self.BATCH:
            self.flush()
        return row[pk_name]

    def flush(self) -> None:
        """Write every waiting row, parents before children."""
        for model in self.order:
            table = self.tables[model]
            if table.rows:
                self._write(model, table.rows)
                self.counts[model._meta.label] += len(table.rows)
                table.rows = []

    def _write(self, model: type[models.Model], rows: list[dict]) -> None:
        # A model inheriting another's table (a Subject is an Entity) writes its own columns;
        # its parent's row is added as the parent model's.
        inherits = bool(model._meta.parents)
        fields = list(model._meta.local_concrete_fields if inherits
                      else model._meta.concrete_fields)
        defaults = {f.attname: f.get_default() for f in fields}
        if not self.postgres:
            made = [model(**{**defaults, **row}) for row in rows]
            if inherits:
                model._base_manager._insert(made, fields=fields, raw=True)  # type: ignore[attr-defined]
            else:
                model._base_manager.bulk_create(made, batch_size=2000)
            return
        json_columns = {f.attname for f in fields if isinstance(f, models.JSONField)}
        columns = [f.attname for f in fields]
        quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({quoted}) FROM STDIN"
        ) as copy:
            for row in rows:
                values = []
                for name in columns:
                    value = row[name] if name in row else defaults[name]
                    if name in json_columns:
                        value = Jsonb(value)
                    values.append(value)
                copy.write_row(values)

    def reset_sequences(self) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in self.order:
                if model is AuditEvent or model._meta.parents:
                    # The chain's own sequence number, not a serial; a Subject's key is its
                    # Entity's.
                    continue
                table = model._meta.db_table
                column = model._meta.pk.column
                # Names from the models, quoted; never user input.
                quoted_column = connection.ops.quote_name(column)
                quoted_table = connection.ops.quote_name(table)
                largest = f"COALESCE((SELECT MAX({quoted_column}) FROM {quoted_table}), 1)"  # noqa: S608
                cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, %s), {largest})",
                               [table, column])


class Chain:
    """The audit trail continued from its head: each row hashed after the one before, exactly
    as lantern.foundation.audit.record writes it, so `lantern audit verify` holds."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        head, _ = AuditChainHead.objects.get_or_create(id=1)
        self.head = head
        self.seq = head.last_seq
        self.last_hash = head.last_hash
        self.labels: dict[int, str] = {}
        keyring = audit.load_keyring()
        self.key_id = keyring.current
        self.key = keyring.keys[self.key_id]

    def record(self, actor: User, action: str, object_type: str, object_id: int, *,
               at: datetime, child_id: int | None, summary: str) -> None:
        self.seq += 1
        row = {
            "seq": self.seq,
            "at": at.isoformat(),
            "actor_id": actor.pk,
            "actor_label": self.label(actor),
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "child_id": child_id,
            "summary": summary,
            "changes": {},
            "reason": "",
            "ip_address": "",
            "path": "",
            "key_id": self.key_id,
        }
        digest = auditchain.row_hash(row, self.last_hash, self.key)
        self.writer.add(AuditEvent, **{**row, "at": at, "prev_hash": self.last_hash,
                                       "hash": digest})
        self.last_hash = digest

    def label(self, actor: User) -> str:
        if actor.pk not in self.labels:
            self.labels[actor.pk] = (
                f"{actor.username} ({actor.get_role_display()}, {actor.working_agency.name})"
            )
        return self.labels[actor.pk]

    def close(self) -> None:
        AuditChainHead.objects.filter(id=1).update(last_seq=self.seq, last_hash=self.last_hash)


@dataclass
class AreaPeople:
    area: Area
    csc: Agency
    police_agency: Agency
    referring: list[Agency]
    manager: User
    front_door: list[User]
    social_workers: list[User]
    heavy_worker: User
    police: list[User]
    referrers: list[User]
    # The last few children generated in the area, whom a trigger may join to the next.
    recent: list[int] = field(default_factory=list)
    # The area's children generated this time, for the intelligence written after them.
    children: list[int] = field(default_factory=list)
    # Whether the area's next child is given one item of each tasking section, so that every
    # list has something on it however few children are generated (tests compare the pages'
    # queries at two sizes). An area generated before has had its examples.
    examples: bool = True

    @property
    def voluntary(self) -> Agency:
        return next(a for a in self.referring if a.kind == AgencyKind.VOLUNTARY)




def _written(writer: "Writer", chain: "Chain") -> None:
    """The last rows sent, the audit chain's head moved to them, the ids' sequences past them."""
    writer.flush()
    chain.close()
    writer.reset_sequences()


def _analyse(writer: "Writer") -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL)."""
    if writer.postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

def _invented(seed: int) -> tuple[random.Random, list[str], list[str]]:
    """A random source and pools of invented first and last names, the same for a seed."""
    rng = random.Random(seed)  # noqa: S311 - invented data, not secrets
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    return (rng, [fake.first_name() for _ in range(400)],
            [fake.last_name() for _ in range(1500)])

def generate(children: int, *, seed: int = SEED, progress=None, more: bool = False) -> dict:
    """Write `children` invented children (and everything about them); return counts. With
    `more`, add them to the areas generated before (tests compare a page at two sizes)."""
    existing = list(Area.objects.filter(slug__startswith=PREFIX).order_by("pk"))
    if existing and not more:
        raise Refused("Generated data is already in this database; use an empty database.")
    rng, given_pool, family_pool = _invented(seed)
    now = timezone.now()
    writer = Writer()
    with transaction.atomic():
        chain = Chain(writer)
        areas = [_area_people_from(area) for area in existing] or [
            _area_people(index + 1, writer, chain, now)
            for index in range(max(1, math.ceil(children / CHILDREN_PER_AREA)))
        ]
        templates = _screening_templates(rng)
        for number in range(children):
            people = areas[number % len(areas)]
            # Counted within the area, so every area has its heavy children. The area's first
            # child, who has an item of every tasking section, is heavy too: however few
            # children there are, the heaviest is the same child, with the same sections.
            heavy = ((number // len(areas)) % HEAVY_CHILD_EVERY == HEAVY_CHILD_EVERY - 1
                     or people.examples)
            _child(writer, chain, rng, people, now, heavy=heavy, templates=templates,
                   given=rng.choice(given_pool), family=rng.choice(family_pool))
            if progress and (number + 1) % 10_000 == 0:
                progress(number + 1)
        intelligence_rng = random.Random(seed + 2)  # noqa: S311 - invented data, not secrets
        for people in areas:
            _intelligence(writer, chain, intelligence_rng, people, now, people.children,
                          given=given_pool, family=family_pool)
        _written(writer, chain)
    _analyse(writer)
    if not existing:
        _monitoring(areas, now)
    return {"children": children, "areas": len(areas),
            "rows": dict(sorted(writer.counts.items()))}


DIP_SAMPLE_MONTHS = 6
DIP_SAMPLE_SIZE = 20


def _monitoring(areas: list[AreaPeople], now: datetime) -> None:
    """What the monitoring pages list (issue 17), made by the product's own actions (and so
    audited): a CSE lead for each agency, the board's dip samples of the last six months and
    its two last six-monthly reviews, as drafts."""
    first_of_month = timezone.localdate(now).replace(day=1)

    def months_back(count: int) -> date:
        index = first_of_month.year * 12 + first_of_month.month - 1 - count
        return date(index // 12, index % 12 + 1, 1)

    for people in areas:
        number = people.area.slug.removeprefix(f"{PREFIX}area-")
        board = User.objects.get(username=f"{PREFIX}{number}-board")
        for count, agency in enumerate([people.csc, *people.referring], start=1):
            monitoring_actions.add_lead(
                agency, by=people.manager, name=f"Lead {count} Generated",
                job_title="Designated safeguarding lead", phone=f"0161 496 0{count:03d}",
                email=f"lead-{agency.pk}@generated.example")
        for back in range(1, DIP_SAMPLE_MONTHS + 1):
            monitoring_actions.draw_dip_sample(area=people.area, month=months_back(back),
                                               size=DIP_SAMPLE_SIZE, by=board, seed=back)
        for half in (0, 1):
            end = months_back(6 * half) - timedelta(days=1)
            monitoring_actions.start_review(area=people.area, start=months_back(6 * half + 6),
                                            end=end, by=board)


def add_intelligence(*, seed: int = SEED) -> dict:
    """Add intelligence (reports, the adults they name and the links they make to children)
    to children generated before it was generated (`lantern generate --intelligence`), in the
    proportions a new `lantern generate` writes. Refuses when there are no generated children,
    or when they already have intelligence."""
    areas = [_area_people_from(area)
             for area in Area.objects.filter(slug__startswith=PREFIX).order_by("pk")]
    if not areas:
        raise Refused("No generated data here: run `lantern generate --children N` first.")
    if IntelligenceReport.objects.filter(area__in=[p.area for p in areas]).exists():
        raise Refused("The generated children already have their intelligence.")
    rng, given_pool, family_pool = _invented(seed + 2)
    now = timezone.now()
    writer = Writer()
    with transaction.atomic():
        chain = Chain(writer)
        for people in areas:
            children = list(Child.objects.filter(area=people.area).order_by("pk")
                            .values_list("pk", flat=True))
            _intelligence(writer, chain, rng, people, now, children, given=given_pool,
                          family=family_pool)
        _written(writer, chain)
    _analyse(writer)
    return {"rows": dict(sorted(writer.counts.items()))}


def _intelligence(writer: Writer, chain: Chain, rng: random.Random, people: AreaPeople,
                  now: datetime, children: list[int], *, given: list[str],
                  family: list[str]) -> None:
    """Intelligence about the area's children: adults (subjects), and police-graded reports,
    each naming one or two of them and concerning one to three children, with the mentions
    and links a submitted report makes. The area's first child (of those given) has a report
    from this week, so the ranking has subjects however few children there are."""
    if not children:
        return
    area = people.area
    subjects = []
    for _ in range(max(3, len(children) // SUBJECT_EVERY)):
        officer = rng.choice(people.police)
        name = (rng.choice(given), rng.choice(family))
        created = now - timedelta(days=rng.uniform(30, 730))
        entity_id = writer.add(Entity, kind=EntityKind.SUBJECT, label=" ".join(name),
                               area_id=area.pk, created_at=created, created_by_id=officer.pk)
        writer.add(Subject, entity_ptr_id=entity_id, given_names=name[0],
                   family_name=name[1], birth_year=rng.randint(1965, 2000),
                   violence=rng.random() < 0.2, previous_convictions=rng.randint(0, 6),
                   description="Generated adult.")
        subjects.append((entity_id, " ".join(name)))
    # A few adults are named far more often than the rest.
    weights = [1 / (rank + 1) for rank in range(len(subjects))]
    for number in range(max(6, len(children) // INTELLIGENCE_REPORT_EVERY)):
        officer = rng.choice(people.police)
        submitted = now - timedelta(days=2 if number == 0 else rng.uniform(1, 730))
        occurred = (submitted - timedelta(days=rng.uniform(0, 14))).date()
        conditions = rng.random() < 0.2
        report_id = writer.add(
            IntelligenceReport, area_id=area.pk, submitted_by_id=officer.pk,
            agency_id=officer.agency_id, submitted_at=submitted, occurred_on=occurred,
            text="Generated intelligence: adults seen with children after dark.",
            source_details="Generated source.",
            sanitised_text="Adults seen with children after dark (generated).",
            source_grade=rng.choice(["1", "1", "2", "2", "3"]),
            intelligence_grade=rng.choice(["A", "B", "B", "C", "C", "D", "E"]),
            handling="C" if conditions else "P",
            handling_conditions="CSE team and police only (generated)." if conditions else "",
            condition_roles=f",{Role.CSE_MANAGER},{Role.POLICE}," if conditions else "",
            graded_by_id=officer.pk, graded_at=submitted + timedelta(hours=6),
        )
        chain.record(officer, "create", "intelligence.intelligencereport", report_id,
                     at=submitted, child_id=None, summary="Shared intelligence")
        concerned = sorted({children[0]} if number == 0 else
                           set(rng.sample(children, k=min(len(children), rng.randint(1, 3)))))
        named = {subjects[0]} if number == 0 else set(
            rng.choices(subjects, weights=weights, k=rng.randint(1, 2)))
        for child_id in concerned:
            writer.add(IntelligenceReport.children.through, intelligencereport_id=report_id,
                       child_id=child_id)
        # The areas of the children it concerns: the area's own (`children` are the area's).
        writer.add(IntelligenceReport.child_areas.through, intelligencereport_id=report_id,
                   area_id=area.pk)
        for entity_id, label in sorted(named):
            role = rng.choice([LinkRole.SUSPECT, LinkRole.ASSOCIATED, LinkRole.CONTACT])
            writer.add(Mention, report_id=report_id, entity_id=entity_id, raw_text=label,
                       role=role)
            for child_id in concerned:
                writer.add(Link, child_id=child_id, entity_id=entity_id, report_id=report_id,
                           role=role, occurred_on=occurred, created_at=submitted)


def add_tasking(*, seed: int = SEED, progress=None) -> dict:
    """Add what the tasking lists go through to children generated before it was generated
    (`lantern generate --tasking`): a database of an older `lantern generate` gets the same
    proportions as a new one. One concern in twenty becomes urgent. Refuses when there are
    no generated children, or when they already have missing episodes."""
    areas = {area.pk: _area_people_from(area)
             for area in Area.objects.filter(slug__startswith=PREFIX).order_by("pk")}
    if not areas:
        raise Refused("No generated data here: run `lantern generate --children N` first.")
    generated = Child.objects.filter(area_id__in=list(areas))
    if MissingEpisode.objects.filter(child__in=generated).exists():
        raise Refused("The generated children already have their tasking data.")
    for people in areas.values():
        people.examples = True
    rng = random.Random(seed + 1)  # noqa: S311 - invented data, not secrets
    now = timezone.now()
    writer = Writer()
    with transaction.atomic():
        chain = Chain(writer)
        rows = generated.order_by("pk").values_list("pk", "area_id", "created_at")
        owners = dict(Allocation.objects.filter(child__in=generated, ended_at=None)
                      .values_list("child_id", "user_id"))
        users = {u.pk: u for u in User.objects.filter(pk__in=set(owners.values()))}
        for number, (child_id, area_id, created) in enumerate(rows.iterator(), start=1):
            owner = users.get(owners[child_id]) if child_id in owners else None
            _tasking(writer, chain, rng, areas[area_id], now, child_id=child_id,
                     created=created, owner=owner)
            if progress and number % 10_000 == 0:
                progress(number)
        _written(writer, chain)
        urgent = (Concern.objects.filter(child__in=generated)
                  .annotate(every=models.F("id") % round(1 / URGENT_CONCERN_SHARE))
                  .filter(every=0).update(urgent=True))
    _analyse(writer)
    return {"urgent_concerns": urgent, "rows": dict(sorted(writer.counts.items()))}


def _area_people(number: int, writer: Writer, chain: Chain, now: datetime) -> AreaPeople:
    """An area with its agencies and staff, created through the ORM (a few hundred rows)."""
    slug = f"{PREFIX}area-{number}"
    area = Area.objects.create(name=f"Generated area {number}", slug=slug,
                               policy_profile="coventry")

    def agency(name: str, kind: str) -> Agency:
        return Agency.objects.create(name=f"{name} ({area.name})", kind=kind, area=area)

    csc = agency("Children's Services", AgencyKind.CHILDRENS_SOCIAL_CARE)
    police_agency = agency("Police", AgencyKind.POLICE)
    health = agency("Community Health", AgencyKind.HEALTH)
    voluntary = agency("Young People's Project", AgencyKind.VOLUNTARY)
    schools = [agency(f"School {n}", AgencyKind.EDUCATION) for n in range(1, SCHOOLS_PER_AREA + 1)]

    hashed = User(username="x")
    hashed.set_password(PASSWORD)

    def user(suffix: str, role: str, at: Agency, manager: User | None = None) -> User:
        made = User.objects.create(
            username=f"{PREFIX}{number}-{suffix}", first_name=suffix.split("-")[0].capitalize(),
            last_name=f"Generated {number}", role=role, agency=at, manager=manager,
            password=hashed.password,
        )
        key = hashlib.sha256(f"lantern-generated-{made.username}".encode()).hexdigest()[:40]
        TOTPDevice.objects.create(user=made, name="Generated", key=key, confirmed=True)
        return made

    manager = user("csemanager", Role.CSE_MANAGER, csc)
    front_door = [user(f"frontdoor-{n}", Role.FRONT_DOOR, csc, manager)
                  for n in range(1, FRONT_DOOR_PER_AREA + 1)]
    social_workers = [user(f"sw-{n}", Role.SOCIAL_WORKER, csc, manager)
                      for n in range(1, SOCIAL_WORKERS_PER_AREA + 1)]
    heavy_worker = user("sw-heavy", Role.SOCIAL_WORKER, csc, manager)
    police = [user(f"police-{n}", Role.POLICE, police_agency) for n in range(1, 4)]
    referrers = [user(f"teacher-{n}", Role.REFERRER, school) for n, school in
                 enumerate(schools, start=1)]
    referrers += [user("nurse", Role.REFERRER, health), user("youthworker", Role.REFERRER,
                                                              voluntary)]
    # The monitoring pages' readers (issue 17), who see figures and never a child.
    monitors = [user("analyst", Role.ANALYST, csc), user("board", Role.BOARD, csc)]
    for made in [manager, *front_door, *social_workers, heavy_worker, *police, *referrers,
                 *monitors]:
        chain.record(made, "create", "foundation.user", made.pk, at=now, child_id=None,
                     summary="Generated account")
    return AreaPeople(area, csc, police_agency, [*schools, health, voluntary, police_agency],
                      manager, front_door, social_workers, heavy_worker, police, referrers)


def _area_people_from(area: Area) -> AreaPeople:
    """The people of an area generated before, found by their usernames."""
    number = area.slug.removeprefix(f"{PREFIX}area-")
    users = {u.username.removeprefix(f"{PREFIX}{number}-"): u for u in
             User.objects.filter(username__startswith=f"{PREFIX}{number}-")
             .select_related("agency")}
    agencies = {a.kind: a for a in Agency.objects.filter(area=area)}
    referrers = [u for name, u in sorted(users.items()) if u.role == Role.REFERRER]
    return AreaPeople(
        area, agencies[AgencyKind.CHILDRENS_SOCIAL_CARE], agencies[AgencyKind.POLICE],
        sorted({u.agency for u in referrers}, key=lambda a: a.pk), users["csemanager"],
        [u for name, u in sorted(users.items()) if name.startswith("frontdoor-")],
        [u for name, u in sorted(users.items()) if name.startswith("sw-")
         and name != "sw-heavy"],
        users["sw-heavy"],
        [u for name, u in sorted(users.items()) if name.startswith("police-")],
        referrers, examples=False,
    )


def _screening_templates(rng: random.Random) -> list[dict]:
    """A few real suggestions from the West Midlands rules, reused for every screening."""
    framework = registry.get("wm")
    codes = sorted(i.code for i in framework.indicators)
    templates = []
    for _ in range(8):
        ticked = frozenset(rng.sample(codes, k=rng.randint(1, 6)))
        suggestion = evaluate(framework, ScreeningInput(age=14, indicators=ticked))
        templates.append({
            "framework": suggestion.framework, "framework_version": suggestion.version,
            "indicators": sorted(ticked), "suggested_min": suggestion.minimum,
            "suggested_max": suggestion.maximum, "floor": suggestion.floor,
            "reasons": list(suggestion.reasons), "final_category": suggestion.maximum,
        })
    return templates


def _dates(rng: random.Random, now: datetime, count: int, days: int) -> Iterator[datetime]:
    """`count` moments in the last `days` days, oldest first."""
    offsets = sorted((rng.uniform(1, days) for _ in range(count)), reverse=True)
    for offset in offsets:
        yield now - timedelta(days=offset)


def _child(writer: Writer, chain: Chain, rng: random.Random, people: AreaPeople,
           now: datetime, *, heavy: bool, templates: list[dict], given: str,
           family: str) -> None:
    area = people.area
    referrer = rng.choice(people.referrers)
    born = (now - timedelta(days=rng.randint(10 * 365, 17 * 365))).date()
    created = now - timedelta(days=rng.uniform(30, 700))
    all_names = [f"{given} {family}"]
    child_id = writer.add(
        Child, area_id=area.pk, given_names=given, family_name=family,
        date_of_birth=born, gender=rng.choice([Gender.FEMALE, Gender.FEMALE, Gender.MALE]),
        search_text=names.search_text(all_names), search_keys=names.keys_text(all_names),
        created_at=created, created_by_id=referrer.pk, created_by_agency_id=referrer.agency_id,
        postcode=f"GE{rng.randint(1, 99)} {rng.randint(1, 9)}AA",
    )
    people.children.append(child_id)
    writer.add(Grant, child_id=child_id, agency_id=referrer.agency_id,
               basis=GrantBasis.REFERRAL_ROUTING, read_only=False, changes=False,
               starts_at=created, created_at=created, created_by_id=referrer.pk,
               reason="Brought the child to the partnership", source_type="foundation.child",
               source_id=str(child_id))
    chain.record(referrer, "create", "foundation.child", child_id, at=created,
                 child_id=child_id, summary="Added the child's record")
    _chronology(writer, child_id, created, "record", "Record created in Lantern", referrer)

    counts = {"concerns": 2, "screenings": 1, "referrals": 1, "notes": 6}
    if heavy:
        counts = {"concerns": 150, "screenings": 20, "referrals": 10, "notes": 100}
    allocated = None
    if rng.random() < 0.2:
        allocated = people.heavy_worker
    elif rng.random() < 0.6:
        allocated = rng.choice(people.social_workers)

    concern_ids = []
    for at in _dates(rng, now, counts["concerns"], (now - created).days or 1):
        by = referrer if rng.random() < 0.7 else rng.choice(people.referrers)
        concern_id = writer.add(
            Concern, child_id=child_id, agency_id=by.agency_id, recorded_by_id=by.pk,
            recorded_at=at, observed_on=at.date(), narrative=rng.choice(NARRATIVES),
            urgent=rng.random() < URGENT_CONCERN_SHARE,
        )
        concern_ids.append(concern_id)
        chain.record(by, "create", "pathway.concern", concern_id, at=at, child_id=child_id,
                     summary="Recorded a concern")
        _chronology(writer, child_id, at, "concern",
                    f"Concern recorded by {by.working_agency.name}", by,
                    url=f"/concerns/{concern_id}/")

    screening_ids = []
    for at in _dates(rng, now, counts["screenings"], 60):
        by = rng.choice(people.social_workers)
        template = rng.choice(templates)
        screening_id = writer.add(
            Screening, child_id=child_id, concern_id=concern_ids[-1], screened_by_id=by.pk,
            agency_id=by.agency_id, screened_at=at, analysis="Generated screening.",
            required_actions=[], by_social_worker=True, facts={"age": 14}, **template,
        )
        screening_ids.append(screening_id)
        chain.record(by, "create", "screening.screening", screening_id, at=at,
                     child_id=child_id, summary="Completed a screening")
        _chronology(writer, child_id, at, "screening",
                    f"Screened: category {template['final_category']}", by,
                    url=f"/screenings/{screening_id}/")

    pathway_id = writer.add(Pathway, child_id=child_id, area_id=area.pk, state="referral",
                            started_at=created, updated_at=now)
    writer.add(PathwayStep, pathway_id=pathway_id, step="concern", started_at=created,
               completed_at=created, by_id=referrer.pk)
    referral_times = list(_dates(rng, now, counts["referrals"], 30))
    awaiting_last = rng.random() < 0.3
    for position, at in enumerate(referral_times):
        last = position == len(referral_times) - 1
        awaiting = last and awaiting_last
        due = at + timedelta(days=1)
        referral_id = writer.add(
            Referral, child_id=child_id, area_id=area.pk, concern_id=concern_ids[-1],
            screening_id=screening_ids[-1], referred_by_id=referrer.pk,
            agency_id=referrer.agency_id, received_at=at, reason="Generated referral.",
            consent="given", status="awaiting" if awaiting else "decided",
            decision_due_at=due, due_basis="1 working day (generated)",
        )
        chain.record(referrer, "create", "pathway.referral", referral_id, at=at,
                     child_id=child_id, summary="Referred to the front door")
        _chronology(writer, child_id, at, "referral",
                    f"Referred to the front door by {referrer.working_agency.name}", referrer,
                    url=f"/referrals/{referral_id}/")
        item_id = writer.add(
            WorkItem, child_id=child_id, area_id=area.pk, kind="referral_decision",
            title="Decide on the referral", owner_role=Role.FRONT_DOOR, due_at=due,
            basis="1 working day (generated)", status="open" if awaiting else "done",
            opened_at=at, closed_at=None if awaiting else at + timedelta(hours=6),
            source_type="pathway.referral", source_id=str(referral_id),
            url=f"/referrals/{referral_id}/",
        )
        if last:
            writer.add(PathwayStep, pathway_id=pathway_id, step="referral", started_at=at,
                       work_item_id=item_id, by_id=referrer.pk,
                       completed_at=None if awaiting else at + timedelta(hours=6))
        if awaiting:
            continue
        decider = rng.choice(people.front_door)
        decided_at = at + timedelta(hours=6)
        decision_id = writer.add(
            Decision, referral_id=referral_id, outcome="assessment",
            rationale="Generated decision.", decided_by_id=decider.pk, decided_at=decided_at,
            allocated_to_id=allocated.pk if allocated else None,
        )
        chain.record(decider, "decide", "pathway.decision", decision_id, at=decided_at,
                     child_id=child_id, summary="Decided on the referral")
        _chronology(writer, child_id, decided_at, "decision", "Front-door decision: assessment",
                    decider, url=f"/referrals/{referral_id}/")

    if allocated is not None:
        allocation_id = writer.add(Allocation, child_id=child_id, user_id=allocated.pk,
                                   started_at=created, allocated_by_id=people.manager.pk)
        writer.add(Grant, child_id=child_id, user_id=allocated.pk, basis=GrantBasis.ALLOCATION,
                   read_only=False, changes=True, starts_at=created, created_at=created,
                   created_by_id=people.manager.pk, reason="Allocated to the child",
                   source_type="people.allocation", source_id=str(allocation_id))
        chain.record(people.manager, "create", "people.allocation", child_id, at=created,
                     child_id=child_id, summary="Allocated a worker")
        if not awaiting_last:
            # The assessment the decision asked for; about one in six is overdue.
            due = now + timedelta(days=rng.uniform(-6, 30))
            writer.add(
                WorkItem, child_id=child_id, area_id=area.pk, kind="assessment",
                title="Complete the assessment", owner_id=allocated.pk, due_at=due,
                basis="45 working days (generated)", opened_at=due - timedelta(days=45),
                source_type="pathway.pathway", source_id=str(pathway_id),
                url=f"/children/{child_id}/pathway/",
            )
    elif not awaiting_last and rng.random() < 0.3:
        # Re-screening asked of the front door when nobody is allocated.
        due = now + timedelta(days=rng.uniform(-3, 14))
        writer.add(
            WorkItem, child_id=child_id, area_id=area.pk, kind="rescreen",
            title="Screen again", owner_role=Role.FRONT_DOOR, due_at=due,
            basis="Within 14 days of a new concern (generated)", opened_at=due - timedelta(14),
            source_type="screening.screening", source_id=str(screening_ids[-1]),
            url=f"/children/{child_id}/screenings/new/",
        )

    for at in _dates(rng, now, counts["notes"], (now - created).days or 1):
        kind, title = rng.choice(NOTE_KINDS)
        by = allocated or rng.choice(people.social_workers)
        _chronology(writer, child_id, at, kind, title, by)
    _tasking(writer, chain, rng, people, now, child_id=child_id, created=created,
             owner=allocated)


def _chronology(writer: Writer, child_id: int, at: datetime, kind: str, title: str,
                by: User, url: str = "") -> None:
    writer.add(ChronologyEntry, child_id=child_id, occurred_at=at, recorded_at=at, kind=kind,
               title=title, agency_id=by.agency_id, recorded_by_id=by.pk, url=url)


def _tasking(writer: Writer, chain: Chain, rng: random.Random, people: AreaPeople,
             now: datetime, *, child_id: int, created: datetime, owner: User | None) -> None:
    """What the daily and weekly tasking lists and the data set's missing, trigger and
    disruption figures count (issue 17): missing episodes with their return home interviews
    (a few children missing now, a few interviews overdue), triggers joining children, and
    Child Abduction Warning Notices with their breaches."""
    area = people.area
    days = max(1, min(365, (now - created).days))
    example, people.examples = people.examples, False
    if example:
        _examples(writer, chain, rng, people, now, child_id=child_id, owner=owner)
    if rng.random() < MISSING_NOW_SHARE:
        _episode(writer, chain, rng, people, now, child_id=child_id, owner=owner,
                 went=now - timedelta(hours=rng.uniform(1, 120)), back=None)
    elif rng.random() < EVER_MISSING_SHARE:
        for went in _dates(rng, now, rng.randint(1, 4), days):
            back = went + timedelta(hours=rng.uniform(2, 72))
            if back < now:
                _episode(writer, chain, rng, people, now, child_id=child_id, owner=owner,
                         went=went, back=back)
    if rng.random() < TRIGGER_SHARE and people.recent:
        at = now - timedelta(days=rng.uniform(0, days))
        criterion = rng.choice(trigger_rules.rules().criteria)
        joined = sorted({child_id, *rng.sample(people.recent,
                                               k=min(len(people.recent), rng.randint(1, 3)))})
        state = ("open" if now - at < timedelta(days=14)
                 else rng.choice(["accepted", "accepted", "dismissed", "open"]))
        trigger_id = writer.add(
            Trigger, kind=criterion.kind, criterion=criterion.code,
            key=f"{PREFIX}{criterion.code}-{child_id}", focus_child_id=child_id,
            evidence=_trigger_evidence(criterion, joined, area.pk), state=state,
            state_at=None if state == "open" else at + timedelta(days=2), created_at=at,
            updated_at=at, state_by_id=None if state == "open" else people.manager.pk,
            state_reason="" if state == "open" else "Generated decision.",
        )
        writer.add(Trigger.areas.through, trigger_id=trigger_id, area_id=area.pk)
        for joined_id in joined:
            writer.add(Trigger.children.through, trigger_id=trigger_id, child_id=joined_id)
    people.recent = [*people.recent[-49:], child_id]
    if rng.random() < CAWN_SHARE and not example:  # the example child has its notice
        served = now - timedelta(days=rng.uniform(1, days))
        breaches = []
        if rng.random() < CAWN_BREACHED_SHARE:
            breaches = list(_dates(rng, now, rng.randint(1, 2),
                                   min(60, (now - served).days or 1)))
        _notice(writer, chain, people, child_id=child_id, officer=rng.choice(people.police),
                served=served, breaches=breaches)


def _examples(writer: Writer, chain: Chain, rng: random.Random, people: AreaPeople,
              now: datetime, *, child_id: int, owner: User | None) -> None:
    """One item of each tasking section for the area's first child: an urgent concern this
    morning, a missing episode now and an earlier one whose return home interview is
    overdue, a new trigger and a breach of a notice recorded today."""
    by = rng.choice(people.referrers)
    at = now - timedelta(hours=2)
    concern_id = writer.add(Concern, child_id=child_id, agency_id=by.agency_id,
                            recorded_by_id=by.pk, recorded_at=at, observed_on=at.date(),
                            narrative=rng.choice(NARRATIVES), urgent=True)
    chain.record(by, "create", "pathway.concern", concern_id, at=at, child_id=child_id,
                 summary="Recorded a concern")
    _episode(writer, chain, rng, people, now, child_id=child_id, owner=owner,
             went=now - timedelta(hours=6), back=None)
    _episode(writer, chain, rng, people, now, child_id=child_id, owner=owner,
             went=now - timedelta(days=5), back=now - timedelta(days=4), overdue=True)
    criterion = trigger_rules.rules().criteria[0]
    trigger_id = writer.add(
        Trigger, kind=criterion.kind, criterion=criterion.code,
        key=f"{PREFIX}{criterion.code}-{child_id}", focus_child_id=child_id,
        evidence=_trigger_evidence(criterion, [child_id], people.area.pk), state="open",
        created_at=now - timedelta(hours=3), updated_at=now - timedelta(hours=3))
    writer.add(Trigger.areas.through, trigger_id=trigger_id, area_id=people.area.pk)
    writer.add(Trigger.children.through, trigger_id=trigger_id, child_id=child_id)
    _notice(writer, chain, people, child_id=child_id, officer=people.police[0],
            served=now - timedelta(days=20), breaches=[now - timedelta(hours=4)])


def _trigger_evidence(criterion, children: list[int], area_id: int) -> dict:
    """A trigger's evidence as lantern.intelligence.actions keeps it (its trigger page reads
    the children, entities and reports by id), with no intelligence behind it."""
    rules = trigger_rules.rules()
    kind = rules.kinds[criterion.kind]
    return {"label": criterion.label, "citation": kind["citation"],
            "proposal": kind["proposal"], "rules_version": rules.version,
            "children": sorted(children), "entities": [], "links": [], "reports": [],
            "areas": [area_id]}


def _notice(writer: Writer, chain: Chain, people: AreaPeople, *, child_id: int,
            officer: User, served: datetime, breaches: list[datetime]) -> None:
    """A Child Abduction Warning Notice served for the child (in an active plan), and its
    breaches."""
    plan_id = writer.add(Plan, child_id=child_id, status="active", created_at=served,
                         created_by_id=people.manager.pk, updated_at=served)
    action_id = writer.add(
        PlanAction, plan_id=plan_id, kind="disruption", disruption_type="cawn",
        description="Child Abduction Warning Notice served on the adult (generated).",
        risk="An adult harbouring the child (generated).", owner_id=officer.pk,
        owner_agency_id=officer.agency_id, due_on=served.date(), status="done",
        served_on=served.date(), created_at=served, created_by_id=officer.pk,
    )
    chain.record(officer, "create", "plans.planaction", action_id, at=served,
                 child_id=child_id, summary="Recorded a Child Abduction Warning Notice")
    for at in breaches:
        breach_id = writer.add(Breach, action_id=action_id, occurred_on=at.date(),
                               detail="The adult was found with the child (generated).",
                               recorded_by_id=officer.pk, recorded_at=at)
        chain.record(officer, "create", "plans.breach", breach_id, at=at,
                     child_id=child_id, summary="Recorded a breach of a notice")


def _episode(writer: Writer, chain: Chain, rng: random.Random, people: AreaPeople,
             now: datetime, *, child_id: int, owner: User | None, went: datetime,
             back: datetime | None, overdue: bool = False) -> None:
    """A missing episode; once the child is back, the return home interview's work item (due
    72 hours after the return, most held on time) and the interview when it was held."""
    area = people.area
    officer = rng.choice(people.police)
    reported = went + timedelta(hours=rng.uniform(0.5, 4))
    episode_id = writer.add(
        MissingEpisode, child_id=child_id, missing_from="home", went_missing_at=went,
        reported_at=reported, reported_by="Parent (generated)", recorded_by_id=officer.pk,
        agency_id=officer.agency_id, recorded_at=reported, returned_at=back,
        found_where="" if back is None else "Found in the town centre (generated)",
        return_recorded_by_id=None if back is None else officer.pk,
        return_recorded_at=back,
    )
    chain.record(officer, "create", "missing.missingepisode", episode_id, at=reported,
                 child_id=child_id, summary="Recorded a missing episode")
    _chronology(writer, child_id, went, "missing", "Went missing", officer,
                url=f"/missing/{episode_id}/")
    if back is None:
        return
    due = back + timedelta(hours=72)
    recent = now - due < timedelta(days=30)
    if overdue or due > now or (recent and rng.random() < RHI_OVERDUE_SHARE):
        held_at = None
    else:
        held_at = back + timedelta(hours=rng.uniform(12, 60 if rng.random() < 0.9 else 120))
    writer.add(
        WorkItem, child_id=child_id, area_id=area.pk, kind="return_interview",
        title="Return home interview", owner_id=owner.pk if owner else None,
        owner_role="" if owner else Role.FRONT_DOOR, due_at=due,
        basis="72 hours from the return (generated)",
        status="open" if held_at is None else "done", opened_at=back, closed_at=held_at,
        source_type="missing.missingepisode", source_id=str(episode_id),
        url=f"/missing/{episode_id}/interview/",
    )
    if held_at is None:
        return
    declined = rng.random() < 0.15
    writer.add(
        ReturnInterview, episode_id=episode_id, outcome="declined" if declined else "held",
        held_at=held_at, interviewer_name="Return home worker (generated)",
        interviewer_agency_id=people.voluntary.pk,
        declined_reason="Did not want to talk (generated)." if declined else "",
        actions="Generated actions.", recorded_by_id=officer.pk,
        agency_id=people.voluntary.pk, recorded_at=held_at,
    )
