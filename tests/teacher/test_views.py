"""The teacher's area on the web: classes, dashboard, assignments, item analysis,
exports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from quiz_app.accounts.models import User
from quiz_app.classes import services as class_services
from quiz_app.classes.models import Assignment, SchoolClass
from quiz_app.extensions import db
from quiz_app.flashcards.models import CardProgress
from tests.conftest import PASSWORD, AuthActions
from tests.factories import make_schema_question
from tests.teacher.helpers import make_class, take_quiz


@pytest.fixture
def quiz_bank(make_bank: Callable[..., Any]) -> Any:
    """A bank with three single-choice questions on two topics and a quiz of all."""
    return make_bank(
        "bank-a",
        questions=(
            make_schema_question("qa"),
            make_schema_question("qb"),
            make_schema_question("qc", topic="topic-b"),
        ),
    )


def _login_teacher(auth: AuthActions) -> User:
    return auth.login(role="teacher", username="teacher")


def test_teacher_creates_a_class_and_sees_its_code(
    client: FlaskClient, auth: AuthActions
) -> None:
    teacher = _login_teacher(auth)
    response = client.post("/teach/classes", data={"name": "10B History"})
    assert response.status_code == 302
    [school_class] = class_services.list_classes_for_teacher(teacher)
    page = client.get(response.location).get_data(as_text=True)
    assert school_class.join_code in page
    assert f"/classes/join/{school_class.join_code}" in page
    assert f"/account/signup?code={school_class.join_code}" in page


def test_blank_class_name_is_refused(client: FlaskClient, auth: AuthActions) -> None:
    teacher = _login_teacher(auth)
    assert client.post("/teach/classes", data={"name": ""}).status_code == 400
    assert class_services.list_classes_for_teacher(teacher) == []


def test_another_teachers_class_is_not_found(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., Any], now: datetime
) -> None:
    other = make_class(make_user("other", role="teacher"), now=now)
    db.session.commit()
    _login_teacher(auth)
    assert client.get(f"/teach/classes/{other.id}").status_code == 404
    assert client.post(f"/teach/classes/{other.id}/code").status_code == 404
    assert client.get(f"/teach/classes/{other.id}/results.csv").status_code == 404


def test_regenerate_code_and_remove_student(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., Any], now: datetime
) -> None:
    teacher = _login_teacher(auth)
    ann = make_user("ann")
    school_class = make_class(teacher, ann, now=now)
    db.session.commit()
    old = school_class.join_code
    # Each first asks for a confirmation, on a page that works without JavaScript.
    confirm = client.get(f"/teach/classes/{school_class.id}/code")
    assert "stop working" in confirm.get_data(as_text=True)
    db.session.refresh(school_class)
    assert school_class.join_code == old
    client.post(f"/teach/classes/{school_class.id}/code")
    db.session.refresh(school_class)
    assert school_class.join_code != old
    url = f"/teach/classes/{school_class.id}/students/{ann.id}/remove"
    assert "Remove ann from 10B?" in client.get(url).get_data(as_text=True)
    assert len(class_services.list_students(school_class)) == 1
    response = client.post(url)
    assert response.status_code == 302
    assert class_services.list_students(school_class) == []
    again = client.post(f"/teach/classes/{school_class.id}/students/{ann.id}/remove")
    assert again.status_code == 404


def test_dashboard_shows_scores_cards_and_sorts_server_side(
    client: FlaskClient,
    auth: AuthActions,
    make_user: Callable[..., Any],
    quiz_bank: Any,
    now: datetime,
) -> None:
    teacher = _login_teacher(auth)
    ann, bob = make_user("ann"), make_user("bob")
    school_class = make_class(teacher, ann, bob, now=now)
    take_quiz(ann, "bank-a-all", {"qa": "Right", "qb": "Right", "qc": "Right"}, now=now)
    take_quiz(bob, "bank-a-all", {"qa": "Right"}, now=now)
    take_quiz(bob, "bank-a-all", {}, now=now + timedelta(hours=1), seed=2)
    # bob's missed questions entered his cards: make one overdue
    rows = db.session.scalars(
        sa.select(CardProgress).where(CardProgress.user_id == bob.id)
    )
    row = next(iter(rows))
    row.due_at = now - timedelta(days=3)
    db.session.commit()
    base = f"/teach/classes/{school_class.id}"
    page = client.get(f"{base}?sort=best&dir=desc").get_data(as_text=True)
    assert page.index(">ann<") < page.index(">bob<")  # ann 100% before bob 33%
    assert 'aria-sort="descending"' in page
    assert "<svg" in page and "Topic A" in page
    page = client.get(f"{base}?sort=best").get_data(as_text=True)
    assert page.index(">bob<") < page.index(">ann<")
    assert client.get(f"{base}?sort=bogus").status_code == 200


def test_student_rows_compute_best_last_due_and_overdue(
    make_user: Callable[..., Any], quiz_bank: Any, now: datetime
) -> None:
    from quiz_app.classes import dashboard as services

    ann = make_user("ann")
    take_quiz(ann, "bank-a-all", {"qa": "Right"}, now=now)
    take_quiz(
        ann,
        "bank-a-all",
        {"qa": "Right", "qb": "Right"},
        now=now + timedelta(minutes=5),
        seed=3,
    )
    rows = db.session.scalars(
        sa.select(CardProgress).where(CardProgress.user_id == ann.id)
    )
    for progress in rows:
        progress.due_at = now - timedelta(days=2)
    [row] = services.list_student_rows([ann], now=now + timedelta(hours=1))
    assert row.quizzes_taken == 2
    assert row.best_percent == pytest.approx(66.7)
    assert row.last_percent == pytest.approx(66.7)
    assert row.cards_due == row.cards_overdue == 2  # qb, qc missed first time
    assert row.recall is None  # never reviewed
    assert row.last_active_at == now + timedelta(minutes=5)


def test_topic_mastery_means_question_scores(
    make_user: Callable[..., Any], quiz_bank: Any, now: datetime
) -> None:
    from quiz_app.classes import dashboard as services

    ann, bob = make_user("ann"), make_user("bob")
    take_quiz(ann, "bank-a-all", {"qa": "Right", "qb": "Right", "qc": "Right"}, now=now)
    take_quiz(bob, "bank-a-all", {"qa": "Right", "qc": "Wrong 1"}, now=now)
    topics = {t.topic: t for t in services.list_topic_rows([ann, bob], now=now)}
    # topic-a: ann 1, 1; bob 1, 0 -> 3/4; topic-b: ann 1, bob 0 -> 1/2
    assert topics["topic-a"].mean_score == pytest.approx(0.75)
    assert topics["topic-b"].mean_score == pytest.approx(0.5)
    assert topics["topic-a"].mastery == pytest.approx(0.75)


def test_assignments_use_the_teachers_time_zone(
    client: FlaskClient,
    auth: AuthActions,
    make_user: Callable[..., Any],
    quiz_bank: Any,
    now: datetime,
) -> None:
    teacher = _login_teacher(auth)
    teacher.timezone = "Asia/Seoul"
    school_class = make_class(teacher, now=now)
    db.session.commit()
    url = f"/teach/classes/{school_class.id}/assignments"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        data={
            "target": "quiz:bank-a-all",
            "opens_at": "2026-03-02T09:00",
            "closes_at": "2026-03-09T09:00",
        },
    )
    assert response.status_code == 302
    [assignment] = db.session.scalars(sa.select(Assignment))
    assert assignment.opens_at == datetime(2026, 3, 2, 0, 0, tzinfo=now.tzinfo)
    bad = client.post(
        url,
        data={
            "target": "bank:bank-a",
            "opens_at": "2026-03-09T09:00",
            "closes_at": "2026-03-02T09:00",
        },
    )
    assert bad.status_code == 200 and b"must come after" in bad.data
    assert client.post(url, data={"target": "quiz:nope"}).status_code == 200
    remove = client.post(f"{url}/{assignment.id}/remove")
    assert remove.status_code == 302
    assert db.session.scalars(sa.select(Assignment)).all() == []


def test_item_analysis_page_and_csv(
    client: FlaskClient,
    auth: AuthActions,
    make_user: Callable[..., Any],
    quiz_bank: Any,
    now: datetime,
) -> None:
    teacher = _login_teacher(auth)
    ann, bob = make_user("ann"), make_user("bob")
    school_class = make_class(teacher, ann, bob, now=now)
    take_quiz(ann, "bank-a-all", {"qa": "Right", "qb": "Right", "qc": "Right"}, now=now)
    take_quiz(bob, "bank-a-all", {"qa": "Wrong 1"}, now=now)
    # bob's second attempt is perfect but must not count
    take_quiz(
        bob,
        "bank-a-all",
        {"qa": "Right", "qb": "Right", "qc": "Right"},
        now=now + timedelta(hours=1),
        seed=9,
    )
    db.session.commit()
    base = f"/teach/classes/{school_class.id}/quizzes/bank-a-all"
    page = client.get(base).get_data(as_text=True)
    assert "2 first attempts analysed" in page
    items_csv = client.get(f"{base}/items.csv").data
    assert items_csv.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.DictReader(io.StringIO(items_csv.decode("utf-8-sig"))))
    assert [r["question_id"] for r in rows] == ["qa", "qb", "qc"]
    assert rows[0]["facility"] == "50.0"
    assert rows[0]["responses"] == "2"
    assert "Right: 50%" in rows[0]["options"]
    assert (
        client.get(f"/teach/classes/{school_class.id}/quizzes/nope").status_code == 404
    )


def test_results_csv_neutralises_formula_injection(
    client: FlaskClient,
    auth: AuthActions,
    make_user: Callable[..., Any],
    quiz_bank: Any,
    now: datetime,
) -> None:
    teacher = _login_teacher(auth)
    evil = make_user("evil")
    evil.display_name = '=HYPERLINK("http://evil.example","x")'
    plus = make_user("plus")
    plus.display_name = "+1 @SUM(A1)"
    school_class = make_class(teacher, evil, plus, now=now)
    take_quiz(evil, "bank-a-all", {"qa": "Right"}, now=now)
    take_quiz(plus, "bank-a-all", {}, now=now)
    db.session.commit()
    response = client.get(f"/teach/classes/{school_class.id}/results.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    names = {r[0] for r in rows[1:]}
    assert names == {'\'=HYPERLINK("http://evil.example","x")', "'+1 @SUM(A1)"}
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_only_an_administrator_creates_another_teacher(
    client: FlaskClient, auth: AuthActions
) -> None:
    teacher = _login_teacher(auth)
    assert client.get("/teach/teachers/new").status_code == 403
    assert "Only an administrator" in client.get("/teach/teachers").get_data(
        as_text=True
    )
    teacher.is_admin = True
    db.session.commit()
    assert client.get("/teach/teachers/new").status_code == 200
    response = client.post(
        "/teach/teachers/new",
        data={"username": "mrs-kim", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "mrs-kim"))
    assert user is not None and user.is_teacher


def test_class_list_only_shows_own_classes(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., Any], now: datetime
) -> None:
    teacher = _login_teacher(auth)
    make_class(teacher, now=now, name="Mine")
    make_class(make_user("other", role="teacher"), now=now, name="Theirs")
    db.session.commit()
    page = client.get("/teach/").get_data(as_text=True)
    assert "Mine" in page and "Theirs" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolClass)) == 2


def test_item_analysis_sorts_by_facility_and_filters_to_flagged_items_without_js(
    client: FlaskClient,
    auth: AuthActions,
    make_user: Callable[..., Any],
    quiz_bank: Any,
    now: datetime,
) -> None:
    import re

    teacher = _login_teacher(auth)
    ann, bob = make_user("ann"), make_user("bob")
    school_class = make_class(teacher, ann, bob, now=now)
    take_quiz(ann, "bank-a-all", {"qa": "Right", "qb": "Right"}, now=now)
    take_quiz(bob, "bank-a-all", {"qa": "Right"}, now=now)
    db.session.commit()
    base = f"/teach/classes/{school_class.id}/quizzes/bank-a-all"

    def order(page: str) -> list[str]:
        return re.findall(r'<span class="muted small">(q[abc])</span>', page)

    assert order(client.get(base).get_data(as_text=True)) == ["qa", "qb", "qc"]
    by_facility = client.get(f"{base}?sort=facility").get_data(as_text=True)
    assert order(by_facility) == ["qc", "qb", "qa"]  # hardest first
    assert (
        '<strong aria-current="true">facility (hardest first)</strong>' in by_facility
    )
    flagged = int(re.search(r"Flagged items only \((\d+)\)", by_facility).group(1))
    only = client.get(f"{base}?sort=facility&flagged=1").get_data(as_text=True)
    assert 0 < len(order(only)) == flagged < 3
    assert "Show all 3 items" in only
    assert order(client.get(f"{base}?sort=bogus").get_data(as_text=True)) == [
        "qa",
        "qb",
        "qc",
    ]


@pytest.mark.parametrize(
    ("mastery", "band"),
    [
        (1.0, "good"),
        (0.7, "good"),
        (0.69, "warn"),
        (0.4, "warn"),
        (0.39, "bad"),
        (0, "bad"),
    ],
)
def test_mastery_bands_follow_the_named_thresholds(mastery: float, band: str) -> None:
    from quiz_app.classes import dashboard

    assert dashboard.mastery_band(mastery) == band
