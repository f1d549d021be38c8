"""Article bodies are Markdown: the article page shows them as HTML, safely.

RealWorld stores and serves an article's body as Markdown source; the API
returns it unchanged, and whoever draws the page renders it. Here the page
does, in two layers, both built once when this module is imported:

1. markdown-it-py turns Markdown into HTML with raw HTML *off*, so ``<script>``
   typed into a body comes out as the text ``&lt;script&gt;``. Its defaults
   follow the CommonMark spec, which passes raw HTML straight through: the
   option is the whole difference.
2. nh3 (the Rust sanitizer ammonia) then keeps only an allowlist of tags and
   attributes, and links only to http(s), mailto or this site. Markdown-it
   already refuses ``javascript:`` links, but by a denylist, and one plugin
   or option turned on later would undo layer 1: the allowlist still holds.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# --8<-- [start:markdown]
# CommonMark with raw HTML off, plus GitHub's tables and ~~strikethrough~~.
MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

# Everything Markdown itself can produce, and nothing else: no <script>, no
# <style>, no <iframe>, no forms, and no style, class or on...= attributes
# (a table column's alignment, which markdown-it writes as a style, is lost).
ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "ul", "ol", "li", "strong", "em", "s", "code", "pre", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
SANITIZER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    # A URL with a scheme must use one of these; a relative one (/article/x) stays.
    url_schemes={"http", "https", "mailto"},
    # nofollow: search engines give spammers' links no credit; noopener: a page
    # opened from a link cannot reach back and navigate this one (window.opener).
    link_rel="nofollow noopener",
)


def render_markdown(source: str) -> str:
    """The HTML for an article body written in Markdown, safe to print raw."""
    return SANITIZER.clean(MARKDOWN.render(source))
# --8<-- [end:markdown]
