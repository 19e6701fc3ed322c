"""Class services: codes, membership, assignments and what a student sees."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from random import Random
from typing import Any

import pytest

from quiz_app.classes import services
from tests.teacher.helpers import make_class


def test_join_by_code_is_case_and_dash_insensitive_and_idempotent(
    make_user: Callable[..., Any], now: datetime
) -> None:
    teacher = make_user("teacher", role="teacher")
    student = make_user("ann")
    school_class = make_class(teacher, now=now)
    code = school_class.join_code
    typed = f"{code[:4].lower()}-{code[4:].lower()}"
    assert services.join_class_by_code(student, typed, now=now) is school_class
    services.join_class_by_code(student, code, now=now)
    assert services.list_students(school_class) == [student]


def test_regenerated_code_replaces_the_old_one(
    make_user: Callable[..., Any], now: datetime
) -> None:
    teacher = make_user("teacher", role="teacher")
    school_class = make_class(teacher, now=now)
    old = school_class.join_code
    new = services.regenerate_code(school_class, rng=Random(99))
    assert new != old
    with pytest.raises(services.InvalidJoinCode):
        services.join_class_by_code(make_user("ann"), old, now=now)
    assert services.get_class_by_code(new) is school_class


def test_teachers_cannot_join_and_other_teachers_cannot_see(
    make_user: Callable[..., Any], now: datetime
) -> None:
    teacher = make_user("teacher", role="teacher")
    other = make_user("other", role="teacher")
    school_class = make_class(teacher, now=now)
    with pytest.raises(services.NotAStudent):
        services.join_class_by_code(other, school_class.join_code, now=now)
    assert services.get_class_for_teacher(school_class.id, other) is None
    assert services.get_class_for_teacher(school_class.id, teacher) is school_class
    assert services.list_classes_for_teacher(other) == []


def test_removed_student_leaves_the_class(
    make_user: Callable[..., Any], now: datetime
) -> None:
    teacher = make_user("teacher", role="teacher")
    ann = make_user("ann")
    school_class = make_class(teacher, ann, now=now)
    assert services.remove_student(school_class, ann.id)
    assert services.list_students(school_class) == []
    assert not services.remove_student(school_class, ann.id)


def test_student_sees_open_then_upcoming_assignments_not_closed_ones(
    make_user: Callable[..., Any], make_bank: Callable[..., Any], now: datetime
) -> None:
    make_bank("bank-a")
    make_bank("bank-b")
    teacher = make_user("teacher", role="teacher")
    ann = make_user("ann")
    outsider = make_user("bob")
    school_class = make_class(teacher, ann, now=now)
    day = timedelta(days=1)
    services.add_assignment(school_class, bank_id="bank-a", opens_at=now + day, now=now)
    services.add_assignment(
        school_class, quiz_id="bank-a-all", closes_at=now + 2 * day, now=now
    )
    services.add_assignment(school_class, quiz_id="bank-b-all", now=now)
    services.add_assignment(
        school_class,
        bank_id="bank-b",
        opens_at=now - 3 * day,
        closes_at=now - day,
        now=now,
    )
    items = services.list_assignments_for_student(ann, now=now)
    assert [(i.kind, i.target_id, i.state) for i in items] == [
        ("quiz", "bank-a-all", "open"),  # open with the soonest deadline first
        ("quiz", "bank-b-all", "open"),
        ("bank", "bank-a", "upcoming"),
    ]
    assert items[0].class_name == "10B"
    assert services.list_assignments_for_student(outsider, now=now) == []


def test_assignment_needs_exactly_one_known_target_and_a_sane_window(
    make_user: Callable[..., Any], make_bank: Callable[..., Any], now: datetime
) -> None:
    make_bank("bank-a")
    school_class = make_class(make_user("teacher", role="teacher"), now=now)
    with pytest.raises(services.InvalidAssignment):
        services.add_assignment(school_class, now=now)
    with pytest.raises(services.InvalidAssignment):
        services.add_assignment(
            school_class, quiz_id="bank-a-all", bank_id="bank-a", now=now
        )
    with pytest.raises(services.InvalidAssignment):
        services.add_assignment(school_class, quiz_id="nope", now=now)
    with pytest.raises(services.InvalidAssignment):
        services.add_assignment(
            school_class, bank_id="bank-a", opens_at=now, closes_at=now, now=now
        )


def test_assignment_dates_are_shown_in_the_students_zone(
    make_user: Callable[..., Any], make_bank: Callable[..., Any], now: datetime
) -> None:
    make_bank("bank-a")
    ann = make_user("ann")
    ann.timezone = "Asia/Seoul"
    school_class = make_class(make_user("teacher", role="teacher"), ann, now=now)
    services.add_assignment(
        school_class, quiz_id="bank-a-all", closes_at=now + timedelta(hours=1), now=now
    )
    [item] = services.list_assignments_for_student(ann, now=now)
    assert item.closes_local is not None
    assert item.closes_local.utcoffset() == timedelta(hours=9)
    assert item.closes_local == item.closes_at
