"""The gradebook on the web: the grid, a student's attempt as the teacher sees it, mark
overrides the student reads, the CSV, and assignments with their own settings.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from quiz_app.classes import services as class_services
from quiz_app.classes.models import Assignment
from quiz_app.extensions import db
from tests.factories import make_schema_question
from tests.teacher.helpers import make_class, take_quiz


@pytest.fixture
def world(app, make_bank, make_user, now):
    make_bank(
        "bank-a",
        questions=(make_schema_question("qa"), make_schema_question("qb")),
    )
    teacher = make_user("teacher", role="teacher")
    teacher.timezone = "Asia/Seoul"
    kim = make_user("kim")
    kim.display_name = "Kim Min-jun"
    lee = make_user("lee")
    outsider = make_user("outsider")
    school_class = make_class(teacher, kim, lee, now=now)
    class_services.add_assignment(
        school_class,
        quiz_id="bank-a-all",
        # the pages read the real clock: still open when the test runs
        closes_at=datetime.now(UTC) + timedelta(days=30),
        now=now,
    )
    attempt = take_quiz(kim, "bank-a-all", {"qa": "Right", "qb": "Wrong 1"}, now=now)
    stranger = take_quiz(outsider, "bank-a-all", {"qa": "Right"}, now=now, seed=5)
    db.session.commit()
    return {
        "class_id": school_class.id,
        "attempt_id": attempt.id,
        "stranger_attempt_id": stranger.id,
    }


def test_gradebook_is_an_accessible_grid(client, auth, world):
    auth.login(role="teacher")
    page = client.get(f"/teach/classes/{world['class_id']}/gradebook")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'role="region"' in html and 'aria-labelledby="gradebook-caption"' in html
    assert '<h2 id="gradebook-caption"' in html and "<caption" in html
    assert '<th scope="col">Student</th>' in html
    assert re.search(r'<th scope="row">Kim Min-jun', html)
    assert "Not started" in html  # lee
    assert "50%" in html  # kim's best
    assert f"/attempts/{world['attempt_id']}" in html


def test_a_cell_opens_the_attempt_with_answers_marks_and_time(client, auth, world):
    auth.login(role="teacher")
    url = f"/teach/classes/{world['class_id']}/attempts/{world['attempt_id']}"
    html = client.get(url).get_data(as_text=True)
    assert "Kim Min-jun" in html
    assert "Time taken" in html
    assert "Mark 1" in html and "Mark 0" in html
    assert "Wrong 1" in html  # the student's answer
    assert "Asia/Seoul" in html


def test_an_attempt_of_a_student_outside_the_class_is_404(client, auth, world):
    auth.login(role="teacher")
    url = f"/teach/classes/{world['class_id']}/attempts/{world['stranger_attempt_id']}"
    assert client.get(url).status_code == 404


def test_override_mark_with_a_reason_the_student_reads(client, auth, world):
    auth.login(role="teacher")
    url = f"/teach/classes/{world['class_id']}/attempts/{world['attempt_id']}/marks"
    response = client.post(
        url, data={"question_id": "qb", "mark": "1", "reason": "A fair reading"}
    )
    assert response.status_code == 302
    refused = client.post(url, data={"question_id": "qb", "mark": "1", "reason": ""})
    assert refused.status_code == 302  # back with a message; nothing changed
    auth.logout()
    auth.login(username="kim")
    results = client.get(f"/quiz/attempt/{world['attempt_id']}/results").get_data(
        as_text=True
    )
    assert "2 of 2" in results
    assert "Your teacher changed this mark to 1" in results
    assert "A fair reading" in results


def test_gradebook_csv_has_one_row_per_student_in_the_teachers_zone(
    client, auth, world
):
    auth.login(role="teacher")
    response = client.get(f"/teach/classes/{world['class_id']}/gradebook.csv")
    assert response.status_code == 200
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    )
    header, body = rows[0], rows[1:]
    assert header[:2] == ["username", "display_name"]
    assert "All questions: status" in header
    assert [r[0] for r in body] == ["kim", "lee"]
    kim = dict(zip(header, body[0], strict=True))
    assert kim["All questions: best %"] == "50.0"
    assert kim["All questions: status"] == "Done"
    # 2026-03-02 09:30 UTC is 18:30 in Seoul, to the minute
    assert kim["All questions: last submitted (Asia/Seoul)"] == "2026-03-02 18:30"


def test_assignment_with_its_own_settings(client, auth, world):
    auth.login(role="teacher")
    url = f"/teach/classes/{world['class_id']}/assignments"
    page = client.get(url).get_data(as_text=True)
    assert "Time limit" in page and "After submitting" in page
    response = client.post(
        url,
        data={
            "target": "quiz:bank-a-all",
            "time_limit_minutes": "25",
            "max_attempts": "2",
            "pass_mark": "75",
            "review": "score_only",
        },
    )
    assert response.status_code == 302
    assignment = db.session.scalars(
        db.select(Assignment).order_by(Assignment.id.desc())
    ).first()
    assert (
        assignment.time_limit_minutes,
        assignment.max_attempts,
        assignment.pass_mark,
        assignment.review,
    ) == (25, 2, 75, "score_only")
