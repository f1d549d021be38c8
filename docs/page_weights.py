"""What each page of the built site weighs on its own, biggest first.

    python docs/page_weights.py site/        # after `make docs-build` (or mkdocs build)

A page's own weight is its HTML (inline images and styles included) plus every
file it loads that most pages do not: the Mermaid bundle on pages with a
diagram, the notebook stylesheet on notebook pages, its images. What most
pages load (Material's bundle and styles, the site's own extra CSS and JS) is
the theme's shared weight, counted once, under the table. Sizes are as stored
and gzipped (what a server that compresses sends). tests/test_docs.py holds
every page to a budget.
"""

from __future__ import annotations

import gzip
import posixpath
import sys
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

KIB = 1024


class Loads(HTMLParser):
    """The local files a page loads: scripts, stylesheets, images."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        url = None
        if tag in ("script", "img", "source"):
            url = attributes.get("src")
        elif tag == "link" and attributes.get("rel") in ("stylesheet", "preload"):
            url = attributes.get("href")
        if url and not urlsplit(url).scheme and not url.startswith("//"):
            self.urls.append(urlsplit(url).path)


@dataclass
class Page:
    path: str  # the page's site path, e.g. notebooks/06_caching/
    html: int
    html_gzip: int
    files: dict[str, int] = field(default_factory=dict)  # site path: bytes, own files only

    @property
    def own(self) -> int:
        return self.html + sum(self.files.values())


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def loaded_files(site: Path, page: Path) -> set[str]:
    parser = Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    base = posixpath.dirname(page.relative_to(site).as_posix())
    found = set()
    for url in parser.urls:
        target = posixpath.normpath(posixpath.join(base, unquote(url)))
        if (site / target).is_file():
            found.add(target)
    return found


def weigh(site: Path) -> tuple[list[Page], dict[str, int]]:
    """Every page's own weight, biggest first, and the files that most pages load."""
    pages = sorted(site.rglob("*.html"))
    loads = {page: loaded_files(site, page) for page in pages}
    counts = Counter(path for files in loads.values() for path in files)
    shared = {path for path, count in counts.items() if count > len(pages) / 2}
    weights = []
    for page, files in loads.items():
        data = page.read_bytes()
        name = page.relative_to(site).as_posix().removesuffix("index.html") or "/"
        weights.append(Page(name, len(data), gzipped(data),
                            {path: (site / path).stat().st_size for path in files - shared}))
    weights.sort(key=lambda page: page.own, reverse=True)
    return weights, {path: (site / path).stat().st_size for path in sorted(shared)}


def table(site: Path) -> str:
    weights, shared = weigh(site)
    lines = ["| page | own weight | HTML | HTML gzipped | its own files |",
             "|---|---:|---:|---:|---|"]
    for page in weights:
        files = ", ".join(f"{posixpath.basename(path)} {size / KIB:,.0f}"
                          for path, size in sorted(page.files.items())) or "none"
        lines.append(f"| {page.path} | {page.own / KIB:,.0f} | {page.html / KIB:,.0f} "
                     f"| {page.html_gzip / KIB:,.0f} | {files} |")
    lines += ["", "KiB. Loaded by most pages (the theme's shared weight, cached after the "
              f"first page): {sum(shared.values()) / KIB:,.0f} KiB in {len(shared)} files."]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1], "index.html").is_file():
        sys.exit("usage: python docs/page_weights.py SITE_DIR  (a built site, e.g. site/)")
    print(table(Path(sys.argv[1])))
