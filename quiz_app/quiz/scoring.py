"""Pure grading of a whole attempt from plain records: no Flask, no database, no clock.

Closing an attempt grades every drawn question. That work is done here, before the
write lock is taken (:func:`quiz_app.quiz.services.grade_for_close`); under the lock
only the answers saved since are graded again (:func:`changed_since`), so the lock is
held for the writes, and both steps take time linear in the questions.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.quiz.records import QuestionContent


def response_key(response: Any) -> str:
    """A response as comparable text (JSON with sorted keys)."""
    return json.dumps(response, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class SavedAnswer:
    """An answer row as stored: what grading reads and what tells a later save apart."""

    row_id: int
    question_id: str
    question_version: int
    response: Any
    answered_at: datetime | None
    score: float | None
    is_correct: bool | None
    mark_override: float | None

    @property
    def stamp(self) -> tuple[datetime | None, int]:
        """Changes whenever the student saves this answer again."""
        return (self.answered_at, self.question_version)


@dataclass(frozen=True, slots=True)
class Grade:
    """The final grade of one drawn question of the attempt."""

    question_id: str
    question_version: int
    score: float
    is_correct: bool


def grade_question(
    question: QuestionContent,
    answer: SavedAnswer | None,
    accepted: Collection[tuple[str, int, str]],
) -> Grade:
    """One question's grade: its type's own, or full marks for a response a teacher
    accepted for everyone.
    """
    response = answer.response if answer is not None else None
    version = answer.question_version if answer is not None else question.version
    grade = QUESTION_TYPES[question.type].grade(question.data, response)
    if (question.id, version, response_key(response)) in accepted:
        return Grade(question.id, version, 1.0, True)
    return Grade(question.id, version, grade.score, grade.is_correct)


def grade_attempt(
    question_ids: Sequence[str],
    questions: Mapping[str, QuestionContent],
    answers: Mapping[str, SavedAnswer],
    accepted: Collection[tuple[str, int, str]],
) -> dict[str, Grade]:
    """Every drawn question's grade, each question graded once."""
    return {
        qid: grade_question(questions[qid], answers.get(qid), accepted)
        for qid in question_ids
    }


def changed_since(
    before: Mapping[str, SavedAnswer], now: Mapping[str, SavedAnswer]
) -> list[str]:
    """Questions whose answer was saved (added or changed) between two reads."""
    return [
        qid
        for qid, answer in now.items()
        if qid not in before or before[qid].stamp != answer.stamp
    ]


@dataclass(frozen=True, slots=True)
class Closing:
    """What closing the attempt writes, worked out from the grades and the rows."""

    #: (row id, score, is_correct) of stored answers whose grade changes
    updates: list[tuple[int, float, bool]]
    #: grades of drawn questions with no row yet (never answered)
    inserts: list[Grade]
    #: questions answered wrongly or not at all
    missed: list[str]
    #: points earned: a teacher's mark where there is one, else the grade
    total: float


def plan_closing(
    question_ids: Sequence[str],
    grades: Mapping[str, Grade],
    answers: Mapping[str, SavedAnswer],
) -> Closing:
    """The writes that close an attempt: only rows whose grade differs from the one
    stored at saving are updated.
    """
    updates: list[tuple[int, float, bool]] = []
    inserts: list[Grade] = []
    missed: list[str] = []
    total = 0.0
    for qid in question_ids:
        grade = grades[qid]
        row = answers.get(qid)
        if row is None:
            inserts.append(grade)
            total += grade.score
        else:
            if (row.score, row.is_correct) != (grade.score, grade.is_correct):
                updates.append((row.row_id, grade.score, grade.is_correct))
            total += (
                grade.score if row.mark_override is None else row.mark_override
            ) or 0.0
        if not grade.is_correct:
            missed.append(qid)
    return Closing(updates, inserts, missed, round(total, 4))
