"""Web layer: the teacher's area under /teach. Every route is teachers-only by default.

``_teachers_only`` runs before every request of this blueprint, so a route added later
without a decorator is still denied to students (403) and visitors (login page).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from random import SystemRandom
from typing import Any

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
from flask_login import current_user
from werkzeug.wrappers import Response

from quiz_app.accounts import services as account_services
from quiz_app.accounts.decorators import require_teacher, teacher_required
from quiz_app.accounts.forms import CreateTeacherForm
from quiz_app.accounts.models import Role
from quiz_app.banks import services as bank_services
from quiz_app.banks.schema import BankError
from quiz_app.classes import dates, gradebook, queries
from quiz_app.classes import services as class_services
from quiz_app.classes.models import SchoolClass
from quiz_app.clock import utcnow
from quiz_app.extensions import db
from quiz_app.forms import EmptyForm
from quiz_app.quiz import access as quiz_access
from quiz_app.quiz import marking
from quiz_app.quiz import services as quiz_services
from quiz_app.quiz.forms import make_answer_form
from quiz_app.reports import services as report_services
from quiz_app.teacher import csvexport, services
from quiz_app.teacher.forms import (
    AssignWorkForm,
    CreateClassForm,
    OverrideMarkForm,
    ReplyReportForm,
    UploadBankForm,
)
from quiz_app.web import bank_file_name

bp = Blueprint("teacher", __name__, url_prefix="/teach")

#: Join codes are secrets that admit students: drawn from the OS's random source.
_rng = SystemRandom()


@bp.before_request
def _teachers_only() -> None:
    """Deny the whole blueprint to anyone but teachers."""
    require_teacher()


def _class_or_404(class_id: int) -> SchoolClass:
    """The current teacher's class; another teacher's class is a 404, not a 403."""
    return class_services.get_class_for_teacher(class_id, current_user) or abort(404)


def _bank_paths() -> list[str]:
    return [p for p in str(current_app.config["BANKS_DIR"]).split(os.pathsep) if p]


def _uploads_dir() -> Path:
    return bank_services.uploads_dir(current_app.instance_path)


def _csv(text: str, filename: str) -> Response:
    # The byte-order mark makes Excel read UTF-8 (accented and Korean names) correctly.
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --------------------------------------------------------------------------------------
# Classes


@bp.get("/")
@teacher_required
def index() -> str:
    """List the teacher's classes and the open reports."""
    return render_template(
        "teacher/index.html",
        classes=class_services.list_classes_for_teacher(current_user),
        form=CreateClassForm(),
        open_reports=report_services.count_open_reports(),
    )


@bp.post("/classes")
@teacher_required
def create_class() -> str | tuple[str, int] | Response:
    """Create a class with a fresh join code."""
    form = CreateClassForm()
    if not form.validate_on_submit():
        return render_template(
            "teacher/index.html",
            classes=class_services.list_classes_for_teacher(current_user),
            form=form,
            open_reports=report_services.count_open_reports(),
        ), 400
    school_class = class_services.create_class(
        current_user, form.name.data, now=utcnow(), rng=_rng
    )
    db.session.commit()
    flash(f"Class {school_class.name} created.", "success")
    return redirect(url_for(".class_detail", class_id=school_class.id))


@bp.get("/classes/<int:class_id>")
@teacher_required
def class_detail(class_id: int) -> str:
    """Show a class's dashboard: students, topics, quizzes, join code."""
    school_class = _class_or_404(class_id)
    sort = request.args.get("sort", "name")
    descending = request.args.get("dir") == "desc"
    students = class_services.list_students(school_class)
    now = utcnow()
    topics = services.list_topic_rows(students, now=now)
    return render_template(
        "teacher/class_detail.html",
        school_class=school_class,
        rows=services.sort_students(
            services.list_student_rows(students, now=now),
            key=sort,
            descending=descending,
        ),
        sort=sort if sort in services.SORT_KEYS else "name",
        descending=descending,
        topics=topics,
        chart=services.topic_chart(topics),
        quizzes=services.list_class_quizzes(school_class),
        join_url=url_for(
            "classes.join_link", code=school_class.join_code, _external=True
        ),
        signup_url=url_for(
            "accounts.signup", code=school_class.join_code, _external=True
        ),
        button=EmptyForm(),
    )


@bp.post("/classes/<int:class_id>/code")
@teacher_required
def regenerate_code(class_id: int) -> Response:
    """Give the class a new join code; the old one stops working."""
    school_class = _class_or_404(class_id)
    if EmptyForm().validate_on_submit():
        code = class_services.regenerate_code(school_class, rng=_rng)
        db.session.commit()
        flash(f"New join code: {code}. The old code no longer works.", "success")
    return redirect(url_for(".class_detail", class_id=class_id))


@bp.post("/classes/<int:class_id>/students/<int:user_id>/remove")
@teacher_required
def remove_student(class_id: int, user_id: int) -> Response:
    """Take a student out of the class; their own progress is kept."""
    school_class = _class_or_404(class_id)
    if EmptyForm().validate_on_submit():
        if not class_services.remove_student(school_class, user_id):
            abort(404)
        db.session.commit()
        flash("The student was removed from the class.", "success")
    return redirect(url_for(".class_detail", class_id=class_id))


@bp.get("/classes/<int:class_id>/results.csv")
@teacher_required
def class_results_csv(class_id: int) -> Response:
    """Download every graded attempt of the class's students as CSV."""
    school_class = _class_or_404(class_id)
    return _csv(
        services.class_results_csv(school_class, tz_name=current_user.timezone),
        f"class-{class_id}-results.csv",
    )


# --------------------------------------------------------------------------------------
# Assignments


def _assign_form() -> AssignWorkForm:
    form = AssignWorkForm()
    form.target.choices = [
        (f"quiz:{q.id}", f"Quiz: {q.title} ({q.bank.title})")
        for q in bank_services.list_quizzes()
    ] + [(f"bank:{b.id}", f"Bank: {b.title}") for b in bank_services.list_banks()]
    return form


@bp.route("/classes/<int:class_id>/assignments", methods=["GET", "POST"])
@teacher_required
def assignments(class_id: int) -> str | Response:
    """List a class's assignments and assign a quiz or bank with optional dates."""
    school_class = _class_or_404(class_id)
    form = _assign_form()
    tz = current_user.timezone
    if form.validate_on_submit():
        kind, _, target = form.target.data.partition(":")
        try:
            class_services.add_assignment(
                school_class,
                quiz_id=target if kind == "quiz" else None,
                bank_id=target if kind == "bank" else None,
                opens_at=form.opens_at.data
                and dates.local_to_utc(form.opens_at.data, tz),
                closes_at=form.closes_at.data
                and dates.local_to_utc(form.closes_at.data, tz),
                time_limit_minutes=form.time_limit_minutes.data,
                max_attempts=form.max_attempts.data,
                pass_mark=form.pass_mark.data,
                review=form.review.data or None,
                now=utcnow(),
            )
        except class_services.InvalidAssignment as error:
            form.target.errors = [str(error)]
        else:
            db.session.commit()
            flash("Assigned.", "success")
            return redirect(url_for(".assignments", class_id=class_id))
    return render_template(
        "teacher/assignments.html",
        school_class=school_class,
        form=form,
        timezone=tz,
        local=lambda moment: moment and dates.utc_to_local(moment, tz),
        now=utcnow(),
        state=class_services.assignment_state,
        button=EmptyForm(),
    )


@bp.post("/classes/<int:class_id>/assignments/<int:assignment_id>/remove")
@teacher_required
def remove_assignment(class_id: int, assignment_id: int) -> Response:
    """Delete one of the class's assignments."""
    school_class = _class_or_404(class_id)
    if EmptyForm().validate_on_submit():
        if not class_services.remove_assignment(school_class, assignment_id):
            abort(404)
        db.session.commit()
        flash("Assignment removed.", "success")
    return redirect(url_for(".assignments", class_id=class_id))


# --------------------------------------------------------------------------------------
# Item analysis


def _analysis_or_404(class_id: int, quiz_id: str) -> services.QuizAnalysis:
    school_class = _class_or_404(class_id)
    quiz = services.get_quiz(quiz_id) or abort(404)
    return services.analyse_quiz(school_class, quiz)


@bp.get("/classes/<int:class_id>/quizzes/<quiz_id>")
@teacher_required
def item_analysis(class_id: int, quiz_id: str) -> str:
    """Show Moodle-style item statistics of a quiz over the class's first attempts."""
    analysis = _analysis_or_404(class_id, quiz_id)
    return render_template(
        "teacher/item_analysis.html",
        class_id=class_id,
        analysis=analysis,
        thresholds=services.itemstats,
    )


@bp.get("/classes/<int:class_id>/quizzes/<quiz_id>/items.csv")
@teacher_required
def item_analysis_csv(class_id: int, quiz_id: str) -> Response:
    """Download a quiz's item statistics for the class as CSV."""
    analysis = _analysis_or_404(class_id, quiz_id)
    return _csv(
        services.item_stats_csv(analysis), f"class-{class_id}-{quiz_id}-items.csv"
    )


# --------------------------------------------------------------------------------------
# Reports


@bp.get("/reports")
@teacher_required
def reports() -> str:
    """List the open (or closed) reports from students with the question and answer."""
    closed = request.args.get("closed") == "1"
    tz_name = current_user.timezone
    return render_template(
        "teacher/reports.html",
        reports=report_services.list_reports(current_user, is_open=not closed),
        closed=closed,
        button=EmptyForm(),
        minute=_minute(tz_name),
        timezone=dates.zone(tz_name).key,
    )


@bp.post("/reports/<int:report_id>/close")
@teacher_required
def close_report(report_id: int) -> Response:
    """Close a report once it is dealt with."""
    if EmptyForm().validate_on_submit():
        if not report_services.close_report(
            report_id, closed_by=current_user, now=utcnow()
        ):
            abort(404)
        db.session.commit()
        flash("Report closed.", "success")
    return redirect(url_for(".reports"))


# --------------------------------------------------------------------------------------
# Gradebook (/teach/classes/<id>/gradebook)


def _minute(tz_name: str) -> Callable[[datetime | None], str]:
    return functools.partial(gradebook.minute, tz_name=tz_name)


@bp.get("/classes/<int:class_id>/gradebook")
@teacher_required
def gradebook_page(class_id: int) -> str:
    """Show the class's students against its assigned quizzes: score or state each."""
    school_class = _class_or_404(class_id)
    tz_name = current_user.timezone
    return render_template(
        "classes/gradebook.html",
        school_class=school_class,
        book=queries.build_gradebook(school_class, now=utcnow()),
        minute=_minute(tz_name),
        timezone=dates.zone(tz_name).key,
    )


@bp.get("/classes/<int:class_id>/gradebook.csv")
@teacher_required
def gradebook_csv(class_id: int) -> Response:
    """Download the gradebook: one row per student, best and last score per quiz."""
    school_class = _class_or_404(class_id)
    tz_name = dates.zone(current_user.timezone).key
    header, rows = queries.gradebook_csv_rows(
        queries.build_gradebook(school_class, now=utcnow()), tz_name=tz_name
    )
    return _csv(csvexport.to_csv(header, rows), f"gradebook-{school_class.id}.csv")


@bp.get("/classes/<int:class_id>/attempts/<int:attempt_id>")
@teacher_required
def class_attempt(class_id: int, attempt_id: int) -> str:
    """Show a student's attempt as the teacher sees it: each answer, mark and time."""
    school_class = _class_or_404(class_id)
    attempt = queries.get_class_attempt(school_class, attempt_id) or abort(404)
    tz_name = current_user.timezone
    items = [] if attempt.is_open else quiz_services.list_results(attempt)
    settings = quiz_access.attempt_settings(attempt)
    return render_template(
        "classes/attempt.html",
        school_class=school_class,
        attempt=attempt,
        student=attempt.user,
        items=items,
        seconds=queries.seconds_between_saves(attempt),
        time_taken=gradebook.duration_text(attempt.started_at, attempt.submitted_at),
        is_late=settings.closes_at is not None
        and attempt.submitted_at is not None
        and attempt.submitted_at > settings.closes_at,
        forms={
            item.question.id: OverrideMarkForm(
                formdata=None,
                data={
                    "question_id": item.question.id,
                    "mark": _mark_text(item.answer),
                    "reason": (item.answer.mark_reason if item.answer else "") or "",
                },
            )
            for item in items
        },
        minute=_minute(tz_name),
        timezone=dates.zone(tz_name).key,
    )


def _mark_text(answer: Any) -> str:
    if answer is None or answer.mark_override is None:
        return ""
    return f"{answer.mark_override:g}"


@bp.post("/classes/<int:class_id>/attempts/<int:attempt_id>/marks")
@teacher_required
def override_mark(class_id: int, attempt_id: int) -> Response:
    """Change the mark of one answer, with a reason the student reads."""
    school_class = _class_or_404(class_id)
    attempt = queries.get_class_attempt(school_class, attempt_id) or abort(404)
    form = OverrideMarkForm()
    back = url_for(".class_attempt", class_id=class_id, attempt_id=attempt_id)
    if not form.validate_on_submit():
        errors = [e for errs in form.errors.values() for e in errs]
        flash(" ".join(str(e) for e in errors) or "Check the mark.", "error")
        return redirect(back)
    try:
        marking.override_mark(
            attempt,
            form.question_id.data,
            mark=form.mark_value(),
            reason=form.reason.data or "",
            teacher=current_user,
            now=utcnow(),
        )
    except marking.MarkingError as error:
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash("Mark saved; the student sees it with your reason.", "success")
    return redirect(back)


@bp.post("/reports/<int:report_id>/reply")
@teacher_required
def reply_report(report_id: int) -> Response:
    """Send the student a reply to their report, closing it if asked."""
    form = ReplyReportForm()
    if not form.validate_on_submit():
        flash("Write a reply first.", "error")
        return redirect(url_for(".reports"))
    try:
        report = report_services.reply_to_report(
            report_id,
            teacher=current_user,
            text=form.reply.data or "",
            now=utcnow(),
            close=bool(form.close.data),
        )
    except report_services.ReportError as error:
        flash(str(error), "error")
        return redirect(url_for(".reports"))
    if report is None:
        abort(404)
    db.session.commit()
    flash("Reply sent; the student sees it with their results.", "success")
    return redirect(url_for(".reports"))


@bp.post("/reports/<int:report_id>/accept")
@teacher_required
def accept_answer(report_id: int) -> Response:
    """Accept the reported answer for everyone: every attempt that gave it to that
    version of the question is regraded.
    """
    if not EmptyForm().validate_on_submit():
        abort(400)
    report = report_services.get_report(report_id) or abort(404)
    answer = report_services.get_reported_answer(report)
    if answer is None or quiz_services.is_blank(answer.response):
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
    flash(
        f"Accepted for everyone: {change.regraded} answer(s) regraded in "
        f"{change.attempts} attempt(s). The bank file still needs the fix; the "
        "question's page says what to change.",
        "success",
    )
    return redirect(url_for(".reports"))


# --------------------------------------------------------------------------------------
# Banks


def _render_banks(form: UploadBankForm, problems: list[object] | None = None) -> str:
    return render_template(
        "teacher/banks.html",
        files=services.list_bank_files(
            _bank_paths(),
            uploads_dir=_uploads_dir(),
            max_bytes=current_app.config["MAX_BANK_BYTES"],
        ),
        banks=bank_services.list_banks(),
        form=form,
        upload_problems=problems or [],
        button=EmptyForm(),
        max_bytes=min(
            current_app.config["MAX_BANK_BYTES"],
            current_app.config["MAX_CONTENT_LENGTH"]
            or current_app.config["MAX_BANK_BYTES"],
        ),
    )


@bp.get("/banks")
@teacher_required
def banks() -> str:
    """List the bank files with their validation status, and the upload form."""
    return _render_banks(UploadBankForm())


@bp.post("/banks/upload")
@teacher_required
def upload_bank() -> str | tuple[str, int] | Response:
    """Check an uploaded bank and import it if valid; show every problem otherwise."""
    form = UploadBankForm()
    if not form.validate_on_submit():
        return _render_banks(form), 400
    max_bytes = current_app.config["MAX_BANK_BYTES"]
    try:
        bank, summary = services.upload_bank(
            form.file.data.read(max_bytes + 1),
            filename=os.path.basename(form.file.data.filename or "upload.yaml"),
            bank_paths=_bank_paths(),
            uploads_dir=_uploads_dir(),
            max_bytes=max_bytes,
            now=utcnow(),
        )
    except BankError as error:
        return _render_banks(form, list(error.problems)), 422
    db.session.commit()
    if summary.banks_imported:
        flash(f"Imported {bank.title}: {summary}.", "success")
    else:
        flash(f"{bank.title} is already imported as it is: nothing changed.", "info")
    for warning in summary.warnings:
        flash(f"Check this: {warning}", "warning")
    return redirect(url_for(".banks"))


@bp.post("/banks/reload")
@teacher_required
def reload_banks() -> Response:
    """Import every valid bank file from disk again (progress is kept by id)."""
    if EmptyForm().validate_on_submit():
        summary, problems = bank_services.import_bank_files(
            [*_bank_paths(), _uploads_dir()],
            max_bytes=current_app.config["MAX_BANK_BYTES"],
            now=utcnow(),
        )
        db.session.commit()
        flash(f"Banks reloaded: {summary}.", "success")
        if problems:
            flash(
                f"{len(problems)} problems: files with problems were left out.",
                "warning",
            )
    return redirect(url_for(".banks"))


@bp.get("/banks/<bank_id>")
@teacher_required
def bank_detail(bank_id: str) -> str:
    """List a bank's questions with links to preview each."""
    bank = services.get_bank(bank_id) or abort(404)
    return render_template(
        "teacher/bank_detail.html",
        bank=bank,
        questions=services.list_questions(bank_id),
    )


@bp.get("/questions/<question_id>")
@teacher_required
def preview_question(question_id: str) -> str:
    """Show a question exactly as a student sees it, with its answer and explanation."""
    question = services.get_question(question_id) or abort(404)
    item = services.preview_question(question)
    form_class = make_answer_form([item])
    return render_template(
        "teacher/preview.html",
        item=item,
        form=form_class(formdata=None),
        attempt={"question_ids": [question.id]},
        answer=services.describe_answer(question),
        sources=bank_services.sources_of(question),
        accepted=marking.list_accepted_answers(question.id),
        bank_file=bank_file_name(question.bank.source_path),
        minute=_minute(current_user.timezone),
        timezone=dates.zone(current_user.timezone).key,
    )


# --------------------------------------------------------------------------------------
# Teachers


@bp.route("/teachers/new", methods=["GET", "POST"])
@teacher_required
def create_teacher() -> str | Response:
    """Create another teacher account."""
    form = CreateTeacherForm()
    if form.validate_on_submit():
        user = account_services.create_user(
            form.username.data,
            form.password.data,
            role=Role.TEACHER,
            now=utcnow(),
            display_name=form.display_name.data or "",
        )
        db.session.commit()
        flash(f"Teacher account {user.username} created.", "success")
        return redirect(url_for(".index"))
    return render_template("teacher/create_teacher.html", form=form)
