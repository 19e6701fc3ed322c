"""Security headers and inline-code rules, checked with the test client (no browser).

The browser journeys check the same rules on every page they open (see conftest's
``_watch``); these tests cover the checker itself, pages the journeys may not reach,
and the CSRF referrer check over HTTPS.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz_app.web import CONTENT_SECURITY_POLICY
from tests.browser.pagecheck import csp_problems, header_problems, html_problems

CLEAN = """<!doctype html><html><head><script src="/static/js/app.js" defer></script>
<link rel="stylesheet" href="/static/css/app.css"></head>
<body><p class="onward">Fine <a href="/x" data-on="1">link</a></p>
<svg><rect fill="#888" width="3" height="3"/></svg></body></html>"""


def test_checker_accepts_a_clean_page() -> None:
    assert html_problems(CLEAN) == []


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<script>alert(1)</script>", "inline script body"),
        ("<script></script>", "<script> without src"),
        ("<p style='color:red'>x</p>", "style= attribute on <p>"),
        ("<style>p{}</style>", "<style> element"),
        ("<button onclick='go()'>x</button>", "onclick= handler on <button>"),
        ("<img src=x onerror=alert(1)>", "onerror= handler on <img>"),
        ("<a href='javascript:go()'>x</a>", "javascript: URL"),
    ],
)
def test_checker_finds_inline_code(html: str, expected: str) -> None:
    assert any(expected in problem for problem in html_problems(html))


def test_the_policy_itself_is_strict() -> None:
    assert csp_problems(CONTENT_SECURITY_POLICY) == []
    assert csp_problems("default-src 'self'; script-src 'self' 'unsafe-inline'")


def _pages(client: FlaskClient) -> list[str]:
    """Every link on the home page that stays on the site, plus the page itself."""
    html = client.get("/").get_data(as_text=True)
    links = set(re.findall(r'href="(/[^"#]*)"', html))
    return ["/", *sorted(links)]


@pytest.mark.parametrize("role", [None, "student", "teacher"])
def test_every_page_carries_the_headers_and_no_inline_code(
    client: FlaskClient, auth, role: str | None
) -> None:
    if role:
        auth.login(role=role)
    extra = ["/account/login", "/account/signup", "/no-such-page"]
    if role:
        extra += ["/cards/", "/cards/settings", "/progress/", "/quiz/history"]
        extra += ["/account/", "/account/password", "/account/delete"]
    if role == "teacher":
        extra += ["/teach/", "/teach/banks", "/teach/reports", "/teach/teachers"]
    seen = 0
    for url in dict.fromkeys(_pages(client) + extra):
        with client.get(url) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            assert header_problems(headers) == [], url
            if response.mimetype == "text/html":
                assert html_problems(response.get_data(as_text=True)) == [], url
                seen += 1
    assert seen >= 4


def test_static_files_carry_the_headers_and_are_cacheable(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css[^"]*)"', html)
    assert css
    with client.get(css.group(1)) as response:
        assert response.status_code == 200
        headers = {k.lower(): v for k, v in response.headers.items()}
    assert header_problems(headers) == []
    assert "immutable" in headers.get("cache-control", "")


@pytest.fixture
def csrf_app(app: Flask) -> Flask:
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _token(client: FlaskClient, url: str) -> str:
    html = client.get(url, base_url="https://quiz.example").get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on " + url
    return match.group(1)


def test_csrf_over_https_needs_the_same_origin_referer(csrf_app: Flask) -> None:
    """same-origin keeps the Referer on our POSTs; Flask-WTF requires it over HTTPS."""
    client = csrf_app.test_client()
    response = client.get("/account/login", base_url="https://quiz.example")
    assert response.headers["Referrer-Policy"] == "same-origin"
    data = {"csrf_token": _token(client, "/account/login"), "username": "nobody"}
    data["password"] = "wrong password"

    without = client.post("/account/login", data=data, base_url="https://quiz.example")
    assert without.status_code == 400  # "The referrer header is missing."

    same_origin = client.post(
        "/account/login",
        data=data,
        base_url="https://quiz.example",
        headers={"Referer": "https://quiz.example/account/login"},
    )
    assert same_origin.status_code == 200  # the form, with "wrong password"
    assert "Please correct" in same_origin.get_data(as_text=True)
