"""Web layer: taking quizzes, and the teacher's item analysis of a quiz under /teach.
Views parse, call services, commit once and redirect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from random import SystemRandom
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quiz_app.accounts.decorators import teacher_required
from quiz_app.banks import services as bank_services
from quiz_app.banks.models import Quiz
from quiz_app.classes import banks as class_banks
from quiz_app.classes import services as class_services
from quiz_app.clock import utcnow
from quiz_app.extensions import db, read_transaction, write_transaction
from quiz_app.limits import services as limit_services
from quiz_app.limits.policy import ATTEMPT_START
from quiz_app.progress import charts
from quiz_app.quiz import (
    access,
    analysis,
    itemstats,
    queries,
    records,
    rules,
    services,
    windows,
)
from quiz_app.quiz import review as review_rules
from quiz_app.quiz.forms import (
    AnswerQuestionsForm,
    StartQuizForm,
    SubmitQuizForm,
    initial_data,
    make_answer_form,
)
from quiz_app.quiz.models import QuizAttempt
from quiz_app.reports import services as report_services
from quiz_app.web import csv_response

bp = Blueprint("quiz", __name__, url_prefix="/quiz")
#: The teacher's pages, nested under /teach (see accounts.decorators).
teach_bp = Blueprint("quiz", __name__)

#: what a student reads when a timed attempt was closed for them
TIME_UP_MESSAGE = "Time is up. The quiz was graded with the answers you saved."

#: seeds attempts; the OS source, so two students starting at once never share a draw
_seed_source = SystemRandom()


def _grace() -> timedelta:
    return timedelta(seconds=current_app.config["QUIZ_GRACE_SECONDS"])


def _attempt_or_404(attempt_id: int) -> QuizAttempt:
    """The current user's attempt; someone else's is a 404 so ids reveal nothing."""
    attempt = queries.get_attempt(attempt_id, user_id=current_user.id)
    if attempt is None:
        abort(404)
    return attempt


def _clock(now: datetime) -> dict[str, Any]:
    """What a template needs to show times on the student's clock, zone named."""
    tz_name = current_user.timezone
    return {
        "when": windows.formatter(tz_name, now=now),
        "timezone": windows.zone_name(tz_name),
    }


def _page_positions(attempt: records.AttemptRef, page: str | None) -> list[int]:
    """Positions on a submitted page: all for "all", else the one numbered ``page``."""
    total = len(attempt.question_ids)
    if page == "all":
        return list(range(total))
    if not page or not page.isdigit() or not 1 <= int(page) <= total:
        abort(400)
    return [int(page) - 1]


def _after_answer_url(attempt: records.AttemptRef, form: AnswerQuestionsForm) -> str:
    """Where the pressed button leads: previous, next, chosen question or the same."""
    action = form.action.data or "save"
    if form.page.data == "all" or action == "save":
        number = None if form.page.data == "all" else int(form.page.data)
    elif action.startswith("goto:"):
        number = int(action.removeprefix("goto:"))
    else:
        number = int(form.page.data) + (1 if action == "next" else -1)
    if number is not None:
        number = min(max(number, 1), len(attempt.question_ids))
    return url_for(".attempt", attempt_id=attempt.id, q=number)


def _close_if_overdue(
    attempt: QuizAttempt, *, now: datetime, announce: bool = True
) -> None:
    """Close an attempt whose time ran out, and tell the student so."""
    if not rules.is_overdue(attempt, now=now, grace=_grace()):
        return
    # A GET reads in a deferred transaction; writing from it fails at once with
    # "database is locked" if another request wrote meanwhile. Take the lock first, as
    # POSTs do, and check again under it.
    db.session.rollback()
    with write_transaction():
        closed = services.close_if_overdue(attempt, now=now, grace=_grace())
        db.session.commit()
    if closed and announce:
        flash(TIME_UP_MESSAGE, "warning")


def _bank_shown(quiz: Quiz, met: access.StudentQuiz) -> bool:
    """Whether the student's classes show the quiz's bank (or assigned the quiz)."""
    shown = class_banks.visible_bank_ids(current_user)
    return shown is None or met.is_assigned or quiz.bank_id in shown


@bp.get("/<quiz_id>")
@login_required
def detail(quiz_id: str) -> str:
    """Show a quiz's rules (time limit, attempts left, when it is open) and its start
    button.
    """
    quiz = queries.get_quiz(quiz_id) or abort(404)
    now = utcnow()
    met = access.get_student_quiz(
        current_user.id, quiz, now=now, is_teacher=current_user.is_teacher
    )
    if not met.may_see or not _bank_shown(quiz, met):
        abort(404)  # an assigned-only quiz does not exist for other students
    return render_template(
        "quiz/detail.html",
        quiz=quiz,
        settings=met.settings,
        review_label=review_rules.REVIEW_LABELS[
            met.settings.review or review_rules.Review.IMMEDIATELY
        ],
        used=queries.count_attempts(current_user.id, quiz.id),
        open_attempt=queries.get_open_attempt(current_user.id, quiz.id),
        closed_reason=windows.refusal(met.availability, current_user.timezone, now=now),
        form=StartQuizForm(),
        **_clock(now),
    )


@bp.post("/<quiz_id>/start")
@login_required
def start(quiz_id: str) -> Response:
    """Start an attempt at a quiz, or resume the one in progress."""
    if not StartQuizForm().validate_on_submit():
        abort(400)
    now = utcnow()
    quiz = queries.get_quiz(quiz_id) or abort(404)
    met = access.get_student_quiz(
        current_user.id, quiz, now=now, is_teacher=current_user.is_teacher
    )
    if not _bank_shown(quiz, met):
        abort(404)  # the student's classes do not show this bank
    if queries.get_open_attempt(current_user.id, quiz_id) is None:
        try:  # resuming is free; a new attempt counts
            limit_services.check_hourly(
                ATTEMPT_START, current_app.config, key=str(current_user.id), now=now
            )
        except limit_services.LimitReached as error:
            flash(
                "You have started many quizzes in the last hour. "
                f"Try again in {error.minutes} minutes.",
                "error",
            )
            return redirect(url_for(".detail", quiz_id=quiz_id))
    try:
        attempt, resumed = services.start_attempt(
            current_user.id,
            quiz_id,
            now=now,
            rng=_seed_source,
            grace=_grace(),
            tz_name=current_user.timezone,
        )
    except records.QuizUnavailable:
        abort(404)
    except records.QuizError as error:
        flash(str(error), "error")
        return redirect(url_for(".detail", quiz_id=quiz_id))
    if not resumed:
        limit_services.record_event(ATTEMPT_START, key=str(current_user.id), now=now)
    db.session.commit()
    if resumed:
        flash("You already had this quiz open; carry on where you left off.", "info")
    return redirect(url_for(".attempt", attempt_id=attempt.id))


@bp.get("/attempt/<int:attempt_id>", endpoint="attempt")
@login_required
def show_attempt(attempt_id: int) -> str | Response:
    """Show one question of an attempt (or all, per the layout) with saved answers."""
    attempt = _attempt_or_404(attempt_id)
    now = utcnow()
    _close_if_overdue(attempt, now=now)
    if not attempt.is_open:
        return redirect(url_for(".results", attempt_id=attempt.id))
    total = len(attempt.question_ids)
    asked = request.args.get("q", type=int)
    if asked is None:  # resuming: the first question still without an answer
        asked = queries.first_unanswered_position(attempt) + 1
    number = min(max(asked, 1), total)
    one_page = attempt.quiz.layout == "all_on_one_page"
    items = queries.present_questions(
        attempt, positions=None if one_page else [number - 1]
    )
    form_class = make_answer_form(items)
    form = form_class(data=initial_data(form_class, items))
    form.page.data = "all" if one_page else str(number)
    # Text that was not saved (a number that is not one) is shown again to fix.
    unsaved = session.pop(_UNSAVED_KEY, None) or {}
    if unsaved.get("attempt") == attempt.id:
        for name, (text, message) in unsaved.get("fields", {}).items():
            if name in form:
                form[name].data = text
                form[name].errors = [message]
    return render_template(
        "quiz/attempt.html",
        attempt=attempt,
        form=form,
        items=items,
        number=None if one_page else number,
        answered=queries.answered_positions(attempt),
        seconds_left=rules.seconds_left(attempt, now=now),
    )


@dataclass
class _PageSave:
    """What saving one page of answers did (shared by the form POST and autosave)."""

    form: AnswerQuestionsForm
    problems: list[rules.AnswerProblem]
    closed: bool = False


def _save_page(
    attempt_id: int, *, now: datetime, may_finish: bool = True
) -> _PageSave | None:
    """Validate and save the answers posted for one page; None when the form cannot
    be read. A numeric answer that is not a number is not saved. The countdown's
    "timeup" also submits, when ``may_finish``.
    """
    attempt = queries.get_attempt_ref(attempt_id, user_id=current_user.id)
    if attempt is None:
        abort(404)  # someone else's attempt, like a missing one
    items = queries.present_for_answering(
        attempt, positions=_page_positions(attempt, request.form.get("page"))
    )
    form = make_answer_form(items)()
    if not form.validate_on_submit():
        return None
    responses = form.responses(items)
    problems = rules.check_responses(items, responses)
    refused = {p.question_id for p in problems if p.is_blocking}
    pending = services.grade_responses(
        [i.question for i in items if i.question.id not in refused], responses
    )
    # "timeup" is the submit the countdown presses by itself when the time runs out:
    # no review page then, the time is over.
    finish = may_finish and (form.action.data or "save") == "timeup"
    db.session.rollback()  # end the read snapshot (nothing was written)
    with write_transaction():
        closed = _store_page(attempt_id, pending, now=now, finish=finish)
        db.session.commit()  # also keeps an attempt closed by TimeUp
    return _PageSave(form=form, problems=problems, closed=closed)


@bp.post("/attempt/<int:attempt_id>/answer")
@read_transaction()  # reading and grading take no write lock: only the write below does
@login_required
def answer(attempt_id: int) -> Response:
    """Save the answers on the page, then move on or go to the review page, as the
    button says; the countdown's own "timeup" submits at once.
    """
    saved = _save_page(attempt_id, now=utcnow())
    if saved is None:
        flash("That answer could not be read. Please try again.", "error")
        return redirect(url_for(".attempt", attempt_id=attempt_id))
    form, action = saved.form, saved.form.action.data or "save"
    if saved.closed or action == "timeup":
        if action == "timeup" and not saved.closed:
            flash(TIME_UP_MESSAGE, "warning")
        return redirect(url_for(".results", attempt_id=attempt_id))
    for problem in saved.problems:
        flash(problem.message, "warning")
    refused = [p for p in saved.problems if p.is_blocking]
    if refused:  # back to the question, its text shown again to correct
        _keep_unsaved(attempt_id, form, refused)
        page = None if form.page.data == "all" else refused[0].number
        return redirect(
            url_for(".attempt", attempt_id=attempt_id, q=page)
            + f"#question-{refused[0].number}"
        )
    if action == "next" and form.page.data != "all" and saved.problems:
        # "Save and next" with an item picked twice: saved as it is (as autosave does),
        # but the student stays to see the question's own warning and fix it; the
        # question numbers still move on.
        flash(
            "Your answer is saved as it is. Change it here, or choose another"
            " question number to move on.",
            "info",
        )
        return redirect(
            url_for(".attempt", attempt_id=attempt_id, q=form.page.data)
            + f"#question-{saved.problems[0].number}"
        )
    if action in ("review", "finish"):
        return redirect(url_for(".review", attempt_id=attempt_id))
    if action == "save":
        flash(
            "Saved. You can change your answers until you submit the quiz.", "success"
        )
    attempt = queries.get_attempt_ref(attempt_id, user_id=current_user.id)
    assert attempt is not None  # checked by _save_page
    return redirect(_after_answer_url(attempt, form))


@bp.post("/attempt/<int:attempt_id>/autosave")
@read_transaction()
@login_required
def autosave(attempt_id: int) -> tuple[Response, int]:
    """Save the answers on the page as they change (quiz.js); answer in JSON.

    The same form, CSRF token and checks as the page's own POST; it never moves on,
    reviews or submits.
    """
    saved = _save_page(attempt_id, now=utcnow(), may_finish=False)
    if saved is None:
        return jsonify(saved=False, message="That answer could not be read."), 400
    if saved.closed:
        return jsonify(
            saved=False,
            closed=True,
            message="This quiz is closed; your saved answers were graded.",
            results=url_for(".results", attempt_id=attempt_id),
        ), 409
    problems = [
        {"number": p.number, "message": p.message, "saved": not p.is_blocking}
        for p in saved.problems
    ]
    status = 422 if any(p.is_blocking for p in saved.problems) else 200
    return jsonify(saved=status == 200, problems=problems), status


#: session key of answers that were not saved, shown again on the next page view
_UNSAVED_KEY = "unsaved_answers"


def _keep_unsaved(
    attempt_id: int,
    form: AnswerQuestionsForm,
    problems: list[rules.AnswerProblem],
) -> None:
    """Remember the refused answers' text, so the question shows it again."""
    fields = {}
    for problem in problems:
        for name in form.field_names[problem.question_id]:
            fields[name] = (form[name].data, problem.message)
    session[_UNSAVED_KEY] = {"attempt": attempt_id, "fields": fields}


def _store_page(
    attempt_id: int,
    pending: list[records.PendingAnswer],
    *,
    now: datetime,
    finish: bool,
) -> bool:
    """Store the answers (and submit if asked); True when the attempt was closed."""
    try:
        services.store_answers(attempt_id, pending, now=now, grace=_grace())
    except records.AttemptClosed as error:
        if isinstance(error, records.TimeUp) or not finish:
            flash(str(error), "warning")  # a repeated time-up submit is not news
        return True
    if finish:
        attempt = db.session.get_one(QuizAttempt, attempt_id)
        services.submit_attempt(attempt, now=now, grace=_grace())
    return False


@bp.get("/attempt/<int:attempt_id>/submit", endpoint="review")
@login_required
def review(attempt_id: int) -> str | Response:
    """Show every question of an attempt as answered or not, before the final submit."""
    attempt = _attempt_or_404(attempt_id)
    now = utcnow()
    _close_if_overdue(attempt, now=now)
    if not attempt.is_open:
        return redirect(url_for(".results", attempt_id=attempt.id))
    items = queries.present_questions(attempt)
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        items=items,
        answered=sum(1 for item in items if item.is_answered),
        one_page=attempt.quiz.layout == "all_on_one_page",
        seconds_left=rules.seconds_left(attempt, now=now),
        submit_form=SubmitQuizForm(),
        **_clock(now),
    )


@bp.post("/attempt/<int:attempt_id>/submit")
@read_transaction()  # grading takes no write lock: only writing the results does
@login_required
def submit(attempt_id: int) -> Response:
    """Grade and close an attempt (a second submit changes nothing)."""
    form = SubmitQuizForm()
    if not form.validate_on_submit():
        abort(400)
    attempt = _attempt_or_404(attempt_id)
    was_open = attempt.is_open
    now = utcnow()
    graded = services.grade_for_close(attempt) if was_open else None
    for _try in range(2):  # the second try's grading cannot go stale
        db.session.rollback()  # end the read snapshot (nothing was written)
        with write_transaction():
            # Under the lock the attempt is read again: closed meanwhile, it stays as
            # it is; answers saved since the grading above are graded again.
            try:
                services.submit_attempt(attempt, now=now, grace=_grace(), graded=graded)
            except services.GradingStale:
                db.session.rollback()  # many answers came in: grade again, unlocked
                with read_transaction():
                    graded = services.grade_for_close(attempt, may_go_stale=False)
                continue
            db.session.commit()
            break
    if was_open and form.action.data == "timeup":
        flash(TIME_UP_MESSAGE, "warning")
    return redirect(url_for(".results", attempt_id=attempt.id))


@bp.get("/attempt/<int:attempt_id>/results")
@login_required
def results(attempt_id: int) -> str | Response:
    """Show a graded attempt: score, pass or fail, every answer (or only the missed
    ones, with ``?missed=1``) and its sources.
    """
    attempt = _attempt_or_404(attempt_id)
    now = utcnow()
    _close_if_overdue(attempt, now=now, announce=False)
    if attempt.is_open:
        flash("Submit the quiz to see your results.", "info")
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    settings = access.attempt_settings(attempt)
    assert settings.review is not None
    full = access.attempt_disclosure(attempt, now=now) is review_rules.Disclosure.FULL
    held = access.held_back_question_ids(current_user.id, now=now) if full else set()
    items = queries.list_results(attempt, held_back=held) if full else []
    return render_template(
        "quiz/results.html",
        attempt=attempt,
        items=items,
        missed=[i for i in items if i.outcome != "correct" and not i.is_held_back],
        missed_only=request.args.get("missed") == "1",
        is_full=full,
        release_at=review_rules.release_at(
            settings.review, closes_at=settings.closes_at
        ),
        replies={
            r.question_id: r
            for r in report_services.list_replies(
                current_user.id, attempt_id=attempt.id
            )
        },
        **_clock(now),
    )


@bp.get("/history")
@login_required
def history() -> str:
    """List the current user's graded attempts with their scores over time."""
    attempts = queries.list_closed_attempts(current_user.id)
    percents = [a.percent or 0.0 for a in reversed(attempts)]
    return render_template(
        "quiz/history.html",
        attempts=attempts,
        sparkline=charts.sparkline(percents),
        **_clock(utcnow()),
    )


# --------------------------------------------------------------------------------------
# The teacher's item analysis (/teach/...)


def _analysis_or_404(class_id: int, quiz_id: str) -> analysis.QuizAnalysis:
    school_class = class_services.get_class_for_teacher(
        class_id, current_user
    ) or abort(404)
    quiz = bank_services.get_quiz(quiz_id) or abort(404)
    students = class_services.list_students(school_class)
    return analysis.analyse_quiz([s.id for s in students], quiz)


@teach_bp.get("/classes/<int:class_id>/quizzes/<quiz_id>")
@teacher_required
def item_analysis(class_id: int, quiz_id: str) -> str:
    """Show Moodle-style item statistics of a quiz over the class's first attempts."""
    return render_template(
        "teacher/item_analysis.html",
        class_id=class_id,
        analysis=_analysis_or_404(class_id, quiz_id),
        thresholds=itemstats,
    )


@teach_bp.get("/classes/<int:class_id>/quizzes/<quiz_id>/items.csv")
@teacher_required
def item_analysis_csv(class_id: int, quiz_id: str) -> Response:
    """Download a quiz's item statistics for the class as CSV."""
    return csv_response(
        analysis.item_stats_csv(_analysis_or_404(class_id, quiz_id)),
        f"class-{class_id}-{quiz_id}-items.csv",
    )
