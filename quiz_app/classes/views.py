"""Web layer: students join a class by code, from a form or a join link; the teacher's
class pages under /teach (classes, dashboard, join code, members, assignments, CSV).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from random import SystemRandom
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quiz_app import csvexport, dates, paging
from quiz_app.accounts.decorators import teacher_required
from quiz_app.audit import audit
from quiz_app.banks import services as bank_services
from quiz_app.classes import banks as class_banks
from quiz_app.classes import dashboard, firsthour, gradebook, queries, services
from quiz_app.classes.forms import (
    AssignWorkForm,
    ClassBanksForm,
    CreateClassForm,
    JoinClassForm,
    OverrideMarkForm,
)
from quiz_app.classes.models import SchoolClass
from quiz_app.clock import utcnow
from quiz_app.extensions import db
from quiz_app.flashcards import services as flashcard_services
from quiz_app.forms import EmptyForm
from quiz_app.publicurl import reachable_by_others
from quiz_app.qrcode import qr_svg
from quiz_app.quiz import access as quiz_access
from quiz_app.quiz import marking, windows
from quiz_app.quiz import queries as quiz_queries
from quiz_app.reports import services as report_services
from quiz_app.web import csv_response, public_url_for

bp = Blueprint("classes", __name__, url_prefix="/classes")
#: The teacher's pages, nested under /teach (see accounts.decorators).
teach_bp = Blueprint("classes", __name__)

#: Join codes are secrets that admit students: drawn from the OS's random source.
_rng = SystemRandom()


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join() -> str | Response:
    """Join a class with the code the teacher gave out."""
    form = JoinClassForm()
    if form.validate_on_submit():
        try:
            school_class = services.join_class_by_code(
                current_user, form.code.data, now=utcnow()
            )
        except services.ClassError as error:
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            audit("class.join", class_id=school_class.id)
            flash(f"You are in the class {school_class.name}.", "success")
            return redirect(url_for("home.index"))
    return render_template(
        "classes/join.html",
        form=form,
        classes=services.list_classes_for_student(current_user),
    )


@bp.get("/join/<code>")
def join_link(code: str) -> str | Response:
    """Open a join link: a visitor signs up with the code filled in, a student confirms
    joining.
    """
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.signup", code=code))
    form = JoinClassForm(data={"code": code})
    return render_template(
        "classes/join.html",
        form=form,
        invited=services.get_class_by_code(code),
        classes=services.list_classes_for_student(current_user),
    )


# --------------------------------------------------------------------------------------
# The teacher's class pages (/teach/...)


def _class_or_404(class_id: int) -> SchoolClass:
    """The current teacher's class; another teacher's class is a 404, not a 403."""
    return services.get_class_for_teacher(class_id, current_user) or abort(404)


def _render_index(form: CreateClassForm) -> str:
    """The teaching home: classes, the getting-started checklist, open reports."""
    classes = services.list_classes_for_teacher(current_user)
    return render_template(
        "teacher/index.html",
        classes=classes,
        form=form,
        open_reports=report_services.count_open_reports(),
        checklist=firsthour.get_checklist(current_user),
        first_class=classes[0] if classes else None,
    )


@teach_bp.get("/")
@teacher_required
def index() -> str:
    """List the teacher's classes, the open reports and the first steps still to do."""
    return _render_index(CreateClassForm())


@teach_bp.post("/classes")
@teacher_required
def create_class() -> str | tuple[str, int] | Response:
    """Create a class with a fresh join code."""
    form = CreateClassForm()
    if not form.validate_on_submit():
        return _render_index(form), 400
    school_class = services.create_class(
        current_user, form.name.data, now=utcnow(), rng=_rng
    )
    db.session.commit()
    audit("class.create", class_id=school_class.id, name=school_class.name)
    flash(f"Class {school_class.name} created.", "success")
    return redirect(url_for(".class_detail", class_id=school_class.id))


@teach_bp.get("/classes/<int:class_id>")
@teacher_required
def class_detail(class_id: int) -> str:
    """Show a class's dashboard: students, topics, quizzes, join code."""
    school_class = _class_or_404(class_id)
    sort = request.args.get("sort", "name")
    descending = request.args.get("dir") == "desc"
    students = services.list_students(school_class)
    now = utcnow()
    cards = flashcard_services.live_cards([s.id for s in students])
    topics = dashboard.list_topic_rows(students, now=now, cards=cards)
    return render_template(
        "teacher/class_detail.html",
        school_class=school_class,
        rows=paging.page_of(
            dashboard.sort_students(
                dashboard.list_student_rows(students, now=now, cards=cards),
                key=sort,
                descending=descending,
            ),
            paging.page_number(request.args.get("page")),
            size=dashboard.STUDENTS_PER_PAGE,
        ),
        sort=sort if sort in dashboard.SORT_KEYS else "name",
        descending=descending,
        topics=topics,
        mastery_band=dashboard.mastery_band,
        quizzes=dashboard.list_class_quizzes(school_class),
        button=EmptyForm(),
        **_join_links(school_class),
    )


def _join_links(school_class: SchoolClass) -> dict[str, object]:
    """The join and sign-up links students can open, the join link's QR code, and
    whether those links can work on another device at all.
    """
    join_url = public_url_for("classes.join_link", code=school_class.join_code)
    return {
        "join_url": join_url,
        "signup_url": public_url_for("accounts.signup", code=school_class.join_code),
        "qr": qr_svg(
            join_url, label=f"QR code of the join link of {school_class.name}"
        ),
        "reachable": reachable_by_others(join_url),
    }


@teach_bp.get("/classes/<int:class_id>/present")
@teacher_required
def present(class_id: int) -> str:
    """Show the join code, QR code and nameless results large, for the projector."""
    school_class = _class_or_404(class_id)
    return render_template(
        "teacher/present.html",
        school_class=school_class,
        students=len(school_class.memberships),
        summaries=firsthour.summarise_quizzes(school_class),
        **_join_links(school_class),
    )


@teach_bp.get("/classes/<int:class_id>/students/<int:user_id>")
@teacher_required
def student(class_id: int, user_id: int) -> str:
    """Show one student of the class: attempts, flashcards, reports."""
    school_class = _class_or_404(class_id)
    member = services.get_student(school_class, user_id) or abort(404)
    now = utcnow()
    return render_template(
        "teacher/student.html",
        school_class=school_class,
        page=firsthour.get_student_page(
            member,
            now=now,
            reports=report_services.list_reports_by(member),
            reports_total=report_services.count_reports_by(member),
            page=paging.page_number(request.args.get("page")),
        ),
        when=windows.formatter(current_user.timezone, now=now),
        button=EmptyForm(),
    )


@teach_bp.route("/classes/<int:class_id>/code", methods=["GET", "POST"])
@teacher_required
def regenerate_code(class_id: int) -> str | Response:
    """Give the class a new join code, once confirmed; the old one stops working."""
    school_class = _class_or_404(class_id)
    form = EmptyForm()
    if form.validate_on_submit():
        code = services.regenerate_code(school_class, rng=_rng)
        db.session.commit()
        audit("class.new_join_code", class_id=school_class.id)
        flash(f"New join code: {code}. The old code no longer works.", "success")
        return redirect(url_for(".class_detail", class_id=class_id))
    return render_template(
        "teacher/confirm.html",
        heading=f"Make a new join code for {school_class.name}?",
        explanation=[
            f"The code {school_class.join_code}, its join link and its QR code stop "
            "working at once: anyone who has them but has not joined yet needs the "
            "new ones.",
            "Students already in the class stay in it.",
        ],
        action=url_for(".regenerate_code", class_id=class_id),
        form=form,
        confirm_label="Make a new code",
        cancel_url=url_for(".class_detail", class_id=class_id),
        danger=False,
    )


@teach_bp.route(
    "/classes/<int:class_id>/students/<int:user_id>/remove", methods=["GET", "POST"]
)
@teacher_required
def remove_student(class_id: int, user_id: int) -> str | Response:
    """Take a student out of the class after a confirmation; their progress is kept."""
    school_class = _class_or_404(class_id)
    member = services.get_student(school_class, user_id) or abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        services.remove_student(school_class, member.id)
        db.session.commit()
        audit("class.remove_student", class_id=school_class.id, student_id=member.id)
        flash(
            f"{member.name} was removed from the class. They can join again with "
            "the code.",
            "success",
        )
        return redirect(url_for(".class_detail", class_id=class_id))
    return render_template(
        "teacher/confirm.html",
        heading=f"Remove {member.name} from {school_class.name}?",
        explanation=[
            f"{member.name} ({member.username}) leaves the class: they no longer see "
            "its assignments and you no longer see their results here.",
            "Their account, quiz results and flashcards are kept, and they can join "
            "again with the class code.",
        ],
        action=url_for(".remove_student", class_id=class_id, user_id=member.id),
        form=form,
        confirm_label="Remove from the class",
        cancel_url=url_for(".class_detail", class_id=class_id),
        danger=True,
    )


@teach_bp.get("/classes/<int:class_id>/results.csv")
@teacher_required
def class_results_csv(class_id: int) -> Response:
    """Download every graded attempt of the class's students as CSV."""
    school_class = _class_or_404(class_id)
    return csv_response(
        dashboard.class_results_csv(school_class, tz_name=current_user.timezone),
        f"class-{class_id}-results.csv",
    )


@teach_bp.route("/classes/<int:class_id>/banks", methods=["GET", "POST"])
@teacher_required
def shown_banks(class_id: int) -> str | Response:
    """Choose which banks the class's students see (quizzes, flashcards, home page)."""
    school_class = _class_or_404(class_id)
    rows = class_banks.list_class_banks(school_class)
    form = ClassBanksForm()
    form.shown.choices = [(row.bank.id, row.bank.title) for row in rows]
    if form.validate_on_submit():
        class_banks.set_class_banks(school_class, form.shown.data or [], now=utcnow())
        db.session.commit()
        flash(f"Saved the banks {school_class.name} sees.", "success")
        return redirect(url_for(".shown_banks", class_id=class_id))
    if not form.is_submitted():
        form.shown.data = [row.bank.id for row in rows if row.is_shown]
    return render_template(
        "teacher/class_banks.html",
        school_class=school_class,
        rows=rows,
        form=form,
        checked=set(form.shown.data or ()),
    )


def _assign_form(school_class: SchoolClass) -> AssignWorkForm:
    """The quizzes and banks the class shows (its Banks page); assigning another is
    refused by the service, whose message a stale form (a bank left out in another
    tab) still shows, so the choice list does not validate on its own.
    """
    shown = class_banks.shown_bank_ids(school_class)
    form = AssignWorkForm()
    form.target.choices = [
        (f"quiz:{q.id}", f"Quiz: {q.title} ({q.bank.title})")
        for q in bank_services.list_quizzes()
        if q.bank_id in shown
    ] + [
        (f"bank:{b.id}", f"Bank: {b.title}")
        for b in bank_services.list_banks()
        if b.id in shown
    ]
    form.target.validate_choice = False
    return form


@teach_bp.route("/classes/<int:class_id>/assignments", methods=["GET", "POST"])
@teacher_required
def assignments(class_id: int) -> str | Response:
    """List a class's assignments and assign a quiz or bank with optional dates."""
    school_class = _class_or_404(class_id)
    form = _assign_form(school_class)
    tz = current_user.timezone
    if form.validate_on_submit():
        kind, _, target = form.target.data.partition(":")
        try:
            services.add_assignment(
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
        except services.InvalidAssignment as error:
            form.target.errors = [str(error)]
        else:
            db.session.commit()
            audit(
                "assignment.create", class_id=school_class.id, target=form.target.data
            )
            flash("Assigned.", "success")
            return redirect(url_for(".assignments", class_id=class_id))
    return render_template(
        "teacher/assignments.html",
        school_class=school_class,
        form=form,
        timezone=tz,
        local=lambda moment: moment and dates.utc_to_local(moment, tz),
        now=utcnow(),
        state=services.assignment_state,
        button=EmptyForm(),
    )


@teach_bp.post("/classes/<int:class_id>/assignments/<int:assignment_id>/remove")
@teacher_required
def remove_assignment(class_id: int, assignment_id: int) -> Response:
    """Delete one of the class's assignments."""
    school_class = _class_or_404(class_id)
    if EmptyForm().validate_on_submit():
        if not services.remove_assignment(school_class, assignment_id):
            abort(404)
        db.session.commit()
        audit(
            "assignment.remove", class_id=school_class.id, assignment_id=assignment_id
        )
        flash("Assignment removed.", "success")
    return redirect(url_for(".assignments", class_id=class_id))


# --------------------------------------------------------------------------------------
# Gradebook (/teach/classes/<id>/gradebook)


def _minute(tz_name: str) -> Callable[[datetime | None], str]:
    return functools.partial(gradebook.minute, tz_name=tz_name)


@teach_bp.get("/classes/<int:class_id>/gradebook")
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


@teach_bp.get("/classes/<int:class_id>/gradebook.csv")
@teacher_required
def gradebook_csv(class_id: int) -> Response:
    """Download the gradebook: one row per student, best and last score per quiz."""
    school_class = _class_or_404(class_id)
    tz_name = dates.zone(current_user.timezone).key
    header, rows = queries.gradebook_csv_rows(
        queries.build_gradebook(school_class, now=utcnow()), tz_name=tz_name
    )
    return csv_response(
        csvexport.to_csv(header, rows), f"gradebook-{school_class.id}.csv"
    )


@teach_bp.get("/classes/<int:class_id>/attempts/<int:attempt_id>")
@teacher_required
def class_attempt(class_id: int, attempt_id: int) -> str:
    """Show a student's attempt as the teacher sees it: each answer, mark and time."""
    school_class = _class_or_404(class_id)
    attempt = queries.get_class_attempt(school_class, attempt_id) or abort(404)
    tz_name = current_user.timezone
    items = [] if attempt.is_open else quiz_queries.list_results(attempt)
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


@teach_bp.post("/classes/<int:class_id>/attempts/<int:attempt_id>/marks")
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
    audit(
        "mark.override",
        class_id=class_id,
        attempt_id=attempt.id,
        question_id=form.question_id.data,
        mark=form.mark_value(),
    )
    flash("Mark saved; the student sees it with your reason.", "success")
    return redirect(back)
