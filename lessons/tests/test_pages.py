"""Lesson pages include code by named section, never by pasting: check every include.
And the build track's parts of each page (its steps, its stretch challenge) come
from its steps.toml at build time (docs/build_track.py): never copied by hand.
"""

import re
import sys

import pytest

from lessons.build import steps
from lessons.catalog import LESSONS_DIR, REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "docs"))
import build_track  # noqa: E402  (docs/build_track.py, which docs/hooks.py calls)

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


TRACK_PAGES = [page for page in PAGES if page.parent.name != "00_http"]


@pytest.mark.parametrize("page", TRACK_PAGES, ids=lambda page: page.parent.name)
def test_every_lesson_page_offers_the_build_track_first_with_its_own_commands(page):
    text = page.read_text("utf-8")
    number = int(page.parent.name[:2])
    block = text[text.index('!!! tip "Build it yourself"'):text.index("## Learning objectives")]
    for command in (f"python -m lessons build start {number}", "python -m lessons build check",
                    "python -m lessons build hint", "python -m lessons build status",
                    f"python -m lessons build diff {number}", "make build-check"):
        assert command in block, f"{page.parent.name}: the build box lacks `{command}`"
    assert "**Type along**" in block and "**Challenge**" in block
    assert "    <!-- build-track: steps -->\n" in block
    exercises = text[text.index("## Exercises"):text.index("## Further reading")]
    assert "    <!-- build-track: challenge -->\n" in exercises


@pytest.mark.parametrize("page", TRACK_PAGES, ids=lambda page: page.parent.name)
def test_the_steps_and_the_challenge_on_the_page_are_those_of_steps_toml(page):
    src_uri = page.relative_to(REPO_ROOT).as_posix()
    filled = build_track.fill(page.read_text("utf-8"), src_uri)
    assert "<!-- build-track:" not in filled
    number = int(page.parent.name[:2])
    if number not in steps.numbers():
        assert "steps are being written" in filled
        return
    lesson = steps.load(number)
    for step in lesson.steps:
        assert f"    - **{step.id}** [{build_track.markdown_text(step.title)}]({step.section})" \
            in filled
    first_words = build_track.markdown_text(" ".join(lesson.challenge.split()[:6]))
    assert first_words in filled


def test_a_lesson_without_steps_yet_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "LESSONS_DIR", tmp_path)  # no steps.toml anywhere
    page = ("Intro\n\n!!! tip\n    <!-- build-track: steps -->\n\n"
            "    <!-- build-track: challenge -->\n")
    filled = build_track.fill(page, "lessons/05_security/index.md")
    assert "    Lesson 5's steps are being written." in filled
    assert "    Lesson 5's stretch challenge comes with its steps." in filled


def test_text_from_steps_toml_is_shown_as_written_not_read_as_markup():
    text = 'GET /api/articles/<slug> answers {"errors": ["x"]} with `<b>` *as is*'
    assert build_track.markdown_text(text) == (
        "GET /api/articles/&#60;slug&#62; answers &#123;\"errors\": &#91;\"x\"&#93;&#125; "
        "with `<b>` &#42;as is&#42;")


def test_an_unknown_marker_is_an_error_and_other_pages_are_left_alone():
    with pytest.raises(build_track.BuildTrackError, match="unknown marker build-track: stpes"):
        build_track.fill("<!-- build-track: stpes -->\n", "lessons/01_routing/index.md")
    text = "<!-- build-track: steps -->\n"
    assert build_track.fill(text, "docs/pages/getting-started.md") == text
