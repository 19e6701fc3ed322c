"""Report services: file and close problem reports, and gather a student's own data.
Flushes, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from quiz_app import paging
from quiz_app.accounts.models import User
from quiz_app.accounts.policy import name_with_username
from quiz_app.banks.models import Question
from quiz_app.classes.models import ClassMembership, SchoolClass
from quiz_app.extensions import db
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.quiz import queries as quiz_queries
from quiz_app.quiz.models import AttemptAnswer
from quiz_app.reports.models import MAX_COMMENT_LENGTH, Report


class ReportError(Exception):
    """A user-facing problem with a report."""


@dataclass(frozen=True, slots=True)
class OpenReport:
    """A report as the teacher's list shows it: the question, its sources and the
    student's answer.
    """

    report: Report
    question: Question
    bank_title: str
    student_answer: str | None  #: Markdown; None when the attempt is gone
    right_answer: str  #: Markdown
    #: None unless the student is in one of the viewing teacher's classes
    student_name: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    #: the student's response as stored (what "accept for everyone" accepts)
    response: Any = None
    #: that response was already accepted for everyone
    is_accepted: bool = False

    @property
    def can_accept(self) -> bool:
        """Whether there is a graded, wrong, non-blank response to accept."""
        return (
            self.response is not None
            and self.student_answer is not None
            and not self.is_accepted
        )


#: Longest reply kept.
MAX_REPLY_LENGTH = 2000


def create_report(
    user: User,
    *,
    question_id: str,
    attempt_id: int,
    comment: str,
    now: datetime,
) -> Report:
    """File a report about a question the student saw in one of their graded attempts.

    :raises ReportError: if the attempt is not theirs, not graded, or did not ask the
        question, or if they already have an open report on it.
    """
    attempt = quiz_queries.get_attempt(attempt_id, user_id=user.id)
    if attempt is None or attempt.is_open or question_id not in attempt.question_ids:
        raise ReportError("You can only report a question from your own results.")
    question = db.session.get(Question, question_id)
    if question is None:
        raise ReportError("That question no longer exists.")
    duplicate = db.session.scalar(
        sa.select(Report.id).where(
            Report.user_id == user.id,
            Report.question_id == question_id,
            Report.closed_at.is_(None),
        )
    )
    if duplicate is not None:
        raise ReportError(
            "You have already reported this question; your teacher will look at it."
        )
    report = Report(
        user_id=user.id,
        question_id=question_id,
        attempt_id=attempt.id,
        question_version=question.version,
        comment=comment.strip()[:MAX_COMMENT_LENGTH],
        created_at=now,
    )
    db.session.add(report)
    db.session.flush()
    return report


#: Reports shown on a student's page: the newest ones.
REPORTS_BY_STUDENT_SHOWN = 20


def list_reports_by(
    student: User, *, limit: int = REPORTS_BY_STUDENT_SHOWN
) -> list[Report]:
    """The student's newest reports (at most ``limit``), newest first."""
    return list(
        db.session.scalars(
            sa.select(Report)
            .where(Report.user_id == student.id)
            .order_by(Report.created_at.desc(), Report.id.desc())
            .limit(limit)
        )
    )


def count_reports_by(student: User) -> int:
    """How many reports the student made, open or closed."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Report)
            .where(Report.user_id == student.id)
        )
        or 0
    )


def count_open_reports() -> int:
    """How many reports wait for a teacher."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Report)
            .where(Report.closed_at.is_(None))
        )
        or 0
    )


#: Reports per page of the teacher's list: every teacher sees every report.
REPORTS_PER_PAGE = 20


def list_open_reports(teacher: User) -> list[OpenReport]:
    """The first page of open reports, oldest first, with what a teacher needs to judge
    them.
    """
    return list_reports(teacher, is_open=True).items


def list_reports(
    teacher: User, *, is_open: bool, page: int = 1, per_page: int | None = None
) -> paging.Page[OpenReport]:
    """One page of the open reports oldest first, or of the closed ones newest first,
    with what a teacher needs to judge them: a fixed number of queries per page.

    Banks are shared by every teacher, so every teacher sees every report; the
    student's name only when the student is in one of this teacher's classes.
    """
    per_page = per_page or REPORTS_PER_PAGE
    state = Report.closed_at.is_(None) if is_open else Report.closed_at.is_not(None)
    total = (
        db.session.scalar(sa.select(sa.func.count()).select_from(Report).where(state))
        or 0
    )
    where = paging.window(page, size=per_page, total=total)
    query = (
        sa.select(Report)
        .where(state)
        .options(
            joinedload(Report.question).joinedload(Question.bank),
            joinedload(Report.user),
        )
        .offset(where.offset)
        .limit(where.limit)
    )
    if is_open:
        query = query.order_by(Report.created_at, Report.id)
    else:
        query = query.order_by(Report.closed_at.desc(), Report.id.desc())
    reports = list(db.session.scalars(query))
    student_ids = {r.user_id for r in reports}
    my_students = (
        set(
            db.session.scalars(
                sa.select(ClassMembership.user_id)
                .join(SchoolClass, SchoolClass.id == ClassMembership.class_id)
                .where(
                    SchoolClass.teacher_id == teacher.id,
                    ClassMembership.user_id.in_(student_ids),
                )
            )
        )
        if student_ids
        else set()
    )
    accepted = quiz_queries.list_accepted_responses([r.question_id for r in reports])
    answers = _reported_answers(reports)
    items = []
    for report in reports:
        question = report.question
        qtype = QUESTION_TYPES[question.type]
        answer = answers.get((report.attempt_id, question.id))
        bank_sources = question.bank.sources
        items.append(
            OpenReport(
                report=report,
                question=question,
                bank_title=question.bank.title,
                student_answer=(
                    qtype.describe_response(question.data, answer.response)
                    if answer is not None
                    else None
                ),
                right_answer=qtype.describe_answer(question.data),
                student_name=(
                    name_with_username(report.user.display_name, report.user.username)
                    if report.user_id in my_students
                    else None
                ),
                sources=[
                    bank_sources[k] for k in question.sources if k in bank_sources
                ],
                response=None if answer is None else answer.response,
                is_accepted=answer is not None
                and (
                    question.id,
                    answer.question_version,
                    quiz_queries.response_key(answer.response),
                )
                in accepted,
            )
        )
    return paging.Page(items, where.number, per_page, total)


def _reported_answers(
    reports: list[Report],
) -> dict[tuple[int | None, str], AttemptAnswer]:
    """The answers the reports were sent about, in one query, by (attempt, question)."""
    attempt_ids = {r.attempt_id for r in reports if r.attempt_id is not None}
    if not attempt_ids:
        return {}
    wanted = {(r.attempt_id, r.question_id) for r in reports}
    rows = db.session.scalars(
        sa.select(AttemptAnswer).where(
            AttemptAnswer.attempt_id.in_(attempt_ids),
            AttemptAnswer.question_id.in_({r.question_id for r in reports}),
        )
    )
    return {
        (a.attempt_id, a.question_id): a
        for a in rows
        if (a.attempt_id, a.question_id) in wanted
    }


def get_report(report_id: int) -> Report | None:
    """The report with this id, open or closed."""
    return db.session.get(Report, report_id)


def get_reported_answer(report: Report) -> AttemptAnswer | None:
    """The student's answer the report was sent about, if its attempt still exists."""
    if report.attempt_id is None:
        return None
    return db.session.scalar(
        sa.select(AttemptAnswer).where(
            AttemptAnswer.attempt_id == report.attempt_id,
            AttemptAnswer.question_id == report.question_id,
        )
    )


def reply_to_report(
    report_id: int, *, teacher: User, text: str, now: datetime, close: bool
) -> Report | None:
    """Store the teacher's reply (the student sees it on their results page and home)
    and close the report if asked; None when there is no such report.

    :raises ReportError: for an empty reply.
    """
    report = db.session.get(Report, report_id)
    if report is None:
        return None
    text = text.strip()[:MAX_REPLY_LENGTH]
    if not text:
        raise ReportError("Write a reply first.")
    report.reply = text
    report.replied_at = now
    if close and report.is_open:
        report.closed_at = now
        report.closed_by_id = teacher.id
    db.session.flush()
    return report


def list_replies(user_id: int, *, attempt_id: int | None = None) -> list[Report]:
    """The student's reports that have a reply (of one attempt if given), newest
    reply first.
    """
    query = (
        sa.select(Report)
        .where(Report.user_id == user_id, Report.reply.is_not(None))
        .order_by(Report.replied_at.desc(), Report.id.desc())
    )
    if attempt_id is not None:
        query = query.where(Report.attempt_id == attempt_id)
    return list(db.session.scalars(query))


def close_report(report_id: int, *, closed_by: User, now: datetime) -> bool:
    """Close an open report; return whether there was one to close."""
    report = db.session.get(Report, report_id)
    if report is None or not report.is_open:
        return False
    report.closed_at = now
    report.closed_by_id = closed_by.id
    db.session.flush()
    return True
