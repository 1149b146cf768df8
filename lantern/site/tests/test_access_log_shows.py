"""Every response that shows a child writes an audit row naming them, and their access log
shows it (issue 13): lists, searches, API lists, charts and pickers write one row per response
with the children's ids (`changes["children"]`, indexed in AuditShown). Audit summaries carry
references, never names: a board member reads every access log and finds no child's name.
"""

import pytest

from lantern import testing
from lantern.foundation import audit
from lantern.foundation.models import AuditEvent, Child
from lantern.site.tests.test_access_matrix import RULES, _build_world

# Those who see Zephyrine open every page they may: whatever they open is in her access log.
READERS = ["fiona", "maria", "priya", "alice"]


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker, tmp_path_factory):
    def build():
        p = testing.build_partnership()
        return p, _build_world(p)

    yield from testing.built_once(django_db_blocker, build,
                                  files=tmp_path_factory.mktemp("access-log-media"))


@pytest.fixture(autouse=True)
def _private_files():
    """The missing-person photo was written once, under the module's MEDIA_ROOT (`_built`)."""


@pytest.fixture
def _fresh(db, _built):
    return testing.fresh(_built)


@pytest.fixture
def p(_fresh):
    return _fresh[0]


@pytest.fixture
def world(_fresh):
    return _fresh[1]


# Responses that list or pick children, each shown to someone who sees Zephyrine.
LISTS = [("people:find", "fiona"), ("api-child-list", "fiona"), ("api-referral-list", "fiona"),
         ("pathway:tray", "fiona"), ("work", "fiona"), ("intelligence:submit", "fiona"),
         ("intelligence:chart_data", "maria")]


@pytest.mark.parametrize(("view", "user"), LISTS)
def test_a_list_that_shows_the_child_is_in_her_access_log(p, world, client, view, user):
    child = world["child"]
    testing.sign_in_client(client, getattr(p, user))
    before = AuditEvent.objects.count()
    assert client.get(RULES[view].path(world)).status_code == 200
    rows = list(AuditEvent.objects.filter(seq__gt=before, actor=getattr(p, user)))
    assert len(rows) == 1, f"{view} wrote {len(rows)} audit rows"
    body = testing.sign_in_client(client, p.bea).get(
        f"/children/{child.pk}/access-log/").content.decode()
    assert rows[0].summary in body, f"{view} is not in the child's access log"


def test_no_access_log_names_a_child_to_a_board_member(p, world, client):
    for name in READERS:
        testing.sign_in_client(client, getattr(p, name))
        for rule in RULES.values():
            if rule.method == "get" and rule.expect.get(name) == 200:
                client.get(rule.path(world))
    testing.sign_in_client(client, p.bea)
    for child in Child.objects.all():
        body = client.get(f"/children/{child.pk}/access-log/").content.decode()
        for part in {child.full_name, child.given_names, child.family_name} - {""}:
            assert part not in body, f"child {child.pk}'s access log names them"


NAME = "Zephyrine Quillfeather"
GETS = sorted(name for name, rule in RULES.items() if rule.method == "get")


@pytest.mark.parametrize("view", GETS)
def test_every_page_that_names_the_child_names_her_in_its_audit_row(p, world, client, view):
    rule = RULES[view]
    reader = next((name for name in READERS if rule.expect.get(name) == 200), None)
    if reader is None:
        pytest.skip("nobody who sees Zephyrine opens this page")
    child = world["child"]
    testing.sign_in_client(client, getattr(p, reader))
    before = AuditEvent.objects.count()
    response = client.get(rule.path(world))
    if response.streaming or NAME not in response.content.decode(errors="replace"):
        return
    rows = AuditEvent.objects.filter(seq__gt=before)
    assert any(row.child_id == child.pk or child.pk in audit.children_shown(row.changes)
               for row in rows), f"{view} shows {NAME} to {reader} and no audit row names her"
