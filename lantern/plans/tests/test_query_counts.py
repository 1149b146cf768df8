"""The plan page and the child's record cost a fixed number of queries however many actions,
events, breaches and measures there are."""

from datetime import timedelta

from django.utils import timezone

from lantern import testing
from lantern.plans import actions

# The plan page: session, user, device, banner, the child, who may change it, the plan, its
# actions (owner, agency, subject, work item joined), their events and breaches (prefetched),
# reviews, measures, the audit chain head and row, savepoints. (The user's agency comes with the
# user since issue 18.)
# (The session is saved only when it changes or is a minute old since issue 18: three fewer.)
PLAN_PAGE = 16
# The child's record with a plan and its measures: the plan comes with its open actions
# counted, and (issue 18) the agency with the user, and emergency access, the missing-person
# profile and the transition plan with the child. Two more: the pathway's tracked category 3
# and trafficking responses (issue 14, item 6), and, for a CSE team manager who may merge
# records, the merges into this one (issue 15, item 2). One more: the pathway's adult
# safeguarding referrals (issue 14, item 10).
# (The session is saved only when it changes or is a minute old since issue 18: three fewer.)
# Four fewer (issue 18): the pathway's responses, adult safeguarding referrals and required
# meetings, and the merges into the record, are read only when there are some (this child has
# none); whether there are is asked with the pathway and the child.
# One fewer (issue 18): the pathways and their steps read in one query.
CHILDS_RECORD = 19


def _count(client, url, django_assert_num_queries, expected: int) -> None:
    client.get(url)  # the banner's counts are kept a minute per session: count the page warm
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def _grow(p, plan, n):
    for i in range(n):
        plan.refresh_from_db()
        action, _ = actions.add_action(
            plan, version=plan.version, by=p.maria, kind=("safety", "support")[i % 2],
            description=f"Action {i}", risk="Going missing", owner=p.sam,
            due_on=timezone.localdate() + timedelta(days=i + 1))
        plan.refresh_from_db()
        actions.update_action(action, version=plan.version, by=p.maria, status="in_progress")
        plan.refresh_from_db()
        actions.record_measures(plan, version=plan.version, by=p.maria, stage="review",
                                on=timezone.localdate() - timedelta(days=i),
                                values={"missing_episodes": i, "self_esteem": 3})


def test_the_plan_page_stays_flat_as_the_plan_grows(p, child, as_user,
                                                    django_assert_num_queries):
    plan = actions.start_plan(child, by=p.maria)
    client = as_user(p.maria)
    url = f"/children/{child.pk}/plan/"
    _grow(p, plan, 1)
    _count(client, url, django_assert_num_queries, PLAN_PAGE)
    _grow(p, plan, 6)
    _count(client, url, django_assert_num_queries, PLAN_PAGE)


def test_the_child_s_record_stays_flat_as_measures_grow(p, child, as_user,
                                                        django_assert_num_queries):
    plan = actions.start_plan(child, by=p.maria)
    client = as_user(p.maria)
    _grow(p, plan, 1)
    _count(client, child.get_absolute_url(), django_assert_num_queries, CHILDS_RECORD)
    _grow(p, plan, 5)
    _count(client, child.get_absolute_url(), django_assert_num_queries, CHILDS_RECORD)


def test_the_child_s_record_counts_the_plan_s_open_actions(p, child, as_user):
    # The record's plan summary (read through a compiled query, issue 18): done actions are
    # not open; the next review shows when set.
    plan = actions.start_plan(child, by=p.maria)
    client = as_user(p.maria)
    assert "The plan has 0 open actions" in client.get(child.get_absolute_url()).content.decode()
    _grow(p, plan, 3)
    action = plan.actions.order_by("pk").first()
    plan.refresh_from_db()
    actions.update_action(action, version=plan.version, by=p.maria, status="done")
    body = client.get(child.get_absolute_url()).content.decode()
    assert "The plan has 2 open actions" in body
    other = actions.start_plan(testing.make_child(p.alice), by=p.maria)
    _grow(p, other, 1)  # another child's plan counts nothing here
    assert "The plan has 2 open actions" in client.get(child.get_absolute_url()).content.decode()
