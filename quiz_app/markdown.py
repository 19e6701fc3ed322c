"""Pure Markdown rendering: teacher-written Markdown to safe HTML (markdown-it-py
renders, nh3 sanitizes), and the same-origin URL check. No Flask or DB.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False}
).enable("table")

_ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "img",
    "del", "sup", "sub",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}


def is_same_origin_url(url: str) -> bool:
    """Whether a URL stays on this site: a path with no scheme, host, space or
    backslash (browsers read ``/\\host`` and ``/<tab>/host`` as ``//host``).
    """
    if not url or "\\" in url or any(c.isspace() or ord(c) < 32 for c in url):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Drop image sources on other hosts: a bank must not make students' browsers
    call a server that could track them (links stay: they need a click).
    """
    if tag == "img" and attribute == "src" and not is_same_origin_url(value):
        return None
    return value


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """Render Markdown to sanitized HTML; raw HTML in the source is shown as text, never
    executed.
    """
    html = _md.render(text or "")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_filter_attribute,
    )
    return Markup(clean)  # noqa: S704 - sanitized by nh3 just above


@lru_cache(maxsize=4096)
def render_markdown_inline(text: str) -> Markup:
    """Render a one-line Markdown fragment (a choice, a card face) without the wrapping
    paragraph.
    """
    clean = nh3.clean(
        _md.renderInline(text or ""),
        tags={"em", "strong", "code", "del", "sup", "sub", "br"},
        attributes={},
    )
    return Markup(clean)  # noqa: S704 - sanitized by nh3 just above
