"""Quiz reads: quizzes, attempts, availability, the questions a quiz draws and how an
attempt presents them. Reads only: nothing here adds, flushes or commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from typing import Any

import sqlalchemy as sa

from quiz_app.banks.crossbank import collection_key
from quiz_app.banks.models import Bank, Question, Quiz
from quiz_app.banks.schema import ALL_BANKS, Selection, draws
from quiz_app.extensions import db
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.quiz import rules, selection
from quiz_app.quiz.models import (
    AcceptedAnswer,
    AttemptAnswer,
    AttemptStatus,
    QuizAttempt,
)
from quiz_app.quiz.records import (
    AttemptRef,
    PresentedQuestion,
    QuestionContent,
    ResultItem,
)
from quiz_app.quiz.scoring import response_key as response_key


def get_quiz(quiz_id: str) -> Quiz | None:
    """The live quiz with this id, or None if unknown or retired."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.is_retired or quiz.bank.is_retired:
        return None
    return quiz


def get_attempt(attempt_id: int, *, user_id: int) -> QuizAttempt | None:
    """The attempt if it belongs to this user; another user's attempt is None."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        return None
    return attempt


def get_attempt_ref(attempt_id: int, *, user_id: int) -> AttemptRef | None:
    """The attempt's fixed parts if it belongs to this user (else None), for saving
    answers.
    """
    row = run_core(ATTEMPT_REF, {"attempt_id": attempt_id, "user_id": user_id}).first()
    if row is None:
        return None
    return AttemptRef(id=row.id, seed=row.seed, question_ids=row.question_ids)


def get_open_attempt(user_id: int, quiz_id: str) -> QuizAttempt | None:
    """The user's in-progress attempt at this quiz, if any."""
    return db.session.scalar(
        sa.select(QuizAttempt)
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.quiz_id == quiz_id,
            QuizAttempt.status == AttemptStatus.IN_PROGRESS,
        )
        .order_by(QuizAttempt.id.desc())
        .limit(1)
    )


def count_attempts(user_id: int, quiz_id: str) -> int:
    """How many attempts (any status) the user has started at this quiz."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(QuizAttempt)
            .where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id)
        )
        or 0
    )


def count_attempts_by_quiz(user_id: int) -> dict[str, int]:
    """Attempts started per quiz id, for showing "2 of 3 attempts used"."""
    rows = db.session.execute(
        sa.select(QuizAttempt.quiz_id, sa.func.count())
        .where(QuizAttempt.user_id == user_id)
        .group_by(QuizAttempt.quiz_id)
    )
    return {quiz_id: n for quiz_id, n in rows}


def list_best_percent_by_quiz(user_id: int) -> dict[str, float]:
    """The best graded percentage per quiz the user has finished (0-100)."""
    best: dict[str, float] = {}
    for attempt in list_closed_attempts(user_id):
        best[attempt.quiz_id] = max(
            best.get(attempt.quiz_id, 0.0), attempt.percent or 0
        )
    return best


def list_open_attempts(user_id: int) -> list[QuizAttempt]:
    """The user's attempts in progress, newest first."""
    return list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(
                QuizAttempt.user_id == user_id,
                QuizAttempt.status == AttemptStatus.IN_PROGRESS,
            )
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        )
    )


def list_closed_attempts(
    user_id: int, *, limit: int | None = None
) -> list[QuizAttempt]:
    """The user's graded attempts, newest first."""
    query = (
        sa.select(QuizAttempt)
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.status != AttemptStatus.IN_PROGRESS,
        )
        .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def select_question_ids(quiz: Quiz) -> list[str]:
    """The live questions a quiz's selection matches, in bank then file order.

    Banks: none named = the quiz's own bank, ``all`` = every live bank of the quiz's
    collection (``banks.crossbank.collection_key``: a bundled quiz's folder; an
    uploaded quiz's own bank). Topics, tags and ids combine as "any of"; with none of
    them, every question of those banks is selected.
    """
    chosen: Mapping[str, Sequence[str]] = quiz.selection or {}
    bank_ids = list(chosen.get("banks") or [quiz.bank_id])
    if ALL_BANKS in bank_ids:
        bank_ids = _collection_bank_ids(quiz.bank)
    query = (
        sa.select(Question)
        .join(Bank)
        .where(Question.is_retired.is_(False), Bank.is_retired.is_(False))
        .order_by(Bank.title, Bank.id, Question.position)
    )
    if ALL_BANKS not in (chosen.get("banks") or ()):
        query = query.where(Question.bank_id.in_(bank_ids))
        questions = list(db.session.scalars(query))
        rank = {bank_id: i for i, bank_id in enumerate(bank_ids)}
        questions.sort(key=lambda q: (rank[q.bank_id], q.position))
    else:  # by bank title, as the query orders them
        questions = list(
            db.session.scalars(query.where(Question.bank_id.in_(bank_ids)))
        )
    select = Selection(
        topics=tuple(chosen.get("topics") or ()),
        tags=tuple(chosen.get("tags") or ()),
        ids=tuple(chosen.get("ids") or ()),
    )
    return [
        q.id
        for q in questions
        if draws(select, topic=q.topic, question_id=q.id, tags=q.tags)
    ]


def _collection_bank_ids(bank: Bank) -> list[str]:
    """The live banks of ``bank``'s collection (``select.banks: all``)."""
    key = collection_key(bank.source_path, is_upload=bank.is_upload)
    if bank.is_upload:
        return [bank.id]
    rows = db.session.execute(
        sa.select(Bank.id, Bank.source_path).where(
            Bank.is_upload.is_(False), Bank.is_retired.is_(False)
        )
    )
    return [
        bank_id
        for bank_id, path in rows
        if collection_key(path, is_upload=False) == key
    ]


def variant_groups(question_ids: Sequence[str]) -> dict[str, str]:
    """Question id -> variant group, for those of these questions that have one."""
    rows = db.session.execute(
        sa.select(Question.id, Question.variant_group).where(
            Question.id.in_(question_ids), Question.variant_group.is_not(None)
        )
    )
    return {qid: group for qid, group in rows if group is not None}


def present_questions(
    attempt: QuizAttempt, *, positions: Sequence[int] | None = None
) -> list[PresentedQuestion]:
    """The attempt's questions (or those at ``positions``) with options and answers."""
    wanted = range(len(attempt.question_ids)) if positions is None else positions
    ids = [attempt.question_ids[p] for p in wanted]
    questions = questions_by_id(ids)
    answers = answers_by_question(attempt)
    return [
        _present(p, questions[qid], seed=attempt.seed, answer=answers.get(qid))
        for p, qid in zip(wanted, ids, strict=True)
    ]


def present_for_answering(
    attempt: AttemptRef, *, positions: Sequence[int]
) -> list[PresentedQuestion]:
    """The questions at ``positions`` as shown, without saved answers: what a submitted
    page is read and graded against. Core queries only, this is the answer POST.
    """
    ids = [attempt.question_ids[p] for p in positions]
    rows = run_core(QUESTION_CONTENT, {"ids": ids})
    questions = {
        row.id: QuestionContent(
            id=row.id, version=row.version, type=row.type, data=row.data
        )
        for row in rows
    }
    return [
        _present(p, questions[qid], seed=attempt.seed, answer=None)
        for p, qid in zip(positions, ids, strict=True)
    ]


def _present(
    position: int,
    question: Question | QuestionContent,
    *,
    seed: int,
    answer: AttemptAnswer | None,
) -> PresentedQuestion:
    return PresentedQuestion(
        position=position,
        question=question,
        options=selection.presented_options(
            question.type,
            question.data,
            rng=selection.attempt_rng(seed, f"options:{question.id}"),
        ),
        answer=answer,
    )


def answered_positions(attempt: QuizAttempt) -> set[int]:
    """Positions of the questions with a saved gradable answer, for the navigator."""
    answers = answers_by_question(attempt)
    filled = {
        p: qid
        for p, qid in enumerate(attempt.question_ids)
        if qid in answers and not rules.is_blank(answers[qid].response)
    }
    questions = questions_by_id(list(filled.values()))
    return {
        p
        for p, qid in filled.items()
        if not rules.is_unreadable(questions[qid], answers[qid].response)
    }


def first_unanswered_position(attempt: QuizAttempt) -> int:
    """Where to resume: the first question without a gradable answer (0 if all have
    one, so the student starts again at the top to check).
    """
    answered = answered_positions(attempt)
    return next((p for p in range(len(attempt.question_ids)) if p not in answered), 0)


def list_results(
    attempt: QuizAttempt, *, held_back: Set[str] = frozenset()
) -> list[ResultItem]:
    """Every question of a graded attempt with both answers and the sources; those in
    ``held_back`` are marked so the page keeps their answers back.
    """
    questions = questions_by_id(attempt.question_ids)
    answers = answers_by_question(attempt)
    items = []
    for number, qid in enumerate(attempt.question_ids, start=1):
        question = questions[qid]
        qtype = QUESTION_TYPES[question.type]
        row = answers.get(qid)
        response = None if row is None else row.response
        bank_sources = question.bank.sources
        grade = qtype.grade(question.data, response)
        items.append(
            ResultItem(
                number=number,
                question=question,
                answer=row,
                your_answer=qtype.describe_response(question.data, response),
                right_answer=qtype.describe_answer(question.data),
                feedback=grade.feedback,
                tally=grade.tally,
                is_held_back=qid in held_back,
                sources=[
                    bank_sources[k] for k in question.sources if k in bank_sources
                ],
            )
        )
    return items


def preview_question(question: Question) -> PresentedQuestion:
    """The question as a student would see it in an attempt (options in a fixed shuffled
    order), unanswered.
    """
    return PresentedQuestion(
        position=0,
        question=question,
        options=selection.presented_options(
            question.type,
            question.data,
            rng=selection.attempt_rng(0, f"options:{question.id}"),
        ),
        answer=None,
    )


#: Prebuilt statements of the answer POST (building one costs more than running it).
ATTEMPT_REF = sa.select(
    QuizAttempt.id, QuizAttempt.seed, QuizAttempt.question_ids
).where(
    QuizAttempt.id == sa.bindparam("attempt_id"),
    QuizAttempt.user_id == sa.bindparam("user_id"),
)


QUESTION_CONTENT = sa.select(
    Question.id, Question.version, Question.type, Question.data
).where(Question.id.in_(sa.bindparam("ids", expanding=True)))


def run_core(statement: sa.Executable, params: Any) -> sa.CursorResult[Any]:
    """Run a Core statement on the session's connection, in the request's transaction.

    Unlike ``db.session.execute`` this skips the ORM's per-statement work (and its
    autoflush), which on the answer POST cost more than the SQL itself.
    """
    return db.session.connection().execute(statement, params)


def questions_by_id(ids: Sequence[str]) -> dict[str, Question]:
    if not ids:
        return {}
    return {
        q.id: q
        for q in db.session.scalars(sa.select(Question).where(Question.id.in_(ids)))
    }


def answers_by_question(attempt: QuizAttempt) -> dict[str, AttemptAnswer]:
    return {a.question_id: a for a in attempt.answers}


def list_accepted_responses(question_ids: Sequence[str]) -> set[tuple[str, int, str]]:
    """(question id, version, response key) of every answer a teacher accepted for
    these questions.
    """
    if not question_ids:
        return set()
    rows = db.session.execute(
        sa.select(
            AcceptedAnswer.question_id,
            AcceptedAnswer.question_version,
            AcceptedAnswer.response,
        ).where(AcceptedAnswer.question_id.in_(list(question_ids)))
    )
    return {(qid, version, response_key(resp)) for qid, version, resp in rows}
