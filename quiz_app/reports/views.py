"""Web layer: students report a problem with a question; the teacher's open reports
under /teach."""

from __future__ import annotations

import functools

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quiz_app import dates, paging
from quiz_app.accounts.decorators import teacher_required
from quiz_app.audit import audit
from quiz_app.classes import gradebook
from quiz_app.clock import utcnow
from quiz_app.extensions import db
from quiz_app.forms import EmptyForm
from quiz_app.limits import services as limit_services
from quiz_app.limits.policy import REPORT
from quiz_app.quiz import marking, rules
from quiz_app.quiz import queries as quiz_queries
from quiz_app.reports import services
from quiz_app.reports.forms import ReplyReportForm, ReportProblemForm

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
    """List the open (or closed) reports from students with the question and answer."""
    closed = request.args.get("closed") == "1"
    tz_name = current_user.timezone
    return render_template(
        "teacher/reports.html",
        reports=services.list_reports(
            current_user,
            is_open=not closed,
            page=paging.page_number(request.args.get("page")),
        ),
        closed=closed,
        button=EmptyForm(),
        minute=functools.partial(gradebook.minute, tz_name=tz_name),
        timezone=dates.zone(tz_name).key,
    )


@teach_bp.post("/reports/<int:report_id>/close")
@teacher_required
def close_report(report_id: int) -> Response:
    """Close a report once it is dealt with."""
    if EmptyForm().validate_on_submit():
        if not services.close_report(report_id, closed_by=current_user, now=utcnow()):
            abort(404)
        db.session.commit()
        audit("report.close", report_id=report_id)
        flash("Report closed.", "success")
    return redirect(url_for(".reports"))


@teach_bp.post("/reports/<int:report_id>/reply")
@teacher_required
def reply_report(report_id: int) -> Response:
    """Send the student a reply to their report, closing it if asked."""
    form = ReplyReportForm()
    if not form.validate_on_submit():
        flash("Write a reply first.", "error")
        return redirect(url_for(".reports"))
    try:
        report = services.reply_to_report(
            report_id,
            teacher=current_user,
            text=form.reply.data or "",
            now=utcnow(),
            close=bool(form.close.data),
        )
    except services.ReportError as error:
        flash(str(error), "error")
        return redirect(url_for(".reports"))
    if report is None:
        abort(404)
    db.session.commit()
    audit("report.reply", report_id=report_id, closed=bool(form.close.data))
    flash("Reply sent; the student sees it with their results.", "success")
    return redirect(url_for(".reports"))


@teach_bp.post("/reports/<int:report_id>/accept")
@teacher_required
def accept_answer(report_id: int) -> Response:
    """Accept the reported answer for everyone: every attempt that gave it to that
    version of the question is regraded.
    """
    if not EmptyForm().validate_on_submit():
        abort(400)
    report = services.get_report(report_id) or abort(404)
    answer = services.get_reported_answer(report)
    if answer is None or rules.is_blank(answer.response):
        flash("There is no answer in this report to accept.", "error")
        return redirect(url_for(".reports"))
    change = marking.accept_for_everyone(
        report.question,
        version=answer.question_version,
        response=answer.response,
        teacher=current_user,
        now=utcnow(),
        report_id=report.id,
    )
    db.session.commit()
    audit(
        "mark.accept_for_everyone",
        report_id=report.id,
        question_id=report.question_id,
        regraded=change.regraded,
    )
    flash(
        f"Accepted for everyone: {change.regraded} answer(s) regraded in "
        f"{change.attempts} attempt(s). The bank file still needs the fix; the "
        "question's page says what to change.",
        "success",
    )
    return redirect(url_for(".reports"))
