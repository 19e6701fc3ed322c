"""Tests students cannot see through: review options, assigned-only tests, and no side
door to a test's answers while it is open.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quiz_app.banks import schema
from quiz_app.classes import services as class_services
from quiz_app.classes.models import Assignment
from quiz_app.extensions import db
from tests.factories import make_schema_question
from tests.teacher.helpers import make_class

#: The right answer of every exam question: no page may show it while the exam is open.
SECRET = "Kaesong-secret-answer"
EXPLANATION = "Explained-by-the-sources"


def _question(qid: str, *, flashcard: bool = False) -> schema.Question:
    return make_schema_question(
        qid,
        explanation=EXPLANATION,
        data={
            "choices": (SECRET, "Geneva", "Tokyo"),
            "answer": SECRET,
            "shuffle": False,
        },
        flashcard=(
            schema.CardFace(front=f"Front of {qid}", back=f"It was {SECRET}.")
            if flashcard
            else None
        ),
    )


@pytest.fixture
def exam_world(app, make_bank, make_user):
    """An exam (timed, after_close, assigned to 10B closing in a week), a practice quiz
    over the same questions, a student of 10B, and a student of no class.
    """
    make_bank(
        "bank-x",
        questions=(_question("x-1", flashcard=True), _question("x-2")),
        quizzes=(
            schema.QuizDef(
                id="exam", title="Exam", time_limit_minutes=30, review="after_close"
            ),
            schema.QuizDef(id="practice", title="Practice", shuffle=False),
        ),
    )
    teacher = make_user("teacher", role="teacher")
    student = make_user("student")
    outsider = make_user("outsider")
    real_now = datetime.now(UTC)
    school_class = make_class(teacher, student, now=real_now)
    assignment = class_services.add_assignment(
        school_class,
        quiz_id="exam",
        opens_at=real_now - timedelta(hours=1),
        closes_at=real_now + timedelta(days=7),
        now=real_now,
    )
    db.session.commit()
    return {"assignment_id": assignment.id, "student": student, "outsider": outsider}


def _start(client, quiz_id: str) -> int:
    response = client.post(f"/quiz/{quiz_id}/start")
    assert response.status_code == 302, response.status_code
    match = re.search(r"/quiz/attempt/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def _answer_and_submit(client, attempt_id: int, *, right: bool) -> None:
    """Answer both questions (right, or not at all) and submit."""
    if right:
        for number in (1, 2):
            response = client.post(
                f"/quiz/attempt/{attempt_id}/answer",
                data={"page": str(number), f"q{number}": SECRET, "action": "next"},
            )
            assert response.status_code == 302
    response = client.post(f"/quiz/attempt/{attempt_id}/submit", data={})
    assert response.status_code == 302


def _side_door_pages(client, practice_attempt_id: int) -> dict[str, str]:
    """Every page a student could read an exam answer from."""
    pages = {
        "home": client.get("/"),
        "history": client.get("/quiz/history"),
        "practice results": client.get(f"/quiz/attempt/{practice_attempt_id}/results"),
        "practice detail": client.get("/quiz/practice"),
        "flashcards": client.get("/cards/"),
        "flashcard answer": client.get("/cards/x-1/answer"),
        "progress": client.get("/progress/"),
        "export": client.get("/account/export"),
    }
    return {name: r.get_data(as_text=True) for name, r in pages.items()}


def test_an_open_exam_shows_its_answers_nowhere(client, auth, exam_world):
    auth.login(username="student")
    exam_id = _start(client, "exam")
    practice_id = _start(client, "practice")
    _answer_and_submit(client, practice_id, right=False)
    pages = _side_door_pages(client, practice_id)
    for name, text in pages.items():
        assert SECRET not in text, f"{name} shows the exam's answer"
        assert EXPLANATION not in text, f"{name} shows the exam's explanation"
    assert "Held back" in pages["practice results"]
    # the exam itself: its results wait for the submit
    assert client.get(f"/quiz/attempt/{exam_id}/results").status_code == 302


def test_after_close_exam_shows_score_until_the_close_date(client, auth, exam_world):
    auth.login(username="student")
    exam_id = _start(client, "exam")
    _answer_and_submit(client, exam_id, right=True)
    results = client.get(f"/quiz/attempt/{exam_id}/results").get_data(as_text=True)
    assert "You scored <strong>2 of 2</strong>" in results
    assert SECRET not in results and EXPLANATION not in results
    assert "will be shown here after the quiz closes" in results
    practice_id = _start(client, "practice")
    _answer_and_submit(client, practice_id, right=False)
    for name, text in _side_door_pages(client, practice_id).items():
        if name != "export":  # it holds the student's own responses, checked below
            assert SECRET not in text, f"{name} shows the answer before the close"
    export = json.loads(client.get("/account/export").get_data(as_text=True))
    exam_rows = [a for a in export["attempts"] if a["quiz_id"] == "exam"]
    assert exam_rows[0]["answers_shown"] is False
    assert all("is_correct" not in a for a in exam_rows[0]["answers"])

    # the teacher's close date passes: everything is shown
    db.session.execute(
        sa.update(Assignment)
        .where(Assignment.id == exam_world["assignment_id"])
        .values(closes_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    db.session.commit()
    results = client.get(f"/quiz/attempt/{exam_id}/results").get_data(as_text=True)
    assert SECRET in results and EXPLANATION in results
    flashcard = client.get("/cards/x-1/answer").get_data(as_text=True)
    assert SECRET in flashcard


def test_score_only_never_shows_answers(client, auth, exam_world):
    db.session.execute(
        sa.update(Assignment)
        .where(Assignment.id == exam_world["assignment_id"])
        .values(review="score_only")
    )
    db.session.commit()
    auth.login(username="student")
    exam_id = _start(client, "exam")
    _answer_and_submit(client, exam_id, right=False)
    db.session.execute(
        sa.update(Assignment).values(closes_at=datetime.now(UTC) - timedelta(days=1))
    )
    db.session.commit()
    results = client.get(f"/quiz/attempt/{exam_id}/results").get_data(as_text=True)
    assert "score only" in results
    assert SECRET not in results


def test_assigned_test_is_hidden_from_students_outside_its_classes(
    client, auth, exam_world
):
    auth.login(username="outsider")
    assert "Exam" not in client.get("/").get_data(as_text=True)
    assert client.get("/quiz/exam").status_code == 404
    assert client.post("/quiz/exam/start").status_code == 404
    assert client.get("/quiz/practice").status_code == 200


def test_assigned_test_is_listed_for_its_class(client, auth, exam_world):
    auth.login(username="student")
    home = client.get("/").get_data(as_text=True)
    assert ">Exam<" in home
    detail = client.get("/quiz/exam").get_data(as_text=True)
    assert "after the quiz closes" in detail


def test_assignment_overrides_show_on_the_quiz_page_and_govern_the_attempt(
    client, auth, exam_world
):
    db.session.execute(
        sa.update(Assignment)
        .where(Assignment.id == exam_world["assignment_id"])
        .values(time_limit_minutes=90, max_attempts=1, pass_mark=80)
    )
    db.session.commit()
    auth.login(username="student")
    detail = client.get("/quiz/exam").get_data(as_text=True)
    assert "Time limit: 90 minutes" in detail
    assert "Pass mark: 80%" in detail
    assert "Attempts: 0 of 1 used" in detail
    assert "Closes " in detail
    attempt_id = _start(client, "exam")
    _answer_and_submit(client, attempt_id, right=False)
    response = client.post("/quiz/exam/start")
    assert response.status_code == 302
    assert "/quiz/exam" in response.headers["Location"]  # refused, back to the rules
    from quiz_app.quiz.models import QuizAttempt

    attempt = db.session.get(QuizAttempt, attempt_id)
    assert attempt.pass_mark == 80
    assert attempt.assignment_id == exam_world["assignment_id"]
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=90)
