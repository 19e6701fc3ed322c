"""Web layer: students report a problem with a question; the teacher's open reports
under /teach."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quiz_app.accounts.decorators import teacher_required
from quiz_app.clock import utcnow
from quiz_app.extensions import db
from quiz_app.forms import EmptyForm
from quiz_app.quiz import queries as quiz_queries
from quiz_app.reports import services
from quiz_app.reports.forms import ReportProblemForm

#: No prefix: the report endpoint lives under /reports.
bp = Blueprint("reports", __name__)
#: The teacher's pages, nested under /teach (see accounts.decorators).
teach_bp = Blueprint("reports", __name__)


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
    try:
        services.create_report(
            current_user,
            question_id=form.question_id.data,
            attempt_id=attempt_id,
            comment=form.comment.data or "",
            now=utcnow(),
        )
    except services.ReportError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("Thank you: your teacher will look at this question.", "success")
    attempt = quiz_queries.get_attempt(attempt_id, user_id=current_user.id)
    if attempt is None:
        return redirect(url_for("home.index"))
    anchor = ""
    if form.question_id.data in attempt.question_ids:
        anchor = f"result-{attempt.question_ids.index(form.question_id.data) + 1}"
    return redirect(
        url_for("quiz.results", attempt_id=attempt.id, _anchor=anchor or None)
    )


# --------------------------------------------------------------------------------------
# The teacher's reports (/teach/...)


@teach_bp.get("/reports")
@teacher_required
def reports() -> str:
    """List the open reports from students with the question and their answer."""
    return render_template(
        "teacher/reports.html",
        reports=services.list_open_reports(current_user),
        button=EmptyForm(),
    )


@teach_bp.post("/reports/<int:report_id>/close")
@teacher_required
def close_report(report_id: int) -> Response:
    """Close a report once it is dealt with."""
    if EmptyForm().validate_on_submit():
        if not services.close_report(report_id, closed_by=current_user, now=utcnow()):
            abort(404)
        db.session.commit()
        flash("Report closed.", "success")
    return redirect(url_for(".reports"))
