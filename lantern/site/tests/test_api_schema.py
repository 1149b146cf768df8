"""The partner API against its own OpenAPI schema (/api/schema/), with schemathesis (issue 13):
calls generated from the schema, valid and invalid, made by a signed-in front-door worker
through the WSGI application, never answer with a server error, never accept a call the schema
forbids, and answer in the shape the schema promises. Bounded (a few examples per operation)
so it runs with the unit tests in `make test` and CI.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
)

from lantern import testing


def _api_schema() -> dict:
    """The schema /api/schema/ serves, generated here so that loading it needs no signed-in
    request. Its session-cookie security is left out: every call here carries fiona's session
    (who may call what is the access matrix's business, test_access_matrix.py), so a call
    "without the cookie" would still be signed in."""
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))
    document.get("components", {}).pop("securitySchemes", None)
    for operations in document["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.pop("security", None)
    return document


schema = schemathesis.openapi.from_dict(_api_schema())
# Django's WSGI application, as lantern.wsgi makes it (without settling the test process).
schema.app = get_wsgi_application()

CHECKS = [not_a_server_error, negative_data_rejection, response_schema_conformance]
FIGURES = {"calls": 0}


@pytest.fixture
def session_cookie(p, child, client):
    """fiona, the front door of Zephyrine's area, with a referral to see; the API answers her
    through the same WSGI application and database connection as the test."""
    testing.make_referral(child, p.alice)
    testing.sign_in_client(client, p.fiona)
    return {"sessionid": client.cookies["sessionid"].value}


@pytest.fixture(autouse=True)
def _connection_kept_open():
    """Django's test client keeps the test's database connection open across a request; the
    WSGI application schemathesis calls would close it when each response finishes (as in
    production), ending the test's transaction on PostgreSQL. Keep it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _figures():
    yield
    print(f"\nschemathesis: {FIGURES['calls']} generated calls (a failing one fails its test)")


@schema.parametrize()
@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_keeps_to_its_schema(case, session_cookie):
    FIGURES["calls"] += 1
    case.call_and_validate(cookies=session_cookie, checks=CHECKS)


def test_the_schema_cites_no_seed_file_name():
    """The API's help names the published procedures, never "seed 00N" (lantern.domain.sources)."""
    assert "seed 00" not in json.dumps(_api_schema(), ensure_ascii=False).lower()
