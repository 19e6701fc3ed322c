"""The gradebook from the database: cells per student and assignment; query count."""

from __future__ import annotations

from datetime import timedelta
from random import Random

import sqlalchemy as sa

from quiz_app.classes import services as class_services
from quiz_app.classes.gradebook import CellState
from quiz_app.classes.queries import build_gradebook, gradebook_csv_rows
from quiz_app.extensions import db
from quiz_app.quiz import services as quiz_services
from tests.factories import make_schema_question
from tests.teacher.helpers import GRACE, make_class, take_quiz


def _world(make_bank, make_user, now, *, students: int):
    make_bank("bank-a", questions=(make_schema_question("qa"),))
    teacher = make_user("teacher", role="teacher")
    people = [make_user(f"s{i:02d}") for i in range(students)]
    school_class = make_class(teacher, *people, now=now)
    open_one = class_services.add_assignment(
        school_class, quiz_id="bank-a-all", closes_at=now + timedelta(days=1), now=now
    )
    closed = class_services.add_assignment(
        school_class,
        quiz_id="bank-a-all",
        opens_at=now - timedelta(days=3),
        closes_at=now - timedelta(days=2),
        now=now - timedelta(days=4),
    )
    return school_class, people, open_one, closed


def test_cells_show_score_progress_and_missing(app, make_bank, make_user, now):
    school_class, (a, b, c), open_one, closed = _world(
        make_bank, make_user, now, students=3
    )
    take_quiz(a, "bank-a-all", {"qa": "Right"}, now=now)
    quiz_services.start_attempt(b.id, "bank-a-all", now=now, rng=Random(2), grace=GRACE)
    db.session.commit()
    book = build_gradebook(school_class, now=now)
    assert [c.assignment_id for c in book.columns] == [closed.id, open_one.id]
    states = {r.student.username: [x.state for x in r.cells] for r in book.rows}
    assert states == {
        "s00": [CellState.MISSING, CellState.DONE],
        "s01": [CellState.MISSING, CellState.IN_PROGRESS],
        "s02": [CellState.MISSING, CellState.NOT_STARTED],
    }
    assert book.rows[0].cells[1].best == 100.0
    header, rows = gradebook_csv_rows(book, tz_name="UTC")
    assert header[:2] == ["username", "display_name"]
    assert rows[0][:2] == ["s00", "s00"]
    assert rows[0][6:9] == [100.0, 100.0, "Done"]


def _count_queries(school_class, now):
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        db.session.expire_all()
        build_gradebook(school_class, now=now)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    # the class row reloads (expired above); then students, assignments, attempts
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


def test_the_gradebook_costs_the_same_queries_for_any_class_size(
    app, make_bank, make_user, now
):
    school_class, people, _, _ = _world(make_bank, make_user, now, students=2)
    for person in people:
        take_quiz(person, "bank-a-all", {"qa": "Right"}, now=now)
    db.session.commit()
    small = _count_queries(school_class, now)
    for i in range(20):
        person = make_user(f"extra{i:02d}")
        class_services.join_class_by_code(person, school_class.join_code, now=now)
        take_quiz(person, "bank-a-all", {"qa": "Wrong 1"}, now=now, seed=i)
    db.session.commit()
    assert _count_queries(school_class, now) == small <= 4
