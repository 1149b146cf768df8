"""The pages' query counts do not grow with the data (issue 18): the same pages, measured the
way `lantern bench pages` measures them, on a few generated children and then on many more
in the same areas. The counts are compared, never the times."""

import pytest
from django.db import connection

from lantern.foundation import access
from lantern.pathway.access import visible_referrals
from lantern.site import bench, generate

pytestmark = pytest.mark.django_db


def test_every_benchmarked_page_runs_as_many_queries_with_more_children():
    generate.generate(20)  # enough that every list shows some children (one audit index insert)
    small = bench.query_counts()
    generate.generate(200, more=True)
    larger = bench.query_counts()
    assert set(small) == {"floor", *(page.name for page in bench.PAGES)}
    assert larger == small


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_connections_do_not_compile_queries_with_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_has_trigram_indexes_for_finding_a_child():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'foundation_child'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"foundation_child_search_text_trgm", "foundation_child_search_keys_trgm"} <= indexes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_lists_read_the_grant_ids_once_and_one_child_probes_its_own(p):
    # Lists: `= ANY(ARRAY(...))`, an InitPlan run once, so a list walks its own index and
    # probes each row's child; one child by key: `IN`, that child's grants by index (issue 18).
    listed = str(visible_referrals(p.sam).query)
    assert "= ANY(ARRAY(SELECT" in listed
    one = str(access._children(p.sam, by_key=True).filter(pk=1).query)
    assert "= ANY(ARRAY" not in one and "IN (SELECT" in one
