"""What nbconvert leaves in a notebook page, fixed for the site (docs/hooks.py calls ``tidy``).

- Each plot's ``<img>`` gets the alt text its notebook wrote for it
  (notebooks/alt_text.py puts it in the output's metadata), in place of
  nbconvert's "No description has been provided for this image".
- pandas' empty header cells go: a named index moves up into the empty corner
  of the header row above, and any header cell still empty becomes a plain
  cell (an empty ``<th>`` names nothing: screen readers read it as a header).
- The JupyterLab stylesheets that mkdocs-jupyter pastes into every notebook
  page (most of the page's weight, the same on each, mostly for JupyterLab's
  own user interface)
  go to one file that every notebook page links and the browser caches, with
  only the rules that can match something on a notebook page (``SharedStyles``).
- Scripts that load nothing (MathJax, whose CDN address the hook removes) and
  the copy of the Pygments styles that mkdocs-jupyter writes as a Python list
  (not CSS: browsers ignore it) go. So do the per-table ``<style scoped>``
  blocks pandas repeats: notebooks.css has those rules once.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

NO_ALT = "No description has been provided for this image"
# nbconvert's page template loads MathJax and Mermaid from CDNs. Our notebooks
# need neither, and the site makes no request to another host.
EXTERNAL_SCRIPT = re.compile(r"<script\b(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>",
                             re.DOTALL | re.IGNORECASE)


def alt_texts(notebook: Path) -> dict[str, str]:
    """Each image's base64 data, as written in the page, to its alt text."""
    found = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            for kind, data in output.get("data", {}).items():
                alt = output.get("metadata", {}).get(kind, {}).get("alt")
                if kind.startswith("image/") and alt:
                    found[re.sub(r"\s", "", "".join(data))] = alt
    return found


def tidy(html: str, notebook: Path, styles: SharedStyles) -> tuple[str, list[str]]:
    """The page's HTML, with its styles moved to ``styles``, and its problems (plots
    with no alt text), for the hook to log."""
    soup = BeautifulSoup(EXTERNAL_SCRIPT.sub("", html), "html.parser")
    problems = label_images(soup, alt_texts(notebook))
    for table in soup.select("table.dataframe"):
        fill_header_cells(table)
    shared = []
    for style in soup.find_all("style"):
        text = style.get_text()
        if style.has_attr("scoped") or text.lstrip().startswith("['"):
            style.decompose()
        elif style.find_parent(class_="jupyter-wrapper") is None:
            shared.append(text.strip())
            style.decompose()
    for script in soup.find_all("script"):
        if script.get("src") == "" or script.get("type") == "text/x-mathjax-config":
            script.decompose()
    for button in soup.find_all("clipboard-copy"):
        button.attrs.pop(",", None)  # a stray attribute in mkdocs-jupyter's template
    styles.add("\n".join(shared), soup)
    return f'<link rel="stylesheet" href="{SharedStyles.PLACEHOLDER}">\n{soup}', problems


def label_images(soup, alts: dict[str, str]) -> list[str]:
    problems = []
    for number, image in enumerate(soup.find_all("img"), start=1):
        data = image.get("src", "").partition("base64,")[2]
        if data in alts:
            image["alt"] = alts[data]
        elif image.get("alt", NO_ALT) == NO_ALT:
            problems.append(f"image {number} has no alt text (notebooks/alt_text.py)")
    return problems


def fill_header_cells(table) -> None:
    rows = table.thead.find_all("tr") if table.thead else []
    if len(rows) == 2:
        top, below = rows[0].find_all("th"), rows[1].find_all("th")
        names = [cell.get_text(strip=True) for cell in below]
        if (top and below and not top[0].get_text(strip=True) and names[0]
                and not any(names[1:])):
            top[0].string = names[0]  # the index's name, beside the columns' names
            rows[1].decompose()
    for cell in table.find_all("th"):
        if not cell.get_text(strip=True):
            cell.name = "td"


def placeholder(name: str) -> dict:
    """A notebook that says it is being written, for a lesson with no notebook yet."""
    text = f"# Notebook {name}\n\nThis notebook is being written: `notebooks/{name}.py`."
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
            "cells": [{"cell_type": "markdown", "id": "placeholder", "metadata": {},
                       "source": text}]}


class SharedStyles:
    """The styles taken out of the notebook pages, as one file with only the rules
    whose classes occur on them. MkDocs converts every page (``on_page_content``)
    before it writes any (``on_post_page``), so by the first ``link`` every class
    of every notebook page is known."""

    PLACEHOLDER = "notebook-styles-not-written-yet.css"

    def __init__(self):
        self.css: list[str] = []
        self.classes: set[str] = set()
        self.path = ""  # set by the first link(): its site path, named by its content
        self.text = ""

    def add(self, css: str, soup) -> None:
        if css not in self.css:
            self.css.append(css)
        self.classes |= classes_in(soup)

    def link(self, html: str, url_for) -> str:
        """``html`` with the placeholder link pointing at the file; ``url_for(site_path)``
        is that path's URL relative to the page."""
        if self.PLACEHOLDER not in html:
            return html
        if not self.path:  # this page's theme (header, nav) has classes too
            self.classes |= classes_in(BeautifulSoup(html, "html.parser"))
            self.text = pruned("\n".join(self.css), self.classes)
            digest = hashlib.sha256(self.text.encode()).hexdigest()[:8]
            self.path = f"assets/stylesheets/notebook-{digest}.css"
        return html.replace(self.PLACEHOLDER, url_for(self.path))

    def write(self, site_dir: str) -> None:
        if self.path:
            (Path(site_dir) / self.path).write_text(self.text, encoding="utf-8")


def classes_in(soup) -> set[str]:
    return {name for tag in soup.find_all(class_=True) for name in tag.get("class", [])}


CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
NEGATION = re.compile(r":not\([^()]*\)")


def pruned(css: str, classes: set[str]) -> str:
    """``css`` without the rules none of whose selectors can match: a selector that
    needs a class no page has (classes inside ``:not()`` are not needed), or a
    ``:root`` inside something (JupyterLab's icons). A rule written twice
    the same is kept once, the second time: where it was last is what counts."""
    import tinycss2  # comes with nbconvert (bleach[css])

    def kept(rule) -> str:
        if rule.type == "qualified-rule":
            alive = [selector for selector in split_selectors(tinycss2.serialize(rule.prelude))
                     if set(CLASS.findall(NEGATION.sub("", selector))) <= classes
                     and ":root" not in selector.partition(" ")[2]]
            return f"{','.join(alive)}{{{tinycss2.serialize(rule.content)}}}" if alive else ""
        if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
            inner = "".join(map(kept, tinycss2.parse_rule_list(rule.content, True, True)))
            prelude = tinycss2.serialize(rule.prelude)
            return f"@{rule.at_keyword}{prelude}{{{inner}}}" if inner else ""
        return "" if rule.type == "error" else rule.serialize()

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    texts = [text for text in map(kept, rules) if text]
    last = {text: index for index, text in enumerate(texts)}
    return "\n".join(text for index, text in enumerate(texts) if last[text] == index) + "\n"


def split_selectors(prelude: str) -> list[str]:
    """``a, b:is(c, d)`` into ``a`` and ``b:is(c, d)``: commas outside brackets only."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(prelude[start:index].strip())
            start = index + 1
    return [*parts, prelude[start:].strip()]
