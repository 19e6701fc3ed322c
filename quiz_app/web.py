"""Web layer helpers shared by every blueprint: template filters, globals and security
headers.
"""

from __future__ import annotations

from flask import Flask, Response

from quiz_app.markdown import render_markdown, render_markdown_inline

#: No inline script or style anywhere: every asset is a file the app serves (classrooms
#: are often offline).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def register_template_helpers(app: Flask) -> None:
    """Install Markdown filters and the security headers every response carries."""
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(render_markdown_inline, "markdown_inline")

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # same-origin keeps the Referer on our own POSTs, which Flask-WTF checks over
        # HTTPS.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response
