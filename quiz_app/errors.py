"""Web layer: error pages. The 500 handler rolls the session back so a failed request
writes nothing.
"""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from quiz_app.extensions import db


def register_error_handlers(app: Flask) -> None:
    """Render friendly pages for the errors a user can meet."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/400.html", reason=error.description), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        template = (
            f"errors/{code}.html"
            if code in (400, 403, 404, 405, 413)
            else "errors/generic.html"
        )
        return render_template(template, error=error), code

    @app.errorhandler(500)
    def server_error(_error: Exception) -> tuple[str, int]:
        db.session.rollback()
        return render_template("errors/500.html"), 500
