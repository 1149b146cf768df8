"""The access matrix for every write (issue 13): every URL that accepts a POST, as every named
role and under every kind of grant, live, expired, revoked and read-only. It fails when a URL
accepts POST without a rule here. The views and the world are those of the access matrix
(test_access_matrix.py); this module builds the world once and runs each cell in a savepoint,
so it sits in a module of its own, apart from the tests that build a world each.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from lantern import testing
from lantern.foundation import grants
from lantern.foundation.models import GrantBasis

from .test_access_matrix import (
    CHANGE_PAGE,
    EVERYONE,
    FORBIDDEN,
    MEETING_CHANGE,
    NOT_FOUND,
    OK,
    PLAN_CHANGE,
    PUBLIC_OR_SIGN_IN,
    REDIRECT,
    RULES,
    SEES_CHILD,
    build_world,
    only,
)

# Every URL that accepts a POST has a rule here, found by asking each view which methods it
# accepts (require_http_methods, a class-based view's handlers, an API viewset's actions); a
# view that does not say is taken to accept POST. Each write is POSTed empty by every named
# person, and again by carol (a teacher in Eastmoor, who otherwise sees nothing of Zephyrine)
# holding exactly one grant of each kind, live, expired or revoked. An empty POST changes
# nothing: those allowed see the form again with its errors (200) or are sent back (302);
# those who may only read are refused (403); those who may not see are told nothing (404).
#
# The world is built once for the module and each cell runs in its own savepoint, rolled back
# after it (write_world below), so ~1,000 cells cost one world.

def _allowed_methods(callback) -> set[str] | None:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        actions = getattr(callback, "actions", None)
        if actions:
            return {m.upper() for m in actions}
        return {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
    func = callback
    while func is not None:
        try:
            nonlocals = inspect.getclosurevars(func).nonlocals
        except TypeError:
            nonlocals = {}
        if "request_method_list" in nonlocals:  # django.views.decorators.http
            return {m.upper() for m in nonlocals["request_method_list"]}
        func = getattr(func, "__wrapped__", None)
    return None


def _post_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _post_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            methods = _allowed_methods(entry.callback)
            if methods is None or "POST" in methods:
                yield f"{namespace}{entry.name}"


# What a write needs, for the grant cells: "add" (any live grant that is not read-only: a
# concern, a screening, a referral...), "change" (a grant that changes the record: an
# allocation), or "role" (a role or a part in a meeting; no grant alone gives it).
ADD, CHANGE, ROLE = "add", "change", "role"


@dataclass
class Write:
    path: Callable[[dict], str]
    expect: dict
    needs: str
    # Whether the write is about Zephyrine (the grant cells try only those).
    about_child: bool = True


def _post(name: str, needs: str, expect: dict | None = None, *, about_child: bool = True,
          path: Callable[[dict], str] | None = None) -> Write:
    rule = RULES[name]
    return Write(path or rule.path, expect if expect is not None else rule.expect, needs,
                 about_child)


# Those who may add to Zephyrine's record: alice (her school added it), the area's front door,
# CSE team manager and police; sam, unallocated, may not see her.
ADD_PAGE = only(SEES_CHILD, NOT_FOUND, contributors_only=True)
# Decided or moved on by the area's front door and CSE team manager only.
DECIDE = {**only(SEES_CHILD, NOT_FOUND), "alice": FORBIDDEN, "priya": FORBIDDEN}
WRITES: dict[str, Write] = {
    "change_password": _post("change_password", ROLE, about_child=False),
    "people:add": _post("people:add", ROLE, about_child=False),
    "pathway:language_check": _post("pathway:language_check", ROLE, about_child=False),
    "sharing:break_glass": _post("sharing:break_glass", ROLE, about_child=False),
    # An empty review names no grant: the manager is told there is none.
    "sharing:break_glass_reviews": _post("sharing:break_glass_reviews", ROLE,
                                         {**only(set(), FORBIDDEN), "maria": NOT_FOUND},
                                         about_child=False),
    "pathway:record_concern": _post("pathway:record_concern", ADD, ADD_PAGE),
    "pathway:refer": _post("pathway:refer", ADD, ADD_PAGE),
    "screening:new": _post("screening:new", ADD, ADD_PAGE),
    "screening:suggest": _post("screening:suggest", ADD),
    "screening:bichard_new": _post("screening:bichard_new", ADD, ADD_PAGE),
    "sharing:record_decision": _post("sharing:record_decision", ADD, ADD_PAGE),
    "missing:record_episode": _post("missing:record_episode", ADD, ADD_PAGE),
    "missing:record_return": _post("missing:record_return", ADD),
    "missing:interview": _post("missing:interview", ADD),
    "missing:hand_over": _post("missing:hand_over", ADD),
    "missing:transition": _post("missing:transition", CHANGE, CHANGE_PAGE),
    "missing:edit_profile": _post("missing:edit_profile", CHANGE),
    "missing:resolve_prompt": _post("missing:resolve_prompt", CHANGE),
    "intelligence:submit": _post(
        "intelligence:submit", ADD, ADD_PAGE,
        path=lambda o: f"/intelligence/new/?child={o['child'].pk}"),
    "pathway:referral": _post("pathway:referral", ROLE, DECIDE),
    "pathway:police_referral_decision": _post("pathway:police_referral_decision", ROLE),
    "pathway:pathway": _post("pathway:pathway", CHANGE, DECIDE),
    "pathway:urgent_route": _post("pathway:urgent_route", CHANGE),
    # Grading is for police; the others who see the report may not grade it.
    "intelligence:report": _post("intelligence:report", ROLE, {
        **only({"priya"}, NOT_FOUND), "alice": FORBIDDEN, "fiona": FORBIDDEN,
        "maria": FORBIDDEN}),
    "intelligence:proposal": _post("intelligence:proposal", ROLE, about_child=False),
    "intelligence:trigger": _post("intelligence:trigger", ROLE,
                                  {**only({"maria"}, NOT_FOUND), "priya": FORBIDDEN}),
    "intelligence:subject_risk": _post("intelligence:subject_risk", ROLE, about_child=False),
    "convene_from_trigger": _post("convene_from_trigger", ROLE),
    "meetings:convene": _post("meetings:convene", ROLE),
    "meetings:invite": _post("meetings:invite", ROLE),
    "meetings:attendance": _post("meetings:attendance", ROLE),
    "meetings:minutes": _post("meetings:minutes", ROLE),
    "meetings:request_closed": _post("meetings:request_closed", ROLE),
    # Only the chair records a closed section; the others invited read it.
    "meetings:closed_section": _post("meetings:closed_section", ROLE, {
        **RULES["meetings:closed_section"].expect, "alice": FORBIDDEN, "priya": FORBIDDEN}),
    "meetings:decision": _post("meetings:decision", ROLE),
    "meetings:child_record": _post("meetings:child_record", ROLE, MEETING_CHANGE),
    "meetings:participation": _post("meetings:participation", ROLE, MEETING_CHANGE),
    "meetings:oversight": _post("meetings:oversight", ROLE),
    "meetings:conclude": _post("meetings:conclude", ROLE),
    "meetings:cancel": _post("meetings:cancel", ROLE),
    "plans:start": _post("plans:start", CHANGE),
    "plans:add_action": _post("plans:add_action", CHANGE),
    "plans:measures": _post("plans:measures", CHANGE),
    "plans:close": _post("plans:close", CHANGE),
    "plans:action": _post("plans:action", CHANGE, PLAN_CHANGE),
    "plans:breach": _post("plans:breach", CHANGE),
}


def test_every_write_has_an_access_rule():
    names = set(_post_names(get_resolver().url_patterns)) - PUBLIC_OR_SIGN_IN
    missing = names - set(WRITES)
    assert not missing, f"URLs that accept POST without a rule in WRITES: {sorted(missing)}"
    stale = set(WRITES) - names
    assert not stale, f"rules for writes that no longer accept POST: {sorted(stale)}"


@pytest.fixture(scope="module")
def write_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Zephyrine's world (build_world), built once for the module inside a transaction that is
    rolled back at its end; each test's own savepoint (the `db` fixture) undoes what it did."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            p = testing.build_partnership()
            yield p, build_world(p)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _post_as(client, user, write: Write, world: dict) -> int:
    testing.sign_in_client(client, user)
    return client.post(write.path(world)).status_code


WRITE_CELLS = [(view, user) for view in WRITES for user in EVERYONE]


@pytest.mark.parametrize(("view", "user"), WRITE_CELLS,
                         ids=[f"{v}-{u}" for v, u in WRITE_CELLS])
def test_write_matrix(write_world, db, client, view, user):
    p, world = write_world
    write = WRITES[view]
    got = _post_as(client, getattr(p, user), write, world)
    expected = write.expect[user]
    assert got == expected, f"{user} POST {view}: expected {expected}, got {got}"


# Carol's grants: (basis, state). Each basis is granted as its flow grants it (allocation
# changes the record, emergency access is read-only, the rest add to it); "expired" ended a
# minute ago, "revoked" was ended by a manager, "read-only" is a cross-area agreement to read.
GRANT_STATES = [(basis, "live") for basis in GrantBasis.values] + [
    (basis, "expired") for basis in GrantBasis.values] + [
    (GrantBasis.CROSS_AREA_AGREEMENT, "revoked"), (GrantBasis.CROSS_AREA_AGREEMENT, "read-only")]


def _give_carol(p, child, basis: str, state: str) -> None:
    now = timezone.now()
    details = {"read_only": basis == GrantBasis.BREAK_GLASS or state == "read-only",
               "changes": basis == GrantBasis.ALLOCATION}
    if state == "expired":
        details.update(starts_at=now - timedelta(days=2), ends_at=now - timedelta(minutes=1))
    holder = ({"agency": p.eastmoor_high} if basis == GrantBasis.REFERRAL_ROUTING
              else {"user": p.carol})
    row = grants.grant(child, basis=basis, by=p.maria, reason="The write matrix",
                       **holder, **details)
    if state == "revoked":
        grants.revoke(row, by=p.maria, reason="The write matrix")


# Where carol, holding a grant, gets other than alice: alice is invited to the meeting, and a
# grant is not an invitation (she neither asks for nor reads a closed section).
NOT_AS_ALICE = {"meetings:request_closed": FORBIDDEN, "meetings:closed_section": NOT_FOUND}


def _expected_for_grant(view: str, basis: str, state: str) -> int:
    """What carol gets when the grant is all she has: nothing from an expired or revoked one;
    with a live one what alice (whose school holds a grant) gets, except that read-only access
    is refused every write and only an allocation changes the record (as the front door)."""
    write = WRITES[view]
    if state in ("expired", "revoked"):
        return write.expect["carol"]
    read_only = basis == GrantBasis.BREAK_GLASS or state == "read-only"
    teacher = NOT_AS_ALICE.get(view, write.expect["alice"])
    if write.needs == CHANGE and basis == GrantBasis.ALLOCATION and not read_only:
        return write.expect["fiona"]
    if write.needs == CHANGE:
        return FORBIDDEN
    if read_only and teacher in (OK, REDIRECT):
        return FORBIDDEN
    return teacher


GRANT_CELLS = [(view, basis, state) for view, write in WRITES.items() if write.about_child
               for basis, state in GRANT_STATES]


@pytest.mark.parametrize(("view", "basis", "state"), GRANT_CELLS,
                         ids=[f"{v}-{b}-{s}" for v, b, s in GRANT_CELLS])
def test_write_matrix_by_grant(write_world, db, client, view, basis, state):
    p, world = write_world
    _give_carol(p, world["child"], basis, state)
    got = _post_as(client, p.carol, WRITES[view], world)
    expected = _expected_for_grant(view, basis, state)
    assert got == expected, f"carol with {state} {basis} POST {view}: expected {expected}, " \
                            f"got {got}"
