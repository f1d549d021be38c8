"""The built site's notebook pages, diagrams and weight (issue 17): every image has
a written alt text, Mermaid loads only where there is a diagram, notebook pages
keep JupyterLab's styles in one small shared file, and no page is heavy.

The site is the one tests/test_docs.py builds (the session's built_site).
``pytest -s tests/test_site_pages.py`` prints every page's weight.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from pathlib import Path

import pytest
from test_docs import REPO, html_pages, parse, target_file

NO_ALT = "No description has been provided for this image"  # nbconvert's default
MERMAID_SCRIPT = re.compile(r'<script src="[^"]*/mermaid-tiny-[0-9.]+\.min\.js"></script>')


@pytest.fixture(scope="module")
def site(request) -> Path:
    """The site as tests/test_docs.py builds it (skips without the docs tools, as it does)."""
    pytest.importorskip("material")
    pytest.importorskip("mkdocs")
    return request.getfixturevalue("built_site")


def notebook_pages(site: Path) -> list[Path]:
    return sorted(site.glob("notebooks/[0-9][0-9]_*/index.html"))


def test_every_image_on_the_site_has_a_written_alt_text(site):
    """Notebook plots included: notebooks/alt_text.py writes each from the plot's titles.
    (Without executed notebooks, under notebooks/_build/, their pages have no plots.)"""
    missing = []
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        if NO_ALT in text:
            missing.append(f"{page.relative_to(site)}: nbconvert's default alt text")
        for tag, _, attributes in parse(page).urls:
            if tag == "img" and not (attributes.get("alt") or "").strip():
                missing.append(f"{page.relative_to(site)}: an <img> with no alt text")
    assert not missing, "\n".join(missing)


def test_mermaid_loads_only_on_pages_with_a_diagram_each_in_a_box_that_scrolls(site):
    with_diagram, without = [], []
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        diagrams = text.count('<pre class="mermaid">')
        loads = bool(MERMAID_SCRIPT.search(text))
        assert loads == bool(diagrams), f"{page.relative_to(site)}: {diagrams} diagrams, " \
                                        f"{'loads' if loads else 'does not load'} Mermaid"
        # Each diagram in a box that a keyboard can focus, to scroll it (notebooks.css).
        assert text.count('<div class="diagram" tabindex="0" role="region" aria-label='
                          '"Diagram"><pre class="mermaid">') == diagrams
        (with_diagram if diagrams else without).append(page)
    assert site / "lessons" / "01_routing" / "index.html" in with_diagram
    assert site / "index.html" in without
    assert not [page for page in notebook_pages(site) if page in with_diagram]


def test_notebook_pages_have_no_empty_header_cell_and_share_one_small_stylesheet(site):
    pages = notebook_pages(site)
    assert len(pages) >= 8
    stylesheets = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<th>\s*</th>", text), f"{page.relative_to(site)}: an empty <th>"
        assert "text/x-mathjax-config" not in text and '<script src="">' not in text
        styles = re.findall(r"<style\b[^>]*>(.*?)</style>", text, re.DOTALL)
        assert max(map(len, styles), default=0) < 20_000, "JupyterLab's styles are inline again"
        stylesheets |= {target_file(site, page, href).relative_to(site).as_posix() for href
                        in re.findall(r'<link rel="stylesheet" href="([^"]*notebook-[^"]*)"', text)}
    assert len(stylesheets) == 1, stylesheets  # one file, cached from page to page
    assert (site / stylesheets.pop()).stat().st_size < 100 * 1024


@functools.cache
def page_weights():
    """docs/page_weights.py, which is a script, not in a package."""
    spec = importlib.util.spec_from_file_location("page_weights", REPO / "docs" / "page_weights.py")
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # for its dataclass
    spec.loader.exec_module(module)
    return module


# A page's own weight: its HTML and the files only some pages load (docs/page_weights.py).
# The Mermaid bundle (3.4 MB, only on pages with a diagram) is counted apart.
PAGE_BUDGET_KIB = 512


def test_every_page_weighs_less_than_its_budget(site):
    weights, _ = page_weights().weigh(site)
    print("\n" + page_weights().table(site))  # pytest -s shows the table
    heavy = [f"{page.path}: {own / 1024:.0f} KiB" for page in weights
             if (own := page.own - sum(size for path, size in page.files.items()
                                       if "/mermaid-" in path)) > PAGE_BUDGET_KIB * 1024]
    assert not heavy, heavy
    notebook = next(page for page in weights if page.path == "notebooks/06_caching/")
    assert notebook.own < 400 * 1024  # it was 879 KiB, JupyterLab's styles pasted in
