"""A test set with review: after_close shows no right answer anywhere until it closes;
the teacher's gradebook shows who did it.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import (
    DATA_DIRS,
    assert_accessible,
    expect,
    log_in,
    screenshot,
    sign_up,
    unique,
)
from tests.browser.test_student_journey import take_quiz

pytestmark = pytest.mark.browser

EXAM = "final-exam"  # bundled: assigned-only, review after_close


def _close_assignments_now(site: str, class_name: str) -> None:
    """The close date passes (moved into the past, as the clock would)."""
    past = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S")
    with sqlite3.connect(DATA_DIRS[site] / "quiz.sqlite") as conn:
        conn.execute(
            "UPDATE assignments SET closes_at = ? WHERE class_id = "
            "(SELECT id FROM classes WHERE name = ?)",
            (past, class_name),
        )


def test_after_close_test_hides_answers_until_it_closes(site, teacher, new_page):
    desk = new_page()
    log_in(desk, site, teacher)
    desk.goto(f"{site}/teach/")
    class_name = f"Exam class {unique('')}"
    desk.get_by_label("Class name").fill(class_name)
    desk.get_by_role("button", name="Create class").click()
    desk.get_by_text(f"Class {class_name} created.").wait_for()
    code = desk.locator("code.join-code").inner_text().strip()
    class_url = desk.url
    desk.get_by_role("link", name=re.compile(r"^Assignments")).click()
    desk.get_by_label("Quiz or bank").select_option(f"quiz:{EXAM}")
    closes = datetime.now(UTC) + timedelta(days=7)
    desk.get_by_label("Closes (optional)").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_role("button", name="Assign").click()
    desk.get_by_text("Assigned.").wait_for()

    # A student outside the class does not even see the exam.
    outsider = new_page()
    sign_up(outsider, site, unique("outsider"))
    assert outsider.goto(f"{site}/quiz/{EXAM}").status == 404

    student = new_page(phone=True)
    sign_up(student, site, unique("exam"), code=code, name="Exam Taker")
    student.goto(f"{site}/quiz/{EXAM}")
    expect(student.get_by_text("answers after the quiz closes")).to_be_visible()
    take_quiz(student, site, EXAM, answered=1)
    results_url = student.url
    text = student.locator("main").inner_text()
    assert "You scored" in text
    assert "The right answer" not in text
    assert "will be shown here after the quiz closes" in text
    assert_accessible(student)
    screenshot(student, "results-after-close-phone")
    for path in ("/quiz/history", "/cards/", "/"):
        student.goto(site + path)
        assert "The right answer" not in student.locator("main").inner_text()

    # The teacher's gradebook has the score; a cell opens the attempt.
    desk.goto(class_url + "/gradebook")
    region = desk.get_by_role("region", name=re.compile("Each student's work"))
    expect(region).to_be_visible()
    row = desk.locator("table.gradebook tbody tr", has_text="Exam Taker")
    assert "Done" in row.inner_text()
    assert_accessible(desk)
    screenshot(desk, "teacher-gradebook")
    row.get_by_role("link").first.click()
    desk.get_by_role("heading", name=re.compile("Exam Taker")).wait_for()
    assert "Time taken" in desk.locator("main").inner_text()
    assert_accessible(desk)
    screenshot(desk, "teacher-class-attempt")
    # On a phone the grid scrolls inside its own region, names in view.
    pocket = new_page(phone=True)
    log_in(pocket, site, teacher)
    pocket.goto(class_url + "/gradebook")
    assert pocket.get_by_role(
        "region", name=re.compile("Each student's work")
    ).is_visible()
    assert_accessible(pocket)
    screenshot(pocket, "teacher-gradebook-phone")

    _close_assignments_now(site, class_name)
    student.goto(results_url)
    assert "The right answer" in student.locator("main").inner_text()
