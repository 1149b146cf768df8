from contextlib import contextmanager

import pytest
from django.core.cache import cache

from lantern import testing
from lantern.foundation import rows

# Each worker's test database is a copy of one migrated database (lantern/testdb.py).
from lantern.testdb import django_db_modify_db_settings  # noqa: F401


@pytest.fixture
def partnership(db) -> testing.Partnership:
    return testing.build_partnership()


@pytest.fixture
def p(partnership) -> testing.Partnership:
    """Short name for the named people (see lantern/testing.py)."""
    return partnership


@pytest.fixture
def child(p):
    """Jade, 14, in Northbridge: alice's school added her record and recorded a concern."""
    jade = testing.make_child(p.alice)
    testing.make_concern(jade, p.alice)
    return jade


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached: what a page keeps between requests (the overdue
    counts, the monitoring figures and filters as drawn) is named by ids another test's
    rolled-back rows may have had."""
    cache.clear()


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploaded files (missing-person photos) and audit checkpoints go to a temporary folder,
    never var/."""
    for name, value in testing.private_file_settings(tmp_path).items():
        setattr(settings, name, value)


@pytest.fixture
def as_user(client):
    """Sign a test client in as one of the named people: `as_user(p.alice).get(url)`."""

    def sign_in(user):
        return testing.sign_in_client(client, user)

    return sign_in


@pytest.fixture
def ran_ahead(monkeypatch) -> list[tuple[int, int, dict]]:
    """Each block's reads run ahead (`rows.ahead`) as (how many were asked, how many were
    run and kept, what was left unread at its end), in the order the blocks ran: a block
    whose every read was run ahead and taken is (n, n, {})."""
    blocks: list[tuple[int, int, dict]] = []
    run_ahead = rows.ahead

    @contextmanager
    def watched(statements):
        with run_ahead(statements) as left:
            kept = len(left)
            yield left
        blocks.append((len(statements), kept, dict(left)))

    monkeypatch.setattr(rows, "ahead", watched)
    return blocks
