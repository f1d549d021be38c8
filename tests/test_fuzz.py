"""Fuzzing the API from its own OpenAPI document, with Schemathesis.

Schemathesis reads /api/openapi.json, generates requests that fit it (and some
that deliberately do not), sends them to the app in process, and runs every
check it has on every answer: never a 5xx; only documented status codes,
headers and content types; bodies that match the documented schemas; valid
input accepted and invalid input refused; auth that is really enforced. The
requests are logged in, as the demo author, so validation behind auth gets
fuzzed too. A fixed seed and a bounded number of examples per operation keep
CI repeatable and quick.
"""

import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from webtest import TestApp

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
                      # Fuzzed logins and sign-ups come by the hundred, from one
                      # address; the throttle is tested elsewhere.
                      login_failures_before_backoff=10**6, login_failures_per_address=10**6,
                      signups_per_address=10**6)
    seed(config.database, config, users=5, articles=20)
    return reporting_500s(create_app(settings=config))


# Schemathesis reads the document when this module is imported, so the app and
# its temporary database are made here, and removed when the module is done.
FOLDER = tempfile.TemporaryDirectory(prefix="stagecraft-fuzz-")
APP = build_app(FOLDER.name)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)
load_all_checks()
ALL_CHECKS = CHECKS.get_all()
# A body past max_body_bytes is refused with 413, the right status for it, which
# the check does not list among the ways to refuse invalid data.
refusals = schema.config.checks.negative_data_rejection
refusals.expected_statuses = [*refusals.expected_statuses, "413"]


@pytest.fixture(scope="module", autouse=True)
def remove_the_database():
    yield
    FOLDER.cleanup()


@schema.auth()
class DemoAuthor:
    """Log in as the demo author, and again whenever a token stops working (a
    fuzzed PUT /api/user may change the password: then a new account signs)."""

    accounts = 0

    def get(self, case, context):
        client = TestApp(APP)
        answer = client.post_json("/api/users/login", {"user": {
            "email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}}, expect_errors=True)
        if answer.status_int != 200:
            DemoAuthor.accounts += 1
            name = f"fuzzer{DemoAuthor.accounts}"
            answer = client.post_json("/api/users", {"user": {
                "username": name, "email": f"{name}@example.com", "password": DEMO_PASSWORD}})
        return answer.json["user"]["token"]

    def set(self, case, token, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {token}"}


@schema.hook("filter_body")
def no_password_equal_to_its_username_or_email(context, body):
    """Lesson 4 refuses such a password (422), a rule between two fields that
    JSON Schema cannot state. Schemathesis would count it as valid data
    refused, so it generates no such body."""
    user = body.get("user") if isinstance(body, dict) else None
    if not isinstance(user, dict) or not isinstance(user.get("password"), str):
        return True
    return user["password"].lower() not in {user[field].lower() for field in ("username", "email")
                                            if isinstance(user.get(field), str)}


@schema.parametrize()
# derandomize: the same examples every run. database=None: never replay examples
# saved by an earlier run, which would make CI depend on a local folder.
@settings(max_examples=30, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_documented_promises(case):
    case.call_and_validate(checks=ALL_CHECKS)
