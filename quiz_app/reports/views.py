"""Web layer: students report a problem with a question and download their own data."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quiz_app.clock import utcnow
from quiz_app.extensions import db
from quiz_app.limits import services as limit_services
from quiz_app.limits.policy import REPORT
from quiz_app.quiz import services as quiz_services
from quiz_app.reports import services
from quiz_app.reports.forms import ReportProblemForm

#: No prefix: the report endpoint lives under /reports, the export beside the other
#: account pages.
bp = Blueprint("reports", __name__)


@bp.post("/reports/new")
@login_required
def create() -> Response:
    """Record a student's report that a question seems wrong, then go back to their
    results.
    """
    form = ReportProblemForm()
    if not form.validate_on_submit():
        abort(400)
    attempt_id = int(form.attempt_id.data)
    now = utcnow()
    try:
        limit_services.check_hourly(
            REPORT, current_app.config, key=str(current_user.id), now=now
        )
        services.create_report(
            current_user,
            question_id=form.question_id.data,
            attempt_id=attempt_id,
            comment=form.comment.data or "",
            now=now,
        )
    except limit_services.LimitReached as error:
        flash(
            "You have sent many reports in the last hour. "
            f"Try again in {error.minutes} minutes.",
            "error",
        )
    except services.ReportError as error:
        flash(str(error), "error")
    else:
        limit_services.record_event(REPORT, key=str(current_user.id), now=now)
        db.session.commit()
        flash("Thank you: your teacher will look at this question.", "success")
    attempt = quiz_services.get_attempt(attempt_id, user_id=current_user.id)
    if attempt is None:
        return redirect(url_for("home.index"))
    anchor = ""
    if form.question_id.data in attempt.question_ids:
        anchor = f"result-{attempt.question_ids.index(form.question_id.data) + 1}"
    return redirect(
        url_for("quiz.results", attempt_id=attempt.id, _anchor=anchor or None)
    )


@bp.get("/account/export")
@login_required
def export_my_data() -> Response:
    """Download everything the app keeps about your learning as a JSON file."""
    now = utcnow()
    data = services.export_user_data(current_user, now=now)
    filename = f"armistice-study-{current_user.username}-{now:%Y%m%d}.json"
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
