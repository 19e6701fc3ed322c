"""A quiz set for a student's class can be started only while an assignment of it is
open; a fixed clock throughout.
"""

from __future__ import annotations

from datetime import timedelta
from random import Random

import pytest
import sqlalchemy as sa

from quiz_app.classes import services as class_services
from quiz_app.extensions import db
from quiz_app.quiz import records, services, windows
from quiz_app.quiz.models import QuizAttempt
from quiz_app.quiz.windows import Access
from tests.quiz.helpers import make_quiz_bank

GRACE = timedelta(seconds=30)
DAY = timedelta(days=1)


@pytest.fixture
def fixed_clock(monkeypatch, now):
    """Every view sees ``now`` (Monday 2 March 2026, 09:30 UTC)."""
    for module in ("quiz_app.quiz.views", "quiz_app.home.views", "quiz_app.web"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: now)
    return now


@pytest.fixture
def set_quiz(make_bank, make_user, now):
    """Make bank-a (quiz bank-a-quiz) and a class; returns ``assign(student, ...)``
    that puts the student in the class and sets the quiz with the given window.
    """
    make_quiz_bank(make_bank)
    teacher = make_user("msong", role="teacher")
    school_class = class_services.create_class(
        teacher, "History 10", now=now, rng=Random(1)
    )

    def assign(student, *, opens_at=None, closes_at=None, quiz_id="bank-a-quiz"):
        class_services.join_class_by_code(student, school_class.join_code, now=now)
        class_services.add_assignment(
            school_class,
            quiz_id=quiz_id,
            opens_at=opens_at,
            closes_at=closes_at,
            now=now,
        )
        db.session.commit()

    return assign


def _count_attempts():
    return db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt))


def _assigned(user):
    return class_services.list_quiz_windows_for_student(user.id)


def _start(user, *, now, tz_name="UTC"):
    return services.start_attempt(
        user.id,
        "bank-a-quiz",
        now=now,
        rng=Random(1),
        grace=GRACE,
        tz_name=tz_name,
    )


# --------------------------------------------------------------------------------------
# Service


def test_an_upcoming_assignment_refuses_a_start_with_the_local_date(
    make_user, set_quiz, now
):
    student = make_user("alice")
    set_quiz(student, opens_at=now + 2 * DAY)  # Wed 4 Mar, 09:30 UTC
    with pytest.raises(records.QuizNotOpen) as refused:
        _start(student, now=now, tz_name="Asia/Seoul")
    assert str(refused.value) == (
        "This quiz opens on Wed 4 Mar, 18:30 (Asia/Seoul time)."
    )
    assert _count_attempts() == 0
    attempt, _ = _start(student, now=now + 2 * DAY)  # the moment it opens
    assert attempt.started_at == now + 2 * DAY


def test_a_closed_assignment_refuses_but_an_attempt_under_way_may_finish(
    make_user, set_quiz, now
):
    student = make_user("alice")
    set_quiz(student, closes_at=now + DAY)
    attempt, _ = _start(student, now=now)
    later = now + 2 * DAY
    resumed, was_resumed = _start(student, now=later)
    assert was_resumed and resumed.id == attempt.id
    services.submit_attempt(attempt, now=later, grace=GRACE)
    with pytest.raises(records.QuizNotOpen, match="This quiz closed on Tue 3 Mar"):
        _start(student, now=later)


def test_one_open_assignment_is_enough_and_other_students_are_free(
    make_user, set_quiz, now
):
    student, outsider = make_user("alice"), make_user("bob")
    set_quiz(student, closes_at=now - DAY)
    assert windows.quiz_availability(
        _assigned(student), "bank-a-quiz", now=now
    ).access == (Access.CLOSED)
    set_quiz(student, opens_at=now - DAY, closes_at=now + DAY)
    assert _start(student, now=now)[0].user_id == student.id
    # Not set for any of bob's classes: open as ever.
    assert windows.quiz_availability(
        _assigned(outsider), "bank-a-quiz", now=now
    ).access == (Access.FREE)
    assert _start(outsider, now=now)[0].user_id == outsider.id
    assert windows.unavailable_quizzes(_assigned(student), now=now) == {}


# --------------------------------------------------------------------------------------
# Web


def test_the_quiz_page_says_when_it_opens_instead_of_a_start_button(
    client, auth, set_quiz, fixed_clock
):
    student = auth.login()
    student.timezone = "Europe/Paris"
    set_quiz(student, opens_at=fixed_clock + timedelta(days=6, hours=-2, minutes=-30))
    page = client.get("/quiz/bank-a-quiz").text
    assert "This quiz opens on Sun 8 Mar, 08:00 (Europe/Paris time)." in page
    assert 'action="/quiz/bank-a-quiz/start"' not in page
    # A start posted anyway (an old tab) is refused with the same reason.
    response = client.post("/quiz/bank-a-quiz/start")
    assert response.location.endswith("/quiz/bank-a-quiz")
    assert "This quiz opens on Sun 8 Mar" in client.get(response.location).text
    assert _count_attempts() == 0
    home = client.get("/").text
    assert '<span class="badge badge-warn">Opens Sun 8 Mar, 08:00</span>' in home


def test_a_closed_quiz_says_so_on_its_page_and_in_the_catalogue(
    client, auth, set_quiz, fixed_clock
):
    student = auth.login()
    set_quiz(student, closes_at=fixed_clock - DAY)
    page = client.get("/quiz/bank-a-quiz").text
    assert "This quiz closed on Sun 1 Mar, 09:30 (UTC time)." in page
    assert 'action="/quiz/bank-a-quiz/start"' not in page
    assert '<span class="badge badge-warn">Closed</span>' in client.get("/").text


def test_an_open_assignment_shows_the_start_button(client, auth, set_quiz, fixed_clock):
    student = auth.login()
    set_quiz(student, opens_at=fixed_clock - DAY, closes_at=fixed_clock + DAY)
    page = client.get("/quiz/bank-a-quiz").text
    assert 'action="/quiz/bank-a-quiz/start"' in page and "This quiz" not in page
    assert "badge-warn" not in client.get("/").text
    assert client.post("/quiz/bank-a-quiz/start").location.startswith("/quiz/attempt/")
