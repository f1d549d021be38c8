"""Tests for csrf_token. Run via `python -m lessons check csrf_token`."""

import re

import pytest
import webtest


@pytest.fixture
def issue_token(exercise):
    return exercise.get("issue_token")


@pytest.fixture
def check_token(exercise):
    return exercise.get("check_token")


def test_1_a_token_is_long_and_random(issue_token):
    first, second = issue_token({}), issue_token({})
    assert len(first) >= 32
    assert first != second


def test_1_a_session_keeps_its_token(issue_token):
    session = {}
    assert issue_token(session) == issue_token(session) == session["csrf_token"]


def test_2_3_the_right_token_passes(issue_token, check_token):
    session = {}
    assert check_token(session, issue_token(session)) is True


def test_2_3_a_wrong_token_fails(issue_token, check_token):
    session = {}
    issue_token(session)
    assert check_token(session, "guess") is False


@pytest.mark.parametrize("submitted", ["", None])
def test_2_an_empty_session_and_no_token_is_not_a_match(check_token, submitted):
    assert check_token({}, submitted) is False
    assert check_token({"csrf_token": ""}, submitted) is False


def test_3_non_ascii_input_fails_instead_of_crashing(issue_token, check_token):
    session = {}
    issue_token(session)
    assert check_token(session, "caf\u00e9") is False


@pytest.fixture
def browser(exercise):
    return webtest.TestApp(exercise.get("make_app")())  # keeps cookies, like a browser


def test_4_our_own_form_can_be_submitted(browser):
    form = browser.get("/settings")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    assert browser.post("/settings", {"csrf_token": token, "bio": "hi"}).text == "Saved"


def test_4_a_forged_post_without_the_token_is_403(browser):
    browser.get("/settings")  # the victim has a session...
    browser.post("/settings", {"bio": "pwned"}, status=403)  # ...evil.example posts without a token


def test_4_a_token_from_another_session_is_403(exercise, browser):
    attacker = webtest.TestApp(exercise.get("make_app")())
    stolen = re.search(r'value="([^"]+)"', attacker.get("/settings").text).group(1)
    browser.get("/settings")
    browser.post("/settings", {"csrf_token": stolen, "bio": "pwned"}, status=403)
