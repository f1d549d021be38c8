"""Fuzzing the API from its own OpenAPI document, with Schemathesis.

Schemathesis reads /api/openapi.json, generates requests that fit it (and some
that deliberately do not), sends them to the app in process, and checks every
answer: never a 5xx, only documented status codes and content types, and
bodies that match the documented schemas. A fixed seed and a bounded number
of examples per operation keep CI repeatable and quick.
"""

import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from reference_app import Settings, create_app
from reference_app.seed import DEMO_PASSWORD, seed


def reporting_500s(app):
    """Bottle passes exc_info to start_response on a 500, as PEP 3333 allows,
    and a test client then re-raises the exception instead of returning the
    response. Drop it, so a crash arrives as a 500 that Schemathesis reports."""
    def wrapped(environ, start_response):
        return app(environ, lambda status, headers, exc_info=None: start_response(status,
                                                                                  headers))
    return wrapped


def build_app(folder):
    config = Settings(database=f"{folder}/fuzz.db", instance_path=folder,
                      argon2_time_cost=1, argon2_memory_kib=8,
                      # Fuzzed logins fail by the hundred; the throttle is tested elsewhere.
                      login_failures_per_account=10**6, login_failures_per_address=10**6)
    seed(config.database, config, users=5, articles=20)
    return reporting_500s(create_app(settings=config))


# Schemathesis reads the document when this module is imported, so the app and
# its temporary database are made here, and removed when the module is done.
FOLDER = tempfile.TemporaryDirectory(prefix="stagecraft-fuzz-")
APP = build_app(FOLDER.name)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def remove_the_database():
    yield
    FOLDER.cleanup()


@pytest.fixture(scope="module")
def demo_token():
    from webtest import TestApp

    return TestApp(APP).post_json("/api/users/login", {"user": {
        "email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}}).json["user"]["token"]


@schema.parametrize()
# derandomize: the same examples every run. database=None: never replay examples
# saved by an earlier run, which would make CI depend on a local folder.
@settings(max_examples=30, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_documented_promises(case, demo_token):
    # Half the ways in are logged in, so validation behind auth gets fuzzed too.
    headers = {"Authorization": f"Token {demo_token}"} if case.method != "GET" else None
    case.call_and_validate(headers=headers)
