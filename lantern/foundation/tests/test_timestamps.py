"""Lantern's PostgreSQL connections read times with `timestamps.UtcTimestamps` (in C, by the
standard library) to the value and time zone Django's own loader gave (in Python)."""

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import (  # type: ignore[import-untyped]
    BaseTzLoader,
    register_tzloader,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg import DataError

from lantern.foundation.timestamps import UtcTimestamps

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loader"),
]
TIMESTAMPTZ = 1184  # PostgreSQL's type id of timestamptz
INDIA = datetime.timezone(datetime.timedelta(hours=5, minutes=30))


def _read(value, *, djangos: bool) -> datetime.datetime:
    with connection.cursor() as cursor:
        if djangos:
            register_tzloader(datetime.UTC, cursor.cursor)
        cursor.execute("SELECT %s::timestamptz", [value])
        return cursor.fetchone()[0]


def test_a_connection_reads_times_with_the_c_parser():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ, 0)
    assert loader is UtcTimestamps


@settings(deadline=None, max_examples=60)
@given(st.datetimes(min_value=datetime.datetime(1, 1, 2),  # noqa: DTZ001 - bounds are naive
                    max_value=datetime.datetime(9999, 12, 30),  # noqa: DTZ001
                    timezones=st.sampled_from([datetime.UTC, INDIA])))
def test_a_time_reads_as_djangos_loader_read_it(value):
    read = _read(value, djangos=False)
    assert read == value == _read(value, djangos=True)
    assert read.tzinfo is datetime.UTC


class _DjangosLoader(BaseTzLoader):
    """Django's loader of times for a connection in UTC, as `register_tzloader` makes it."""

    timezone = datetime.UTC


@pytest.mark.parametrize("text", [b"2026-03-04 14:05:00+01", b"2026-03-04 14:05:00.5+05:30",
                                  b"0001-01-01 00:00:00+00"])
def test_other_text_reads_as_djangos_loader_read_it(text):
    connection.ensure_connection()
    ours = UtcTimestamps(TIMESTAMPTZ, connection.connection)
    assert ours.load(text) == _DjangosLoader(TIMESTAMPTZ, connection.connection).load(text)


@pytest.mark.parametrize("text", [b"10000-01-01 00:00:00+00", b"2026-03-04 14:05:00+00 BC"])
def test_a_time_python_cannot_hold_is_refused_as_djangos_loader_refused_it(text):
    connection.ensure_connection()
    with pytest.raises(DataError):
        _DjangosLoader(TIMESTAMPTZ, connection.connection).load(text)
    with pytest.raises(DataError):
        UtcTimestamps(TIMESTAMPTZ, connection.connection).load(text)
