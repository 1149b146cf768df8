"""Bad input never causes a server error (issue 13): every URL's ids, every page's query
string and every form's fields are tried with odd values by a signed-in person who may use
them, and no response is a 5xx. Bounded so it stays quick: the world of the access matrix is
built once for the module, and hypothesis draws a few examples per view.

The figures (cases run, server errors) are printed at the end of the module.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern import testing
from lantern.site.tests.test_access_matrix import RULES, WRITES, _build_world

# Values that have broken a parser somewhere: numbers too big for any column, Unicode digits
# that Python's int() reads, absurd years, control characters, long texts.
ODD = [
    "", " ", "0", "-1", "1.5", "1e9", "99999999999999999999", "9" * 40, "٣", "１２", "²",
    "NaN", "inf", "\x00", "\u202e", "<script>", "'; --", "0000", "00000000000000000001",
    "x" * 3000, "2025-13-45", "31/02/2025", "ce1", "e99999999999999999999", "c٣",
]
odd_values = st.one_of(st.sampled_from(ODD), st.text(max_size=30),
                       st.integers().map(str))

# Query-string keys the pages read (grep request.GET), and the API's paging.
QUERY_KEYS = ["child", "focus", "state", "tray", "list", "format", "version", "show",
              "outcome", "consent", "path", "kind", "given_names", "family_name", "q",
              "limit", "offset", "page", "from", "to", "area", "year", "month", "next",
              "concern", "name", "date_of_birth_day", "date_of_birth_month",
              "date_of_birth_year"]

# Who uses each page: the first of these the access matrix lets in.
USERS = ["maria", "fiona", "priya", "alice", "ana", "bea", "ade", "dev"]
FIGURES = {"requests": 0, "server_errors": 0}
FIELD_NAMES: dict[str, list[str]] = {}


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker, tmp_path_factory):
    def build():
        p = testing.build_partnership()
        return p, _build_world(p)

    yield from testing.built_once(django_db_blocker, build,
                                  files=tmp_path_factory.mktemp("bad-input-media"))
    print(f"\nbad input: {FIGURES['requests']} requests, "
          f"{FIGURES['server_errors']} server errors")


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


def _user_for(*expects: dict) -> str:
    """The first person a rule lets in (a write that nobody may make empty-handed: whoever may
    open its page)."""
    for codes in ((200, 302), (404,)):
        # Nobody opens a page about a record the world lacks: then whoever gets as far as
        # looking the record up (404), past the role checks.
        for expect in expects:
            for name in USERS:
                if expect.get(name) in codes:
                    return name
    return next(iter(USERS))


def _fetch(client, method: str, path: str, data=None):
    FIGURES["requests"] += 1
    response = getattr(client, method)(path, data or {})
    if response.status_code >= 500:
        FIGURES["server_errors"] += 1
    return response


GETS = sorted(name for name, rule in RULES.items() if rule.method == "get")
NUMBER = re.compile(r"/(\d+)(?=/)")


@pytest.mark.parametrize("view", GETS)
def test_odd_ids_in_urls_are_not_server_errors(p, world, client, view):
    rule = RULES[view]
    path = rule.path(world)
    testing.sign_in_client(client, getattr(p, _user_for(rule.expect)))
    for odd in ("99999999999999999999",):
        for match in NUMBER.finditer(path):
            odd_path = path[:match.start(1)] + odd + path[match.end(1):]
            response = _fetch(client, "get", odd_path)
            assert response.status_code < 500, f"GET {odd_path}: {response.status_code}"


@pytest.mark.parametrize("view", GETS)
@settings(max_examples=2, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(query=st.dictionaries(st.sampled_from(QUERY_KEYS), odd_values, max_size=4))
def test_odd_query_strings_are_not_server_errors(p, world, client, view, query):
    rule = RULES[view]
    testing.sign_in_client(client, getattr(p, _user_for(rule.expect)))
    path = rule.path(world)
    response = _fetch(client, "get", path, query)
    assert response.status_code < 500, f"GET {path} {query!r}: {response.status_code}"


FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"")


def _field_names(client, path: str) -> list[str]:
    """The names of the fields the page's forms send (the page itself, GET)."""
    response = client.get(path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    names = set(FIELD.findall(response.content.decode()))
    names.discard("csrfmiddlewaretoken")
    return sorted(names)


def _post_path(world, view: str) -> str:
    return WRITES[view].path(world)


POSTS = sorted(WRITES)


@pytest.mark.parametrize("view", POSTS)
def test_every_field_odd_at_once_is_not_a_server_error(p, world, client, view):
    write = WRITES[view]
    testing.sign_in_client(client, getattr(p, _user_for(write.expect, RULES[view].expect)))
    path = write.path(world)
    names = _field_names(client, path) or ["id", "child"]
    for odd in ("99999999999999999999", "٣", "x" * 30_000):
        response = _fetch(client, "post", path, dict.fromkeys(names, odd))
        assert response.status_code < 500, f"POST {path} all={odd[:20]!r}: {response.status_code}"


@pytest.mark.parametrize("view", POSTS)
@settings(max_examples=3, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_odd_form_values_are_not_server_errors(p, world, client, view, data):
    write = WRITES[view]
    testing.sign_in_client(client, getattr(p, _user_for(write.expect, RULES[view].expect)))
    path = write.path(world)
    # Read the form's fields once per page: a POST one example makes (marking notifications
    # read) may change the page the next example would read, and hypothesis needs the same
    # strategy each time.
    names = FIELD_NAMES.setdefault(view, _field_names(client, path) or ["id", "child"])
    form = data.draw(st.dictionaries(st.sampled_from(names), odd_values, min_size=1))
    response = _fetch(client, "post", path, form)
    assert response.status_code < 500, f"POST {path} {form!r}: {response.status_code}"
