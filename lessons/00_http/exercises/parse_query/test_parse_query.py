"""Tests for parse_query. They run against your copy via `python -m lessons check parse_query`."""

import pytest


@pytest.fixture
def parse_query(exercise):
    return exercise.get("parse_query")


def test_1_an_empty_query_is_an_empty_dict(parse_query):
    assert parse_query("") == {}


def test_1_empty_pieces_are_skipped(parse_query):
    assert parse_query("a=1&&b=2&") == {"a": ["1"], "b": ["2"]}


def test_2_a_name_without_equals_has_an_empty_value(parse_query):
    assert parse_query("debug") == {"debug": [""]}


def test_2_only_the_first_equals_splits(parse_query):
    assert parse_query("expr=1%2B1=2") == {"expr": ["1+1=2"]}
    assert parse_query("eq=a=b") == {"eq": ["a=b"]}


def test_3_plus_is_a_space_and_percent_2B_is_a_plus(parse_query):
    assert parse_query("q=hello+world&op=%2B") == {"q": ["hello world"], "op": ["+"]}


def test_3_percent_escapes_are_utf8(parse_query):
    assert parse_query("q=caf%C3%A9") == {"q": ["café"]}


def test_3_an_encoded_ampersand_does_not_split(parse_query):
    assert parse_query("company=Johnson%26Johnson") == {"company": ["Johnson&Johnson"]}


def test_4_repeated_names_keep_every_value_in_order(parse_query):
    assert parse_query("tag=b&x=1&tag=a") == {"tag": ["b", "a"], "x": ["1"]}
