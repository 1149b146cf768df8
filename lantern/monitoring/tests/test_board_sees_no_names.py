"""Every page a board member can reach, by following links from their home page in the demo
partnership, names no child and no person intelligence mentions (issue 17, item 2)."""

import re
from collections import deque

import pytest
from django.core.management import call_command

from lantern import testing
from lantern.foundation.models import Child, User
from lantern.intelligence.models import Subject

SKIP = ("/sign-out/", "/static/", "/admin/")


def _names() -> set[str]:
    names = set()
    for child in Child.objects.all():
        names.add(child.full_name)
        if child.known_as:
            names.add(f"{child.known_as} {child.family_name}")
        names.update(alias for alias in child.aliases or [] if len(alias) > 3)
    for subject in Subject.objects.all():
        full = f"{subject.given_names} {subject.family_name}".strip()
        if " " in full:
            names.add(full)
        names.update(n for n in subject.nicknames or [] if len(n) > 3)
    return names


# The demo is loaded once for the module (lantern/testing.py, built_once); each test runs in
# its own transaction on top of it.
@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from testing.built_once(django_db_blocker, lambda: call_command("demo"),
                                  files=tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo(db, _loaded):
    """The demo partnership, loaded."""


@pytest.fixture(autouse=True)
def _private_files():
    """The module's files stay in its folder (`_loaded`)."""


def test_no_page_a_board_member_reaches_names_a_child_or_a_subject(demo, client):
    board = User.objects.get(username="board")
    testing.sign_in_client(client, board)
    names = _names()
    assert len(names) > 50
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I)
    seen, queue, pages = set(), deque(["/"]), 0
    while queue and pages < 150:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        pages += 1
        text = response.content.decode()
        found = pattern.search(text)
        assert found is None, f"{url} names {found.group(0)}"
        if response["Content-Type"].startswith("text/html"):
            for href in re.findall(r'href="(/[^"]*)"', text):
                href = href.replace("&amp;", "&").split("#")[0]
                if not href.startswith(SKIP) and href not in seen:
                    queue.append(href)
    assert "/monitoring/" in seen
    assert "/monitoring/reviews/" in seen
    print(f"board reached {pages} pages")
    assert pages >= 5


def test_an_analyst_sees_places_and_networks_in_the_demo_without_a_persons_name(demo, client):
    testing.sign_in_client(client, User.objects.get(username="analyst"))
    response = client.get("/monitoring/", {"since_day": "1", "since_month": "1",
                                           "since_year": "2000"})
    keys = [f.key for f in response.context["figures"]]
    assert keys[-2:] == ["places", "networks"]
    names = _names()
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I)
    assert pattern.search(response.content.decode()) is None
