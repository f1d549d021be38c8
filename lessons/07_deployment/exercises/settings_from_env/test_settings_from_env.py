"""Tests for settings_from_env. Run via `python -m lessons check settings_from_env`."""

import pytest

SECRET = "s" * 40


@pytest.fixture
def load(exercise):
    return exercise.get("load_settings")


@pytest.fixture
def SettingsError(exercise):  # noqa: N802 (named like the class it returns)
    return exercise.get("SettingsError")


def test_defaults_apply_when_only_the_secret_is_set(load):
    settings = load({"STAGECRAFT_SECRET_KEY": SECRET})
    assert (settings.port, settings.debug, settings.database_path) == (8000, False, "data/app.db")


def test_1_a_missing_secret_is_an_error(load, SettingsError):
    with pytest.raises(SettingsError, match="STAGECRAFT_SECRET_KEY"):
        load({})


def test_1_a_short_secret_is_an_error_that_does_not_leak_it(load, SettingsError):
    with pytest.raises(SettingsError) as caught:
        load({"STAGECRAFT_SECRET_KEY": "hunter2"})
    assert "STAGECRAFT_SECRET_KEY" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_2_the_port_is_parsed(load):
    assert load({"STAGECRAFT_SECRET_KEY": SECRET, "STAGECRAFT_PORT": "9000"}).port == 9000


# "²" and "٨٠" (Arabic-Indic 80) pass str.isdigit(); int() refuses the first, reads the second.
@pytest.mark.parametrize("port", ["eighty", "0", "65536", "-1", "", "²", "٨٠"])
def test_2_a_bad_port_is_an_error_naming_the_variable(load, SettingsError, port):
    with pytest.raises(SettingsError, match="STAGECRAFT_PORT"):
        load({"STAGECRAFT_SECRET_KEY": SECRET, "STAGECRAFT_PORT": port})


@pytest.mark.parametrize(("text", "expected"), [
    ("1", True), ("true", True), ("YES", True), ("on", True),
    ("0", False), ("false", False), ("No", False), ("off", False),
])
def test_3_debug_understands_words_not_just_truthiness(load, text, expected):
    assert load({"STAGECRAFT_SECRET_KEY": SECRET, "STAGECRAFT_DEBUG": text}).debug is expected


def test_3_an_unclear_debug_value_is_an_error(load, SettingsError):
    with pytest.raises(SettingsError, match="STAGECRAFT_DEBUG"):
        load({"STAGECRAFT_SECRET_KEY": SECRET, "STAGECRAFT_DEBUG": "maybe"})


def test_4_the_database_path_is_read(load):
    env = {"STAGECRAFT_SECRET_KEY": SECRET, "STAGECRAFT_DATABASE_PATH": "/srv/app.db"}
    assert load(env).database_path == "/srv/app.db"


def test_5_all_problems_are_reported_at_once(load, SettingsError):
    with pytest.raises(SettingsError) as caught:
        load({"STAGECRAFT_PORT": "x", "STAGECRAFT_DEBUG": "maybe"})
    message = str(caught.value)
    for name in ("STAGECRAFT_SECRET_KEY", "STAGECRAFT_PORT", "STAGECRAFT_DEBUG"):
        assert name in message
