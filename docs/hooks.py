"""MkDocs hook: publish the course's files where they live, and generate the rest.

mkdocs.yml names this file under ``hooks:``, and MkDocs calls the ``on_*``
functions below at its build events
(https://www.mkdocs.org/user-guide/configuration/#hooks):

- ``on_files`` adds the repository files that PUBLISHED lists, as pages at
  their repository paths (lessons/01_routing/index.md is served at
  lessons/01_routing/), then the notebooks and the OpenAPI document. Nothing
  is copied into git.
- ``on_page_markdown`` appends generated text (the Reference pages, from
  docs/reference_pages.py; each exercise's hints.md, folded), fills each lesson
  page's build-track markers from its steps.toml (docs/build_track.py), and
  turns links written as repository paths into site paths.
- ``on_page_content`` fixes what nbconvert leaves in a notebook page: links to
  ``.md`` sources become site links; docs/notebook_pages.py does the rest.
- ``on_post_page`` adds our own copy of Mermaid to the pages with a diagram (only
  those), so that Material does not fetch it from a CDN, and boxes each diagram.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
import shutil
import sys
import tempfile
from pathlib import Path

import build_track  # docs/build_track.py: MkDocs puts the hook's folder on sys.path
import notebook_pages  # docs/notebook_pages.py
import reference_pages  # docs/reference_pages.py
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.stagecraft")

REPO = Path(__file__).resolve().parent.parent
DOCS_DIR = "docs/pages"  # mkdocs.yml's docs_dir, from the repository root
# Globs from the repository root. Only these are published: never solutions,
# the learner's workspace, tests or code. (Pages include code by snippet.)
PUBLISHED = [
    "lessons/README.md",
    "lessons/[0-9][0-9]_*/index.md",
    "lessons/[0-9][0-9]_*/exercises/*/instructions.md",
    "lessons/[0-9][0-9]_*/**/*.png",
    "lessons/[0-9][0-9]_*/**/*.svg",
    "security_checks/*.md",
    "security_checks/*/README.md",
    "loadtests/*.md",
    "notebooks/README.md",
    "loadtests/**/*.png",
    "loadtests/**/*.svg",
]
NEVER = re.compile(r"(^|/)(solutions|workspace|tests|__pycache__)/|\.py$")
# Where `python -m notebooks.build` writes the executed notebooks (DEFAULT_OUT in
# notebooks/build.py). A notebook not executed yet shows its source, without outputs.
EXECUTED_NOTEBOOKS = REPO / "notebooks" / "_build"
# Stand-ins for parts still being written, so that they never break the build.
# Each use is logged.
MISSING = {
    "loadtests/lab.md": "# Load-testing lab\n\nThis lab is being written: see `loadtests/`.\n",
}
# Mermaid's "tiny" build (npm @mermaid-js/tiny): our flowcharts and sequence diagrams,
# without mind maps, architecture or KaTeX. 672 KB gzipped; the full build is 976 KB.
MERMAID_JS = ["assets/javascripts/mermaid-tiny-11.17.2.min.js",
              "assets/javascripts/mermaid-natural-size.js"]
DIAGRAM = re.compile(r'<pre class="mermaid">.*?</pre>', re.DOTALL)
HINT = re.compile(r"^## Hint (\d+)\s*$", re.MULTILINE)
INSTRUCTIONS = re.compile(r"^lessons/[0-9]{2}_[^/]+/exercises/([^/]+)/instructions\.md$")


class Build:
    """What one build makes and then throws away: the staged notebooks and the
    generated Reference pages. ``mkdocs serve`` rebuilds, so this is per build."""

    scratch: tempfile.TemporaryDirectory | None = None
    reference: dict[str, str] = {}
    openapi: str = ""
    notebook_styles = notebook_pages.SharedStyles()


BUILD = Build()


def on_config(config):
    # The Reference pages import the project's packages (lessons/ is not installed).
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    return config


@event_priority(100)  # before mkdocs-jupyter's on_files, so that it sees the notebooks
def on_files(files: Files, config) -> Files:
    BUILD.scratch = tempfile.TemporaryDirectory(prefix="stagecraft-site-")
    BUILD.notebook_styles = notebook_pages.SharedStyles()
    for page in files.documentation_pages():  # "edit this page" opens docs/pages/x.md
        page.edit_uri = f"{DOCS_DIR}/{page.src_uri}"
    for pattern in PUBLISHED:
        for path in sorted(REPO.glob(pattern)):
            src_uri = path.relative_to(REPO).as_posix()
            if not NEVER.search(src_uri):
                files.append(File(src_uri, str(REPO), config.site_dir, config.use_directory_urls))
    for src_uri, text in MISSING.items():
        if files.get_file_from_path(src_uri) is None:
            log.info("%s does not exist yet: publishing a placeholder", src_uri)
            files.append(File.generated(config, src_uri, content=text))
    add_notebooks(files, config)
    BUILD.reference = {"reference/cli.md": reference_pages.cli_page(),
                       "reference/settings.md": reference_pages.settings_page()}
    BUILD.reference["reference/api.md"], BUILD.openapi = reference_pages.api_page()
    openapi = File.generated(config, "reference/openapi.json", content=BUILD.openapi)
    openapi.edit_uri = None
    files.append(openapi)
    return files


def add_notebooks(files: Files, config) -> None:
    """One page per lesson, at notebooks/NN_name.ipynb: the executed notebook if
    there is one, else its jupytext source without outputs, else a placeholder.

    mkdocs-jupyter reads a page from ``src_dir/src_uri``, so each notebook is
    staged under that name in a scratch folder, deleted when the build ends.
    """
    import jupytext  # comes with mkdocs-jupyter

    staged = Path(BUILD.scratch.name) / "notebooks"
    staged.mkdir()
    for lesson in sorted(REPO.glob("lessons/[0-9][0-9]_*/index.md")):
        name = lesson.parent.name
        executed = EXECUTED_NOTEBOOKS / f"{name}.ipynb"
        source = REPO / "notebooks" / f"{name}.py"
        target = staged / f"{name}.ipynb"
        if executed.exists():
            shutil.copyfile(executed, target)
        elif source.exists():
            log.info("notebooks/%s: not executed yet (make notebooks): showing its source", name)
            jupytext.write(jupytext.read(source, fmt="py:percent"), target, fmt="ipynb")
        else:
            log.info("notebooks/%s.py does not exist yet: publishing a placeholder", name)
            target.write_text(json.dumps(notebook_pages.placeholder(name)), encoding="utf-8")
        files.append(File(f"notebooks/{name}.ipynb", BUILD.scratch.name, config.site_dir,
                          config.use_directory_urls))


def on_page_markdown(markdown: str, page, config, files) -> str:
    src_uri = page.file.src_uri
    if src_uri in BUILD.reference:
        markdown = markdown.rstrip() + "\n\n" + BUILD.reference[src_uri]
    exercise = INSTRUCTIONS.match(src_uri)
    if exercise:
        markdown = with_hints(markdown, src_uri, exercise[1])
    try:
        markdown = build_track.fill(markdown, src_uri)
    except build_track.BuildTrackError as err:
        log.warning("%s", err)  # fails the strict build
    return site_links(markdown, repository_path(page.file, config))


def with_hints(markdown: str, src_uri: str, name: str) -> str:
    """The exercise's instructions, then each hint of its hints.md, folded."""
    hints_file = REPO / posixpath.dirname(src_uri) / "hints.md"
    parts = HINT.split(hints_file.read_text(encoding="utf-8"))[1:] if hints_file.exists() else []
    out = [markdown.rstrip(), "", "## Hints", "",
           f"Hint N helps with step N. `python -m lessons check {name}` shows the hint for "
           f"the step that failed, and `python -m lessons hint {name}` one more each time. "
           "Here, each one opens when you click it: try the step yourself first.", ""]
    for number, text in zip(parts[::2], parts[1::2], strict=True):
        body = "\n".join("    " + line if line else "" for line in text.strip().splitlines())
        out += [f'??? tip "Hint {number}"', body, ""]
    out += [f"Check your work with `python -m lessons check {name}`, or go back to "
            "[the lesson](../../index.md).", ""]
    return "\n".join(out)


def repository_path(file: File, config) -> str:
    """Where a page's source is in the repository: docs/pages/x.md for docs_dir pages."""
    if file.src_dir and Path(file.src_dir).resolve() == Path(config.docs_dir).resolve():
        return f"{DOCS_DIR}/{file.src_uri}"
    return file.src_uri


# Pages link to each other by their paths in the repository, so that the links
# work when reading on GitHub too: lesson 1 links the getting-started page as
# ../../docs/pages/getting-started.md. On the site, docs_dir pages lose the
# docs/pages/ prefix, so such links are rewritten to the target's site path.
MD_LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:|/|#)([^)\s#]+\.(?:md|ipynb))(#[^)\s]*)?\)")


def site_links(markdown: str, repo_path: str) -> str:
    page_dir = posixpath.dirname(repo_path)
    site_dir = posixpath.dirname(site_path(repo_path)) or "."

    def fix(match: re.Match) -> str:
        target = site_path(posixpath.normpath(posixpath.join(page_dir, match[1])))
        return f"]({posixpath.relpath(target, site_dir)}{match[2] or ''})"

    return MD_LINK.sub(fix, markdown)


def site_path(repo_path: str) -> str:
    prefix = DOCS_DIR + "/"
    return repo_path.removeprefix(prefix)


MD_HREF = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|/|#)([^"#]+\.md)(#[^"]*)?"')


def on_page_content(html: str, page, config, files: Files) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    # "Edit this page" opens the notebook's jupytext source, not the staged .ipynb.
    source = page.file.src_uri.removesuffix(".ipynb") + ".py"
    page.edit_url = f"{config.repo_url.rstrip('/')}/{config.edit_uri}{source}"
    html, problems = notebook_pages.tidy(html, Path(page.file.abs_src_path),
                                         BUILD.notebook_styles)
    for problem in problems:
        log.warning("%s: %s", page.file.src_uri, problem)  # fails the strict build

    def site_link(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri),
                                                   match[1]))
        file = files.get_file_from_path(site_path(target))
        if file is None:
            log.warning("%s links to %s, which is not on the site", page.file.src_uri, target)
            return match[0]
        return f'href="{get_relative_url(file.url, page.url)}{match[2] or ""}"'

    return MD_HREF.sub(site_link, html)


def on_post_page(output: str, page, config) -> str:
    output = BUILD.notebook_styles.link(output, lambda path: get_relative_url(path, page.url))
    if 'class="mermaid"' not in output:
        return output
    output = DIAGRAM.sub(lambda diagram: '<div class="diagram" tabindex="0" role="region" '
                         f'aria-label="Diagram">{diagram[0]}</div>', output)
    scripts = "".join(f'<script src="{get_relative_url(path, page.url)}"></script>\n'
                      for path in MERMAID_JS)
    return output.replace("</body>", scripts + "</body>", 1)


def on_post_build(config) -> None:
    BUILD.notebook_styles.write(config.site_dir)
    if BUILD.scratch is not None:
        BUILD.scratch.cleanup()
        BUILD.scratch = None
