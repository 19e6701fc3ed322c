"""Every teacher page runs as many SQL statements for a class of 20 students with ten
attempts each as for a class of 2 with one: costs must not grow with the class or its
history (issue 13). Long lists are paged with plain links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from quiz_app.accounts.models import User
from quiz_app.accounts.services import create_user, hash_password
from quiz_app.classes import services as class_services
from quiz_app.classes.models import SchoolClass
from quiz_app.extensions import db
from quiz_app.flashcards.models import CardProgress
from quiz_app.flashcards.scheduler import Phase
from quiz_app.reports import services as report_services
from tests.conftest import PASSWORD, AuthActions
from tests.factories import make_schema_question
from tests.teacher.helpers import make_class, take_quiz


@contextmanager
def counting() -> Iterator[list[str]]:
    """Every SQL statement run inside, in order."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


class School:
    """A teacher's class whose students each have attempts, cards and a report."""

    def __init__(self, client: FlaskClient, auth: AuthActions, now: datetime) -> None:
        self.client, self.now = client, now
        self.teacher = auth.login(role="teacher", username="teacher")
        self._hash = hash_password(PASSWORD)  # one hash for everyone
        self.school_class: SchoolClass = make_class(self.teacher, now=now)
        self.students: list[User] = []
        self.attempts: dict[int, int] = {}
        self.close_half = False
        db.session.commit()

    def grow(self, *, students: int, attempts: int) -> None:
        """Bring the class to ``students`` students with ``attempts`` attempts each,
        a report from each, and reviewed cards.
        """
        while len(self.students) < students:
            user = create_user(
                f"s{len(self.students):02d}",
                "",
                password_hash=self._hash,
                now=self.now,
            )
            class_services.join_class_by_code(
                user, self.school_class.join_code, now=self.now
            )
            self.students.append(user)
        for user in self.students:
            while self.attempts.get(user.id, 0) < attempts:
                n = self.attempts.get(user.id, 0)
                attempt = take_quiz(
                    user,
                    "bank-a-all",
                    {"qa": "Right", "qb": "Wrong 1"},
                    now=self.now + timedelta(minutes=n),
                    seed=n,
                )
                if n == 0:
                    report = report_services.create_report(
                        user,
                        question_id="qb",
                        attempt_id=attempt.id,
                        comment="I think b is right",
                        now=self.now,
                    )
                    if self.close_half and len(self.attempts) % 2:
                        report_services.close_report(
                            report.id, closed_by=self.teacher, now=self.now
                        )
                self.attempts[user.id] = n + 1
        db.session.execute(
            sa.update(CardProgress).values(
                phase=int(Phase.REVIEW),
                step=None,
                stability=5.0,
                difficulty=5.0,
                last_reviewed_at=self.now - timedelta(days=1),
            )
        )
        db.session.commit()

    def pages(self) -> dict[str, str]:
        class_id = self.school_class.id
        first = self.students[0].id
        return {
            "dashboard": f"/teach/classes/{class_id}",
            "item analysis": f"/teach/classes/{class_id}/quizzes/bank-a-all",
            "item analysis CSV": f"/teach/classes/{class_id}/quizzes/bank-a-all"
            "/items.csv",
            "gradebook": f"/teach/classes/{class_id}/gradebook",
            "student": f"/teach/classes/{class_id}/students/{first}",
            "open reports": "/teach/reports",
            "closed reports": "/teach/reports?closed=1",
            "present": f"/teach/classes/{class_id}/present",
        }

    def statements(self) -> dict[str, int]:
        """SQL statements per page, each page opened once before (so the once-a-minute
        "last seen" write is not counted).
        """
        counts = {}
        for name, url in self.pages().items():
            assert self.client.get(url).status_code == 200, name
            db.session.expire_all()
            with counting() as statements:
                assert self.client.get(url).status_code == 200, name
            counts[name] = len(statements)
        return counts


@pytest.fixture
def school(
    client: FlaskClient, auth: AuthActions, make_bank: Callable[..., Any], now: datetime
) -> School:
    make_bank(
        "bank-a",
        questions=(make_schema_question("qa"), make_schema_question("qb")),
    )
    db.session.commit()
    return School(client, auth, now)


def test_teacher_pages_cost_the_same_for_2_or_20_students_with_1_or_10_attempts(
    school: School,
) -> None:
    school.close_half = True  # both report lists have rows
    school.grow(students=2, attempts=1)
    small = school.statements()
    school.grow(students=20, attempts=10)
    large = school.statements()
    assert large == small


def test_the_dashboard_counts_cards_and_scores_of_every_student(
    school: School,
) -> None:
    school.grow(students=3, attempts=2)
    page = school.client.get(school.pages()["dashboard"]).get_data(as_text=True)
    assert "Students (3)" in page
    # each student: 2 quizzes taken, best and last 50%, two reviewed cards due
    assert page.count('<td class="num">2</td>') >= 3
    assert page.count("50%") >= 6


def test_reports_come_a_page_at_a_time(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_services, "REPORTS_PER_PAGE", 2)
    school.grow(students=5, attempts=1)
    first = school.client.get("/teach/reports").get_data(as_text=True)
    assert first.count('class="panel" id="report-') == 2
    assert "Page 1 of 3" in first and "(1–2 of 5)" in first
    assert 'rel="next" href="/teach/reports?page=2"' in first
    assert 'rel="prev"' not in first
    last = school.client.get("/teach/reports?page=3").get_data(as_text=True)
    assert last.count('class="panel" id="report-') == 1
    assert 'rel="prev" href="/teach/reports?page=2"' in last
    assert 'rel="next"' not in last
    # past the end and nonsense both land on a real page
    assert "Page 3 of 3" in school.client.get("/teach/reports?page=99").get_data(
        as_text=True
    )
    assert "Page 1 of 3" in school.client.get("/teach/reports?page=-1x").get_data(
        as_text=True
    )
    seen = set()
    for n in (1, 2, 3):
        page = school.client.get(f"/teach/reports?page={n}").get_data(as_text=True)
        seen |= {
            line.split('id="report-')[1].split('"')[0]
            for line in page.splitlines()
            if 'id="report-' in line
        }
    assert len(seen) == 5  # every report on exactly one page


def test_closed_reports_page_keeps_the_closed_filter(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_services, "REPORTS_PER_PAGE", 2)
    school.grow(students=3, attempts=1)
    for report in db.session.scalars(sa.select(report_services.Report)):
        report_services.close_report(
            report.id, closed_by=school.teacher, now=school.now
        )
    db.session.commit()
    page = school.client.get("/teach/reports?closed=1").get_data(as_text=True)
    assert 'href="/teach/reports?page=2&amp;closed=1"' in page


def test_a_students_attempts_come_a_page_at_a_time(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz_app.classes import firsthour

    monkeypatch.setattr(firsthour, "ATTEMPTS_PER_PAGE", 3)
    school.grow(students=1, attempts=7)
    url = school.pages()["student"]
    first = school.client.get(url).get_data(as_text=True)
    assert first.count('<th scope="row">All questions</th>') == 3
    assert "Page 1 of 3" in first and "(1–3 of 7)" in first
    assert f'href="{url}?page=2#attempts"' in first
    last = school.client.get(f"{url}?page=3").get_data(as_text=True)
    assert last.count('<th scope="row">All questions</th>') == 1


def test_the_dashboard_pages_its_students_and_keeps_the_sort(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz_app.classes import dashboard

    monkeypatch.setattr(dashboard, "STUDENTS_PER_PAGE", 2)
    school.grow(students=3, attempts=1)
    url = school.pages()["dashboard"]
    first = school.client.get(f"{url}?sort=name&dir=desc").get_data(as_text=True)
    assert "Students (3)" in first and "Page 1 of 2" in first
    assert ">s02</a>" in first and ">s01</a>" in first and ">s00</a>" not in first
    assert f'href="{url}?page=2&amp;sort=name&amp;dir=desc#students"' in first
    second = school.client.get(f"{url}?page=2&sort=name&dir=desc").get_data(
        as_text=True
    )
    assert ">s00</a>" in second and ">s01</a>" not in second
