"""Every list page's query count stays flat as rows grow (STYLE: tests)."""

import pytest

from lantern import testing
from lantern.intelligence.models import IntelligenceReport

from .helpers import grade, person, report


def _queries(client, url, django_assert_max_num_queries) -> int:
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add(p, n):
    for i in range(n):
        kid = testing.make_child(p.alice, given_names=f"Kid{i}")
        kid2 = testing.make_child(p.alice, given_names=f"Other{i}")
        grade(report(p.alice, [kid, kid2], person(f"Given{i}", f"Family{i}",
                                                  phone=f"07700 900{i:03d}")), p.priya)
        report(p.alice, [kid], person(f"Given{i}", f"Family{i}", phone=f"07700 900{i:03d}"))


# session, user, access subqueries, the rows with their joins and prefetches, audit (chain
# head lock, insert, head update), savepoints: the same however many rows.
@pytest.mark.parametrize("url,name", [("/intelligence/", "maria"),
                                      ("/intelligence/triggers/", "maria"),
                                      ("/intelligence/resolution/", "priya"),
                                      ("/intelligence/subjects/", "priya")])
def test_list_query_counts_stay_flat_as_rows_grow(p, child, as_user, url, name,
                                                  django_assert_max_num_queries):
    client = as_user(getattr(p, name))
    _add(p, 2)
    few = _queries(client, url, django_assert_max_num_queries)
    _add(p, 6)
    assert IntelligenceReport.objects.count() == 16
    many = _queries(client, url, django_assert_max_num_queries)
    assert few == many
