"""Web layer: the student's progress page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

bp = Blueprint("progress", __name__, url_prefix="/progress")


@bp.get("/")
@login_required
def index() -> str:
    """Show the current student's reviews, forecast, card states and retention."""
    return render_template("progress/index.html", user=current_user)
