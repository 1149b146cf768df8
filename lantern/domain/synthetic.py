"""Synthetic intelligence with ground truth, for tests, the demo and benchmarks. No Django.

Invented people (Faker en_GB) are mentioned several times each, the way different agencies
write them down: nicknames ("Mo" for Mohammed), misspellings, given and family names swapped,
partial dates of birth, a phone number written in different formats, a registration with or
without its space. Every mention knows which person it really is, so a resolver can be scored.

Phone numbers come from Ofcom's ranges reserved for drama (never a real subscriber).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from . import resolution

# Ofcom numbers for TV and radio drama: 1000 numbers after each prefix.
DRAMA_PREFIXES = ["07700 900", "01632 960", "020 7946 0", "0113 496 0", "0114 496 0",
                  "0115 496 0", "0116 496 0", "0117 496 0", "0118 496 0", "0121 496 0",
                  "0131 496 0", "0141 496 0", "0151 496 0", "0161 496 0", "0191 498 0"]
LETTERS = "ABCDEFGHJKLMNOPRSTUVWXY"


@dataclass
class Person:
    id: int
    given: str
    family: str
    date_of_birth: date
    phones: list[str]  # as written in their canonical national format
    registration: str


@dataclass(kw_only=True)
class Mention(resolution.PersonDetails):
    key: str
    person_id: int
    registration: str = ""
    variations: list[str] = field(default_factory=list)


def _phone_pool(rng: random.Random, count: int) -> list[str]:
    pool = [f"{prefix}{n:03d}" for prefix in DRAMA_PREFIXES for n in range(1000)]
    if count > len(pool):
        raise ValueError(f"at most {len(pool)} distinct drama phone numbers")
    return rng.sample(pool, count)


def _registration(rng: random.Random) -> str:
    letters = "".join(rng.choice(LETTERS) for _ in range(5))
    return f"{letters[:2]}{rng.randint(10, 74):02d} {letters[2:]}"


def _misspell(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    how = rng.choice(["drop", "double", "swap", "vowel"])
    if how == "drop":
        return word[:i] + word[i + 1:]
    if how == "double":
        return word[:i] + word[i] + word[i:]
    if how == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    vowels = "aeiou"
    for j in range(i, len(word)):
        if word[j].lower() in vowels:
            return word[:j] + rng.choice([v for v in vowels if v != word[j].lower()]) + \
                word[j + 1:]
    return word


def _phone_as_written(rng: random.Random, national: str) -> str:
    digits = national.replace(" ", "")
    return rng.choice([
        national,
        digits,
        "+44 " + digits[1:],
        "+44" + digits[1:],
        "0044 " + digits[1:],
        f"{digits[:5]}-{digits[5:]}",
        f"({digits[:5]}) {digits[5:]}",
    ])


def _registration_as_written(rng: random.Random, registration: str) -> str:
    compact = registration.replace(" ", "")
    return rng.choice([registration, compact, compact.lower(), registration.lower(),
                       f"{compact[:4]}-{compact[4:]}"])


def generate(people: int, *, seed: int = 7, mentions: tuple[int, int] = (1, 4),
             today: date | None = None) -> tuple[list[Person], list[Mention]]:
    """`people` invented people, each mentioned between mentions[0] and mentions[1] times."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)  # noqa: S311 - repeatable invented data, not secrets
    today = today or date(2026, 11, 1)
    formal_names = list(resolution.nicknames())
    phones = _phone_pool(rng, people * 2)
    found_people: list[Person] = []
    found_mentions: list[Mention] = []
    for pid in range(people):
        if rng.random() < 0.4:
            given = rng.choice(formal_names).capitalize()
        else:
            given = fake.first_name_male() if rng.random() < 0.8 else fake.first_name_female()
        person = Person(
            id=pid, given=given, family=fake.last_name(),
            date_of_birth=today - timedelta(days=rng.randint(16 * 365, 55 * 365)),
            phones=[phones[2 * pid]] + ([phones[2 * pid + 1]] if rng.random() < 0.3 else []),
            registration=_registration(rng),
        )
        found_people.append(person)
        for n in range(rng.randint(*mentions)):
            found_mentions.append(_mention(rng, person, f"p{pid}m{n}"))
    return found_people, found_mentions


def _mention(rng: random.Random, person: Person, key: str) -> Mention:
    m = Mention(key=key, person_id=person.id, given=person.given, family=person.family,
                date_of_birth=person.date_of_birth)
    short_forms = resolution.nicknames().get(person.given.lower(), [])
    roll = rng.random()
    if short_forms and roll < 0.35:
        m.nickname = rng.choice(short_forms).capitalize()
        m.variations.append("nickname")
        if rng.random() < 0.5:
            m.given = ""
            if rng.random() < 0.5:
                m.family = ""
                m.variations.append("nickname only")
    if m.family and rng.random() < 0.2:
        m.family = _misspell(rng, m.family)
        m.variations.append("family name misspelt")
    if m.given and rng.random() < 0.15:
        m.given = _misspell(rng, m.given)
        m.variations.append("given name misspelt")
    if m.given and m.family and rng.random() < 0.1:
        m.given, m.family = m.family.upper(), m.given
        m.variations.append("names swapped")
    if m.family and rng.random() < 0.1:
        m.family = m.family[0]
        m.variations.append("family name initial only")
    dob_roll = rng.random()
    if dob_roll < 0.25:
        m.date_of_birth = None
        m.variations.append("no date of birth")
    elif dob_roll < 0.4:
        m.birth_year, m.birth_month = person.date_of_birth.year, person.date_of_birth.month
        m.date_of_birth = None
        m.variations.append("month and year of birth only")
    elif dob_roll < 0.5:
        m.birth_year = person.date_of_birth.year
        m.date_of_birth = None
        m.variations.append("year of birth only")
    if rng.random() < 0.7:
        m.phone = _phone_as_written(rng, rng.choice(person.phones))
        m.variations.append("phone written differently")
    if rng.random() < 0.4:
        m.registration = _registration_as_written(rng, person.registration)
    if rng.random() < 0.5:
        m.given, m.family = m.given.upper(), m.family.upper()
    return m


def true_pairs(mentions: list[Mention]) -> set[frozenset[str]]:
    """Every pair of mentions of the same person."""
    by_person: dict[int, list[str]] = {}
    for m in mentions:
        by_person.setdefault(m.person_id, []).append(m.key)
    pairs = set()
    for keys in by_person.values():
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                pairs.add(frozenset((a, b)))
    return pairs


def score(found: set[frozenset[str]], truth: set[frozenset[str]]) -> dict[str, float]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_positives": tp,
            "found": len(found), "true_pairs": len(truth)}


# --- A population at scale ----------------------------------------------------------------
# For `lantern bench linking --generated N`: a million records are made in seconds, so no
# Faker call per record. Family names are Faker's en_GB list plus names built from syllables,
# drawn with a long tail (rank ** -0.6) the way surnames are; given names are Faker's and the
# formal names of the nickname list. Phone numbers are 07700 numbers followed by seven
# invented digits: invented data, never dialled.
_ONSETS = ["b", "br", "c", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s",
           "sh", "st", "t", "th", "w", "y", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ee", "oo", "ar", "er"]
_CODAS = ["", "n", "r", "s", "t", "l", "m", "ck", "nd", "rd", "ton", "ley", "son", "man",
          "well", "ford", "by", "ham", "wood", "field"]


def _built_names(rng: random.Random, count: int) -> list[str]:
    found: set[str] = set()
    while len(found) < count:
        syllables = rng.choice((1, 2, 2, 3))
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
        found.add((word + rng.choice(_CODAS)).capitalize())
    return sorted(found)


def population(records: int, *, seed: int = 11, duplicate_rate: float = 0.2,
               today: date | None = None) -> tuple[list[resolution.PersonRecord], list[int]]:
    """`records` person records, about `duplicate_rate` of them further mentions of someone
    already listed (with the variations agencies write: misspelt names, a nickname, a partial
    or missing date of birth, another phone). Returns the records and, for each, the person it
    really is."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)  # noqa: S311 - repeatable invented data, not secrets
    today = today or date(2026, 11, 1)
    families = sorted(set(fake.last_name() for _ in range(3000))) + _built_names(rng, 40_000)
    rng.shuffle(families)
    givens = sorted({*(fake.first_name() for _ in range(4000)),
                     *(n.capitalize() for n in resolution.nicknames())})
    short = {k.capitalize(): [s.capitalize() for s in v]
             for k, v in resolution.nicknames().items()}
    family_weights = [(rank + 1) ** -0.6 for rank in range(len(families))]
    people = max(1, int(records * (1 - duplicate_rate)))
    family_of = rng.choices(families, weights=family_weights, k=people)
    out: list[resolution.PersonRecord] = []
    truth: list[int] = []
    details: list[tuple[str, str, date, str]] = []
    for pid in range(people):
        born = today - timedelta(days=rng.randint(18 * 365, 66 * 365))
        phone = f"+447700{rng.randrange(10_000_000):07d}"
        details.append((rng.choice(givens), family_of[pid], born, phone))
        out.append(resolution.PersonRecord(key=str(pid), given=details[pid][0],
                                           family=family_of[pid], date_of_birth=born,
                                           phones=frozenset({phone})))
        truth.append(pid)
    for n in range(people, records):
        pid = rng.randrange(people)
        given, family, born, phone = details[pid]
        nicknames: tuple[str, ...] = ()
        if given in short and rng.random() < 0.3:
            nicknames, given = (rng.choice(short[given]),), ""
        elif rng.random() < 0.15:
            given = _misspell(rng, given)
        if rng.random() < 0.2:
            family = _misspell(rng, family)
        year = month = None
        dob: date | None = born
        roll = rng.random()
        if roll < 0.2:
            dob = None
        elif roll < 0.35:
            dob, year, month = None, born.year, born.month
        phones = frozenset({phone}) if rng.random() < 0.6 else (
            frozenset({f"+447700{rng.randrange(10_000_000):07d}"}) if rng.random() < 0.5
            else frozenset())
        out.append(resolution.PersonRecord(key=str(n), given=given, family=family,
                                           nicknames=nicknames, date_of_birth=dob,
                                           birth_year=year, birth_month=month, phones=phones))
        truth.append(pid)
    return out, truth


def pairs_of(truth: list[int]) -> int:
    """How many true pairs a population holds (records of the same person, two by two)."""
    counts: dict[int, int] = {}
    for pid in truth:
        counts[pid] = counts.get(pid, 0) + 1
    return sum(c * (c - 1) // 2 for c in counts.values())
