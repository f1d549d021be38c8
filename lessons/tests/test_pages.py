"""Lesson pages include code by named section, never by pasting: check every include."""

import re

import pytest

from lessons.catalog import LESSONS_DIR, REPO_ROOT

INCLUDE = re.compile(r'^--8<-- "([^":]+)(?::([\w-]+))?"', re.MULTILINE)
PAGES = sorted(LESSONS_DIR.glob("[0-9][0-9]_*/index.md"))
INCLUDES = [(page.parent.name, path, section)
            for page in PAGES for path, section in INCLUDE.findall(page.read_text("utf-8"))]


def test_lesson_0_includes_its_examples():
    assert {path for lesson, path, _ in INCLUDES if lesson == "00_http"} == {
        "lessons/00_http/examples/socket_server.py", "lessons/00_http/examples/wsgi_by_hand.py"}


@pytest.mark.parametrize(("lesson", "path", "section"), INCLUDES)
def test_every_included_file_and_section_exists(lesson, path, section):
    source = REPO_ROOT / path  # snippet paths are relative to the repository root
    assert source.is_file(), f"{lesson}/index.md includes missing {path}"
    if section:
        text = source.read_text("utf-8")
        assert f"# --8<-- [start:{section}]" in text, f"no section {section!r} in {path}"
        assert f"# --8<-- [end:{section}]" in text, f"section {section!r} in {path} is not closed"
