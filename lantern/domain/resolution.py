"""Entity resolution: which mentions of people in intelligence are the same person. No Django.

Two engines, one idea (Fellegi-Sunter: each field's agreement or disagreement adds a weight of
evidence, in bits, to a prior):

- `compare` / `candidates` score pairs with rapidfuzz and fixed weights. They run when a report
  arrives, against the few people that share a phone number, a name's sound or a birth year
  with the new mention: fast, and the same answer every time.
- `splink_link` runs Splink (on DuckDB) over every record in batch (`lantern link`), learning
  its weights from the data without labels. `lantern bench linking` measures the same engine
  with the same settings builder (`splink_settings`) on the FEBRL benchmark.

Both return `Comparison`s carrying per-field evidence (which fields agreed, how much each
counted), so a reviewer sees why a merge is proposed. Nothing here merges: a person decides.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import jellyfish
from rapidfuzz.distance import JaroWinkler

from . import intelligence_files, names

if TYPE_CHECKING:
    from splink import Linker, SettingsCreator
    from splink.internals.blocking_rule_creator import BlockingRuleCreator
    from splink.internals.comparison_creator import ComparisonCreator

# Prior odds that two people who share a blocking key are the same person: 1 in 512. A shared
# phone number (+10 bits) alone brings a pair past even odds; names and dates then decide.
PRIOR_BITS = -9.0
# Proposals are shown to a reviewer from this probability up: a person decides, so a
# proposal that is as likely as not is worth their look.
PROPOSE_AT = 0.5

# Weights in bits (log2 of the likelihood ratio) for each field's outcome. Chosen so that a
# shared phone or a full date of birth is strong, a name alone is weak, and a clear
# disagreement counts against.
WEIGHTS = {
    "phone": {"agree": 10.0, "differ": -1.0},
    "date_of_birth": {"agree": 8.0, "year_month": 4.0, "year": 2.0, "differ": -6.0},
    "family_name": {"agree": 5.0, "close": 3.5, "sounds": 3.0, "initial": 1.0,
                    "differ": -4.0},
    "given_name": {"agree": 4.0, "nickname": 3.0, "close": 3.0, "sounds": 2.5,
                   "initial": 0.5, "differ": -3.0},
}


@cache
def _nicknames() -> dict[str, frozenset[str]]:
    """Each name (formal or short) to the set of names it may stand for, itself included."""
    groups: dict[str, set[str]] = defaultdict(set)
    for formal, shorts in intelligence_files.nicknames().names.items():
        family = {formal, *shorts}
        for member in family:
            groups[member] |= family
    return {k: frozenset(v) for k, v in groups.items()}


def nicknames() -> dict[str, list[str]]:
    """The formal names and their short forms, as listed (for the synthetic generator)."""
    return {k: list(v) for k, v in intelligence_files.nicknames().names.items()}


def name_variants(given: str) -> frozenset[str]:
    """Formal and short forms a given name may stand for: 'mo' -> {mo, mohammed, mohamed...}."""
    first = names.tokens(given)[:1]
    if not first:
        return frozenset()
    return _nicknames().get(first[0], frozenset(first))


@dataclass(kw_only=True)
class PersonDetails:
    """A person as someone wrote them down: what a form or an import gives the resolver."""

    given: str = ""
    family: str = ""
    nickname: str = ""
    date_of_birth: date | None = None
    birth_year: int | None = None
    birth_month: int | None = None
    phone: str = ""

    def record(self, key: str) -> PersonRecord:
        from . import normalise

        canonical = normalise.phone(self.phone) if self.phone else None
        return PersonRecord(
            key=key, given=self.given, family=self.family,
            nicknames=(self.nickname,) if self.nickname else (),
            date_of_birth=self.date_of_birth, birth_year=self.birth_year,
            birth_month=self.birth_month,
            phones=frozenset({canonical}) if canonical else frozenset(),
        )


@dataclass(frozen=True)
class PersonRecord:
    """One mention of a person, or one resolved subject, as the resolver sees it."""

    key: str
    given: str = ""
    family: str = ""
    nicknames: tuple[str, ...] = ()
    date_of_birth: date | None = None
    birth_year: int | None = None
    birth_month: int | None = None
    phones: frozenset[str] = frozenset()

    @property
    def year(self) -> int | None:
        return self.date_of_birth.year if self.date_of_birth else self.birth_year

    @property
    def month(self) -> int | None:
        return self.date_of_birth.month if self.date_of_birth else self.birth_month

    @property
    def given_names(self) -> list[str]:
        """Given name and nicknames, normalised: each is compared."""
        found = [names.normalise(g) for g in (self.given, *self.nicknames)]
        return [g for g in found if g]

    def blocking_keys(self) -> set[str]:
        """Keys two records must share to be compared: a phone number, or the sound of any
        name (given, family or nickname, in either position, so swapped names still meet)."""
        keys = {f"phone:{p}" for p in self.phones}
        for token in names.tokens(self.family):
            if len(token) > 1:
                keys.add(f"name:{jellyfish.metaphone(token)}")
        for given in self.given_names:
            for variant in name_variants(given):
                keys.add(f"name:{jellyfish.metaphone(variant)}")
        return keys


@dataclass(frozen=True)
class FieldEvidence:
    field: str
    left: str
    right: str
    outcome: str  # agree, close, sounds, nickname, initial, year_month, year, differ, missing
    weight: float
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "left": self.left, "right": self.right,
                "outcome": self.outcome, "weight": round(self.weight, 2), "note": self.note}


@dataclass(frozen=True)
class Comparison:
    left: str
    right: str
    weight: float
    fields: tuple[FieldEvidence, ...] = field(default_factory=tuple)
    engine: str = "rapidfuzz"

    @property
    def probability(self) -> float:
        return probability(self.weight)

    def as_evidence(self) -> dict[str, Any]:
        return {"engine": self.engine, "weight": round(self.weight, 2),
                "probability": round(self.probability, 4),
                "prior_bits": PRIOR_BITS if self.engine == "rapidfuzz" else None,
                "fields": [f.as_dict() for f in self.fields]}


def probability(bits: float) -> float:
    if bits > 60:
        return 1.0
    if bits < -60:
        return 0.0
    odds = math.pow(2.0, bits)
    return odds / (1.0 + odds)


def _name_outcome(kind: str, left: list[str], right: list[str]) -> tuple[str, str]:
    """The best agreement between any of the left names and any of the right ones."""
    best, note, rank = "differ", "the names are different", 0
    order = ["differ", "initial", "sounds", "close", "nickname", "agree"]
    for a in left:
        for b in right:
            outcome, why = _one_name(kind, a, b)
            if order.index(outcome) > rank:
                best, note, rank = outcome, why, order.index(outcome)
    return best, note


def _one_name(kind: str, a: str, b: str) -> tuple[str, str]:
    if a == b:
        return "agree", "the same name"
    if kind == "given_name" and (name_variants(a) & name_variants(b)) and (
        a in name_variants(b) or b in name_variants(a)
    ):
        return "nickname", f"'{a}' is a usual short form of '{b}'" if len(a) < len(b) else (
            f"'{b}' is a usual short form of '{a}'")
    if JaroWinkler.similarity(a, b) >= 0.92:
        return "close", "spelt slightly differently"
    if jellyfish.metaphone(a) == jellyfish.metaphone(b):
        return "sounds", "sound the same"
    short, long_ = sorted((a, b), key=len)
    if len(short) == 1 and long_.startswith(short):
        return "initial", f"'{short}' may be the initial of '{long_}'"
    return "differ", "the names are different"


def _compare_names(a: PersonRecord, b: PersonRecord) -> list[FieldEvidence]:
    evidence: list[FieldEvidence] = []
    a_given, b_given = a.given_names, b.given_names
    a_family = [names.normalise(a.family)] if names.normalise(a.family) else []
    b_family = [names.normalise(b.family)] if names.normalise(b.family) else []
    # Names recorded the other way round ("KHAN Mohammed"): compare crossed as well and keep
    # whichever reading agrees better.
    straight = (_name_outcome("given_name", a_given, b_given) if a_given and b_given else None,
                _name_outcome("family_name", a_family, b_family) if a_family and b_family
                else None)
    crossed = (_name_outcome("given_name", a_given, b_family) if a_given and b_family else None,
               _name_outcome("family_name", a_family, b_given) if a_family and b_given
               else None)

    def total(pair: tuple[tuple[str, str] | None, tuple[str, str] | None]) -> float:
        return sum(WEIGHTS[k][o[0]] for k, o in zip(("given_name", "family_name"), pair,
                                                    strict=True) if o)

    swapped = (all(crossed) and not all(o and o[0] == "agree" for o in straight)
               and total(crossed) > total(straight) + 4)
    chosen = crossed if swapped else straight
    for kind, outcome, left, right in (
        ("given_name", chosen[0], a.given_names, b.family if swapped else b.given_names),
        ("family_name", chosen[1], a.family, b.given if swapped else b.family),
    ):
        left_text = ", ".join(left) if isinstance(left, list) else left
        right_text = ", ".join(right) if isinstance(right, list) else right
        if outcome is None:
            evidence.append(FieldEvidence(kind, left_text, right_text, "missing", 0.0,
                                          "not recorded on both"))
            continue
        note = outcome[1] + (" (given and family names recorded the other way round)"
                             if swapped else "")
        evidence.append(FieldEvidence(kind, left_text, right_text, outcome[0],
                                      WEIGHTS[kind][outcome[0]], note))
    return evidence


def _compare_dates(a: PersonRecord, b: PersonRecord) -> FieldEvidence:
    def text(r: PersonRecord) -> str:
        if r.date_of_birth:
            return r.date_of_birth.isoformat()
        if r.birth_year and r.birth_month:
            return f"{r.birth_year}-{r.birth_month:02d}"
        return str(r.birth_year) if r.birth_year else ""

    left, right = text(a), text(b)
    w = WEIGHTS["date_of_birth"]
    if a.year is None or b.year is None:
        return FieldEvidence("date_of_birth", left, right, "missing", 0.0,
                             "not recorded on both")
    if a.date_of_birth and b.date_of_birth and a.date_of_birth == b.date_of_birth:
        return FieldEvidence("date_of_birth", left, right, "agree", w["agree"], "the same date")
    if abs(a.year - b.year) > 1:
        return FieldEvidence("date_of_birth", left, right, "differ", w["differ"],
                             "born more than a year apart")
    if a.year == b.year and a.month and b.month and a.month == b.month:
        return FieldEvidence("date_of_birth", left, right, "year_month", w["year_month"],
                             "same year and month (one date is partial or differs in the day)")
    if a.year == b.year:
        return FieldEvidence("date_of_birth", left, right, "year", w["year"],
                             "same year of birth")
    return FieldEvidence("date_of_birth", left, right, "missing", 0.0,
                         "years of birth a year apart: neither for nor against")


def _compare_phones(a: PersonRecord, b: PersonRecord) -> FieldEvidence:
    left, right = ", ".join(sorted(a.phones)), ", ".join(sorted(b.phones))
    if not a.phones or not b.phones:
        return FieldEvidence("phone", left, right, "missing", 0.0, "not recorded on both")
    shared = a.phones & b.phones
    if shared:
        return FieldEvidence("phone", left, right, "agree", WEIGHTS["phone"]["agree"],
                             f"both use {', '.join(sorted(shared))}")
    return FieldEvidence("phone", left, right, "differ", WEIGHTS["phone"]["differ"],
                         "different numbers (people have more than one)")


def compare(a: PersonRecord, b: PersonRecord) -> Comparison:
    """Score one pair with per-field evidence."""
    fields = (*_compare_names(a, b), _compare_dates(a, b), _compare_phones(a, b))
    weight = PRIOR_BITS + sum(f.weight for f in fields)
    return Comparison(left=a.key, right=b.key, weight=weight, fields=tuple(fields))


def worth_review(a: PersonRecord, b: PersonRecord, result: Comparison,
                 propose_at: float = PROPOSE_AT) -> bool:
    """A pair is proposed at or above the threshold, and always when the two share a phone
    number whatever their names say ("Jay" and "Jason Reid" on one phone): one man may use
    two names, or two men one phone, and only a person can tell which (issue 16)."""
    return result.probability >= propose_at or bool(a.phones & b.phones)


def candidates(new: PersonRecord, existing: Iterable[PersonRecord], *,
               propose_at: float = PROPOSE_AT) -> list[Comparison]:
    """Existing records that may be the same person as `new`, best first. Only records sharing
    a blocking key (a phone number, the sound of a name) are scored; `worth_review` says which
    are proposed."""
    keys = new.blocking_keys()
    found = []
    for other in existing:
        if other.key == new.key or not (keys & other.blocking_keys()):
            continue
        result = compare(new, other)
        if worth_review(new, other, result, propose_at):
            found.append(result)
    return sorted(found, key=lambda c: -c.weight)


def pairwise(records: Sequence[PersonRecord], *,
             propose_at: float = PROPOSE_AT) -> list[Comparison]:
    """Every pair sharing a blocking key, scored, at or above the proposal threshold."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        for key in record.blocking_keys():
            by_key[key].append(index)
    seen: set[tuple[int, int]] = set()
    found = []
    for members in by_key.values():
        for i, left in enumerate(members):
            for right in members[i + 1:]:
                pair = (min(left, right), max(left, right))
                if pair in seen:
                    continue
                seen.add(pair)
                result = compare(records[pair[0]], records[pair[1]])
                if worth_review(records[pair[0]], records[pair[1]], result, propose_at):
                    found.append(result)
    return sorted(found, key=lambda c: -c.weight)


# --- Splink -------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldSpec:
    """A column and how Splink compares it: name, date, code (short identifiers such as
    postcodes and house numbers: edit distance), text (addresses: Jaro-Winkler), exact,
    or set (a list such as phone numbers: any overlap)."""

    column: str
    kind: str
    date_format: str = "%Y-%m-%d"


# strftime's date patterns (DuckDB) in Spark's own pattern language.
SPARK_DATE_PATTERNS = {"%Y": "yyyy", "%m": "MM", "%d": "dd"}


def date_pattern(pattern: str, backend: str) -> str:
    if backend != "spark":
        return pattern
    for strftime, spark in SPARK_DATE_PATTERNS.items():
        pattern = pattern.replace(strftime, spark)
    return pattern


def splink_settings(fields: Sequence[FieldSpec], *,
                    link_type: Literal["link_only", "link_and_dedupe", "dedupe_only"],
                    blocking: Sequence[Sequence[str]], set_columns: Sequence[str] = (),
                    backend: str = "duckdb") -> SettingsCreator:
    """The Splink model for a set of fields. The product and the benchmark both build their
    models here, so the benchmark measures what the product runs."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    comparisons: list[ComparisonCreator | dict[str, Any]] = []
    for spec in fields:
        if spec.kind == "name":
            comparisons.append(cl.NameComparison(spec.column))
        elif spec.kind == "date":
            comparisons.append(cl.DateOfBirthComparison(
                spec.column, input_is_string=True,
                datetime_format=date_pattern(spec.date_format, backend)))
        elif spec.kind == "code":
            comparisons.append(cl.DamerauLevenshteinAtThresholds(spec.column, [1, 2]))
        elif spec.kind == "text":
            comparisons.append(cl.JaroWinklerAtThresholds(spec.column, [0.9, 0.7]))
        elif spec.kind == "exact":
            comparisons.append(cl.ExactMatch(spec.column))
        elif spec.kind == "set":
            comparisons.append(cl.ArrayIntersectAtSizes(spec.column, [1]))
        else:
            raise ValueError(f"unknown field kind {spec.kind!r} for {spec.column}")
    rules: list[BlockingRuleCreator | dict[str, Any]] = []
    for columns in blocking:
        explode = [c for c in columns if c in set_columns]
        rules.append(block_on(*columns, arrays_to_explode=explode or None))
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=True,
    )


def splink_train(linker: Linker, *, deterministic: Sequence[Sequence[str]],
                 em_blocks: Sequence[Sequence[str]], recall: float = 0.7,
                 max_pairs: float = 1e6) -> None:
    """Unsupervised training: the match rate from near-certain rules, u from random pairs,
    m by expectation maximisation on blocks that leave the other fields free."""
    from splink import block_on

    linker.training.estimate_probability_two_random_records_match(
        [block_on(*cols) for cols in deterministic], recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=1)
    for cols in em_blocks:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*cols))


def splink_evidence(row: dict[str, Any], fields: Sequence[FieldSpec]) -> tuple[FieldEvidence, ...]:
    """Per-field evidence from one Splink prediction row (its gamma and match-weight columns)."""
    found = []
    for spec in fields:
        col = spec.column
        gamma = row.get(f"gamma_{col}")
        weight = float(row.get(f"mw_{col}") or 0.0) + float(row.get(f"mw_tf_adj_{col}") or 0.0)
        if gamma is None or gamma == -1:
            outcome, note = "missing", "not recorded on both"
        elif weight > 0:
            outcome, note = "agree", f"agreement level {gamma}"
        else:
            outcome, note = "differ", f"agreement level {gamma}"
        found.append(FieldEvidence(col, _text(row.get(f"{col}_l")), _text(row.get(f"{col}_r")),
                                   outcome, weight, note))
    return tuple(found)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    try:
        if isinstance(value, float) and math.isnan(value):
            return ""
    except TypeError:  # pragma: no cover - non-numeric
        pass
    return str(value)


# The product's subject model for Splink: given name (formal form of a nickname), family
# name, date of birth, phone numbers.
SUBJECT_FIELDS = (
    FieldSpec("given_std", "name"),
    FieldSpec("family", "name"),
    FieldSpec("dob", "date"),
    FieldSpec("phones", "set"),
)
# Blocking: pairs that share a phone, or the sound of both names, or the sound of the family
# name and the year of birth, or the sound of the given name and the date of birth. Each rule
# pairs only a few records however many there are: a family name alone would pair every Smith
# with every other, and a given name with a year of birth paired 2 million of 200,000
# generated records (`lantern bench linking --generated N`, docs/performance.md).
SUBJECT_BLOCKING = (("phones",), ("family_key", "given_key"), ("family_key", "birth_year"),
                    ("given_key", "dob"))
# Expectation maximisation on two blocks that leave, between them, every field free.
SUBJECT_EM_BLOCKS = (("family_key", "birth_year"), ("given_key", "dob"))
# Below this many records EM has too little to learn from: batch resolution scores blocked
# pairs with the fixed weights instead (the same evidence format).
SPLINK_MIN_RECORDS = 300


@cache
def _given_parts(given: str) -> tuple[str | None, str | None]:
    """A given name (or the nickname when there is none) as Splink compares it: its formal form
    when it is a short form ("Mo" -> "mohammed"), and the sound of that. Cached: a million
    records hold a few thousand names."""
    tokens = names.tokens(given)
    first = tokens[0] if tokens else ""
    variants = sorted(v for v in name_variants(first) if len(v) > 3) if first else []
    formal = variants[0] if (variants and len(first) <= 3) else first
    return (formal or None, jellyfish.metaphone(formal) if formal else None)


@cache
def _family_parts(family: str) -> tuple[str | None, str | None]:
    text = " ".join(names.tokens(family))
    return (text or None, jellyfish.metaphone(text.split(" ")[-1]) if text else None)


BACKENDS = ("duckdb", "spark")


def splink_api(backend: str = "duckdb") -> Any:
    """Where Splink runs its SQL: DuckDB in process (the default), or Spark
    (`LINKING_BACKEND=spark`, with the optional `pyspark` installed) for a partnership whose
    records outgrow one machine. The model, blocking and training are the same on both."""
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    if backend == "spark":
        from splink import SparkAPI

        return SparkAPI(spark_session=spark_session(), break_lineage_method="persist")
    raise ValueError(f"unknown linking backend {backend!r}: one of {', '.join(BACKENDS)}")


@cache
def spark_session() -> Any:
    """A local Spark session on the machine's cores (a cluster's master comes from
    SPARK_MASTER when set, as Spark itself reads it)."""
    import os

    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    builder = (SparkSession.builder.appName("lantern-link")
               .master(os.environ.get("SPARK_MASTER", "local[*]"))
               # Splink's string similarity functions (Jaro-Winkler...) for Spark SQL.
               .config("spark.jars", similarity_jar_location())
               .config("spark.sql.shuffle.partitions", "8")
               .config("spark.ui.enabled", "false"))
    return builder.getOrCreate()


SUBJECT_COLUMNS = ["unique_id", "given_std", "family", "dob", "birth_year", "phones",
                   "family_key", "given_key"]


def subject_frame(records: Sequence[PersonRecord]) -> Any:
    """The records as the table Splink reads, one row a record (SUBJECT_COLUMNS),
    built a column at a time with each distinct name worked out once: a million records take
    seconds, not minutes."""
    import pandas as pd

    given_src = [r.given or (r.nicknames[0] if r.nicknames else "") for r in records]
    givens = {g: _given_parts(g) for g in set(given_src)}
    family_src = [r.family for r in records]
    families = {f: _family_parts(f) for f in set(family_src)}
    given_parts = [givens[g] for g in given_src]
    family_parts = [families[f] for f in family_src]
    return pd.DataFrame({
        "unique_id": [r.key for r in records],
        "given_std": [g[0] for g in given_parts],
        "family": [f[0] for f in family_parts],
        "dob": [r.date_of_birth.isoformat() if r.date_of_birth else None for r in records],
        "birth_year": pd.array([r.year for r in records], dtype="Int64"),
        "phones": [list(r.phones) for r in records],  # order does not matter to Splink
        "family_key": [f[1] for f in family_parts],
        "given_key": [g[1] for g in given_parts],
    }, columns=SUBJECT_COLUMNS)


def splink_predict(frame: Any, *, backend: str = "duckdb",
                   propose_at: float = PROPOSE_AT) -> Any:
    """Train the subject model on `frame` without labels and return Splink's predictions
    (a Splink data frame of the pairs from `propose_at` up, with per-field columns)."""
    import logging

    from splink import Linker

    db = splink_api(backend)
    if backend == "spark":
        # Spark has no list type from pandas' objects without a hint: phones as an array.
        frame = spark_session().createDataFrame(
            frame, schema="unique_id string, given_std string, family string, dob string, "
            "birth_year int, phones array<string>, family_key string, given_key string")
    table = db.register(frame, dataset_display_name="subjects")
    settings = splink_settings(SUBJECT_FIELDS, link_type="dedupe_only",
                               blocking=SUBJECT_BLOCKING, set_columns=("phones",),
                               backend=backend)
    linker = Linker(table, settings, log_level=logging.WARNING)
    splink_train(linker, deterministic=(("family", "dob"), ("given_std", "family", "phones")),
                 em_blocks=SUBJECT_EM_BLOCKS)
    return linker.inference.predict(threshold_match_probability=propose_at)


def splink_link(records: Sequence[PersonRecord], *, backend: str = "duckdb",
                propose_at: float = PROPOSE_AT) -> list[Comparison]:
    """Batch resolution with Splink (DuckDB, or Spark), trained without labels on the records
    given."""
    predictions = splink_predict(subject_frame(records), backend=backend, propose_at=propose_at)
    found = []
    for row in predictions.as_pandas_dataframe().to_dict("records"):
        found.append(Comparison(
            left=str(row["unique_id_l"]), right=str(row["unique_id_r"]),
            weight=float(row["match_weight"]),
            fields=splink_evidence(row, SUBJECT_FIELDS), engine="splink",
        ))
    return sorted(found, key=lambda c: -c.weight)


def link(records: Sequence[PersonRecord], *, propose_at: float = PROPOSE_AT,
         backend: str = "duckdb") -> list[Comparison]:
    """Batch resolution: Splink when there is enough data to learn from, otherwise the fixed
    weights over blocked pairs."""
    if len(records) >= SPLINK_MIN_RECORDS:
        return splink_link(records, propose_at=propose_at, backend=backend)
    return pairwise(records, propose_at=propose_at)
