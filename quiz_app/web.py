"""Web layer for every blueprint: filters, static URL versions, security headers."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path, PureWindowsPath
from typing import Any

from flask import Flask, Response, current_app, request, url_for
from flask_login import current_user

from quiz_app import display, publicurl
from quiz_app.banks.schema import Problem
from quiz_app.banks.wording import teacher_problem
from quiz_app.clock import utcnow
from quiz_app.markdown import render_markdown, render_markdown_inline
from quiz_app.network import lan_address

#: No inline script or style anywhere: every asset is a file the app serves (classrooms
#: are often offline).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)

#: Sent with every response unless the view set its own value.
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    # same-origin keeps the Referer on our own POSTs, which Flask-WTF checks over
    # HTTPS, and never sends it to another site.
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)

#: Half a year; no includeSubDomains, since a school's other hosts are not ours to bind.
HSTS = "max-age=15552000"

#: Static URLs carry ?v=<content hash>, so a browser may keep them for a year: a new
#: release changes the hash and therefore the URL.
IMMUTABLE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=256)
def _file_version(path: str, mtime_ns: int) -> str:
    """A short hash of a static file's content (cached per path and mtime)."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return digest[:10]


def static_version(static_folder: str, filename: str) -> str | None:
    """The cache-busting version of a static file, or None if it does not exist."""
    path = (Path(static_folder) / filename).resolve()
    if not path.is_file() or Path(static_folder).resolve() not in path.parents:
        return None
    return _file_version(str(path), path.stat().st_mtime_ns)


def reader_zone() -> str:
    """The time zone of whoever reads the page (UTC when nobody is logged in)."""
    if current_user and current_user.is_authenticated:
        return str(current_user.timezone or "UTC")
    return "UTC"


def moment(value: datetime | date | None, *, time: bool = True) -> str:
    """The ``moment`` filter: a date in the house format on the reader's clock."""
    return display.format_moment(value, reader_zone(), now=utcnow(), with_time=time)


def public_base_url() -> str:
    """Where students reach this app: PUBLIC_URL, else the address of this request
    (with the LAN address in place of 127.0.0.1 when serving on every interface).
    """
    return publicurl.base_url(
        configured=current_app.config.get("PUBLIC_URL"),
        request_root=request.host_url,
        bind_host=current_app.config.get("SERVE_HOST"),
        lan_address=lan_address(),
    )


def public_url_for(endpoint: str, **values: Any) -> str:
    """An absolute URL for students: ``url_for`` on the public base URL."""
    return public_base_url() + url_for(endpoint, **values)


def bank_file_name(source_path: str) -> str:
    """A bank file's name without the server's folders (teachers' pages never show
    server paths).
    """
    return PureWindowsPath(source_path).name  # splits on both / and \\


def teacher_words(problem: Problem) -> str:
    """A bank problem as teachers read it: "Question 3 (id `x`), line 16: ..."."""
    return str(teacher_problem(problem))


def register_template_helpers(app: Flask) -> None:
    """Install Markdown filters, versioned static URLs and the security headers."""
    app.add_template_global(bank_file_name)
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(render_markdown_inline, "markdown_inline")
    app.add_template_filter(display.format_score, "score")
    app.add_template_filter(display.format_percent, "percent")
    app.add_template_filter(moment, "moment")
    app.add_template_filter(teacher_words, "teacher_words")
    app.add_template_global(public_url_for)

    @app.url_defaults
    def _version_static_urls(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = static_version(app.static_folder or "", values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _security_headers(response: Response) -> Response:
        # One pass over the headers rather than a search per header (setdefault).
        present = {key.lower() for key, _ in response.headers}
        response.headers.extend(
            [(k, v) for k, v in SECURITY_HEADERS if k.lower() not in present]
        )
        if (
            request.endpoint == "static"
            and request.args.get("v")
            and response.status_code in (200, 304)
        ):
            response.headers["Cache-Control"] = IMMUTABLE
        if request.is_secure:
            # Only over HTTPS: on a classroom LAN served over plain HTTP it would lock
            # browsers out of the site.
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response


def csv_response(text: str, filename: str) -> Response:
    """A CSV download of ``text``."""
    # The byte-order mark makes Excel read UTF-8 (accented and Korean names) correctly.
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
