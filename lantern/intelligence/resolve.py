"""Reading subjects for entity resolution (lantern.domain.resolution): each subject as a
PersonRecord, and the few existing subjects a new one shares a blocking key with."""

from lantern.domain.resolution import PersonRecord

from .models import BlockingKey, Subject


def person_record(subject: Subject) -> PersonRecord:
    return PersonRecord(
        key=str(subject.pk),
        given=subject.given_names,
        family=subject.family_name,
        nicknames=tuple(subject.nicknames or ()),
        date_of_birth=subject.date_of_birth,
        birth_year=subject.birth_year,
        birth_month=subject.birth_month,
        phones=frozenset(subject.phones or ()),
    )


def blocked_with(record: PersonRecord, *, exclude: int) -> list[Subject]:
    """Subjects sharing a blocking key with this record (indexed look-up)."""
    keys = record.blocking_keys()
    ids = set(BlockingKey.objects.filter(key__in=keys).values_list("entity_id", flat=True))
    ids.discard(exclude)
    return list(Subject.objects.filter(pk__in=ids))


def all_records() -> list[PersonRecord]:
    return [person_record(s) for s in Subject.objects.all().iterator(chunk_size=2000)]
