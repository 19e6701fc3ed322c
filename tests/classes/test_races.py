"""Joining a class three times at once (a double click, a second tab): one membership,
no failure, on a database that several connections share."""

from __future__ import annotations

from random import Random

import pytest
import sqlalchemy as sa

from quiz_app.classes import services
from quiz_app.classes.models import ClassMembership
from quiz_app.extensions import db
from tests.conftest import logged_in_client, run_together, statuses


@pytest.fixture
def app(shared_app):
    """Every factory of these tests writes to the shared database."""
    return shared_app


def test_joining_three_times_at_once_makes_one_membership(app, make_user, now):
    teacher = make_user("mrpark", role="teacher")
    student = make_user("kim")
    school_class = services.create_class(teacher, "7B", now=now, rng=Random(1))
    code, class_id, student_id = school_class.join_code, school_class.id, student.id
    db.session.commit()
    clients = [logged_in_client(app, "kim") for _ in range(3)]
    results = run_together(
        app,
        [lambda c=c: c.post("/classes/join", data={"code": code}) for c in clients],
    )
    assert statuses(results) == [302] * 3
    db.session.rollback()
    members = db.session.execute(
        sa.select(ClassMembership.class_id, ClassMembership.user_id)
    ).all()
    assert members == [(class_id, student_id)]
