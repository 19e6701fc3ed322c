"""Test helper (no browser needed): the security rules every served page must keep.

Used by the browser fixtures on every page a journey opens and by the header tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from html.parser import HTMLParser

#: Every directive the strict policy must contain (as ``name value`` pairs).
REQUIRED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}


def csp_problems(policy: str | None) -> list[str]:
    """What is missing from or too loose in a Content-Security-Policy header value."""
    if not policy:
        return ["no Content-Security-Policy header"]
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = " ".join(words[1:])
    problems = [
        f"CSP {name} is {directives.get(name)!r}, expected {value!r}"
        for name, value in REQUIRED_CSP.items()
        if directives.get(name) != value
    ]
    for name, value in directives.items():
        executable = name in ("script-src", "default-src")
        wildcard = "*" in value.split() or (executable and "data:" in value)
        if "unsafe-" in value or wildcard:
            problems.append(f"CSP {name} is too loose: {value!r}")
    return problems


def header_problems(headers: Mapping[str, str]) -> list[str]:
    """Security headers every response must carry (header names in lower case)."""
    problems = csp_problems(headers.get("content-security-policy"))
    if headers.get("x-content-type-options", "").lower() != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff")
    # same-origin: the Referer still reaches our own POSTs (Flask-WTF checks it over
    # HTTPS) and never leaves the site.
    if headers.get("referrer-policy", "").lower() not in {
        "same-origin",
        "strict-origin-when-cross-origin",
        "no-referrer-when-downgrade",
        "strict-origin",
    }:
        problems.append(f"Referrer-Policy is {headers.get('referrer-policy')!r}")
    return problems


class _InlineFinder(HTMLParser):
    """Collects inline script bodies, <style> elements, style= and on*= attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower() for name, _ in attrs}
        if tag == "style":
            self.problems.append("a <style> element")
        if tag == "script":
            self._in_script = True
            if "src" not in names and ("type", "application/json") not in attrs:
                self.problems.append("a <script> without src")
        if "style" in names:
            self.problems.append(f"a style= attribute on <{tag}>")
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"an inline {name}= handler on <{tag}>")
        for name, value in attrs:
            if name in ("href", "src", "action") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"a javascript: URL in <{tag} {name}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"an inline script body: {data.strip()[:60]!r}")


def html_problems(html: str) -> list[str]:
    """Inline script or style in a page, which the CSP would block (and hide a bug)."""
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def page_problems(url: str, headers: Mapping[str, str], body: str) -> list[str]:
    """Every rule a served page breaks, each prefixed with its URL."""
    found = header_problems(headers) + (html_problems(body) if body else [])
    return [f"{url}: {problem}" for problem in found]
