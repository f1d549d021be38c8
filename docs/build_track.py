"""The build track's parts of each lesson page, generated from its steps.toml.

A lesson page marks where they go with a comment on a line of its own,
indented like the text around it (inside an admonition, by four spaces):

    <!-- build-track: steps -->       the lesson's steps, by number and title, each
                                      linked to the section of the page it builds on
    <!-- build-track: challenge -->   the lesson's stretch challenge

docs/hooks.py puts the generated text in place of each marker at build time, so
a page never copies what ``lessons/NN_*/steps.toml`` says and cannot drift from
it. A lesson whose steps.toml does not exist yet gets a line that says its
steps are coming. A steps.toml that cannot be read is an error, which fails the
strict build.
"""

from __future__ import annotations

import re
from pathlib import Path

MARKER = re.compile(r"^(?P<indent>[ \t]*)<!-- build-track: (?P<part>[\w-]+) -->[ \t]*$",
                    re.MULTILINE)
LESSON_PAGE = re.compile(r"^lessons/(?P<number>[0-9]{2})_[^/]+/index\.md$")
# Markdown would read these as markup (a JSON {...} as attributes, <slug> as HTML):
# outside `code spans`, text from steps.toml shows them as characters.
ESCAPES = {char: f"&#{ord(char)};" for char in "\\&<>[]{}*_#|"}
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)


class BuildTrackError(Exception):
    """A marker the generator does not know, or a steps.toml it cannot read."""


def fill(markdown: str, src_uri: str) -> str:
    """``markdown`` with each build-track marker replaced; unchanged for pages that
    are not lesson pages (``lessons/NN_*/index.md``) or that have no marker."""
    page = LESSON_PAGE.match(src_uri)
    if page is None or "<!-- build-track:" not in markdown:
        return markdown
    lesson = load(int(page["number"]))

    def replace(match: re.Match) -> str:
        part = PARTS.get(match["part"])
        if part is None:
            raise BuildTrackError(f"{src_uri}: unknown marker build-track: {match['part']} "
                                  f"(known: {', '.join(PARTS)})")
        return "\n".join(match["indent"] + line if line else ""
                         for line in part(lesson, int(page["number"])))

    return MARKER.sub(replace, markdown)


def load(number: int):
    """Lesson ``number``'s steps, or None while its steps.toml does not exist."""
    from lessons.build import steps  # the repository root is on sys.path (hooks.on_config)

    if not list(steps.LESSONS_DIR.glob(f"{number:02d}_*/steps.toml")):
        return None
    try:
        return steps.load(number)
    except Exception as err:  # a TOML error or a missing key: name the file and the problem
        raise BuildTrackError(f"lesson {number}'s steps.toml: {type(err).__name__}: {err}") from err


def steps_part(lesson, number: int) -> list[str]:
    if lesson is None:
        return [f"Lesson {number}'s steps are being written. Until they come, type the "
                "page's code into your workshop and check it with its tests."]
    source = Path(lesson.page).parent.name + "/steps.toml"
    lines = [f"The {len(lesson.steps)} steps, in the order `check` walks them "
             f"(from `lessons/{source}`); each links to the part of this page it builds on:",
             ""]
    for step in lesson.steps:
        lines.append(f"- **{step.id}** [{markdown_text(step.title)}]({step.section})")
    return lines


def challenge_part(lesson, number: int) -> list[str]:
    if lesson is None:
        return [f"Lesson {number}'s stretch challenge comes with its steps."]
    paragraphs = re.split(r"\n\s*\n", lesson.challenge.strip())
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [markdown_text(" ".join(paragraph.split())), ""]
    return lines[:-1]


PARTS = {"steps": steps_part, "challenge": challenge_part}


def markdown_text(text: str) -> str:
    """Plain text made safe for Markdown, `code spans` kept as they are."""
    out, start = [], 0
    for span in CODE_SPAN.finditer(text):
        out.append(escape(text[start:span.start()]))
        out.append(span[0])
        start = span.end()
    out.append(escape(text[start:]))
    return "".join(out)


def escape(text: str) -> str:
    return "".join(ESCAPES.get(char, char) for char in text)
