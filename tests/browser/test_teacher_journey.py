"""A teacher creates a class, students join it (by sign-up code and by join link),
one takes a quiz, and the teacher sees the result on the class dashboard.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    assert_accessible,
    expect,
    log_in,
    screenshot,
    sign_up,
    unique,
)
from tests.browser.test_student_journey import take_quiz

pytestmark = pytest.mark.browser

QUIZ = "reading-sources-practice"


def test_teacher_creates_a_class_students_join_teacher_sees_results(
    site, teacher, new_page
):
    desk = new_page()
    log_in(desk, site, teacher)
    main_nav = desk.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Teach").click()
    expect(desk.get_by_role("heading", name="Your classes")).to_be_visible()
    assert_accessible(desk)
    class_name = f"10B History {unique('')}"
    desk.get_by_label("Class name").fill(class_name)
    desk.get_by_role("button", name="Create class").click()
    desk.get_by_text(f"Class {class_name} created.").wait_for()
    expect(desk.get_by_role("heading", name=class_name, level=1)).to_be_visible()
    code = desk.locator("code.join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{6,12}", code), code
    assert_accessible(desk)
    class_url = desk.url

    desk.get_by_role("link", name=re.compile(r"^Assignments")).click()
    desk.get_by_label("Quiz or bank").select_option(f"quiz:{QUIZ}")
    desk.get_by_role("button", name="Assign").click()
    desk.get_by_text("Assigned.").wait_for()
    assert_accessible(desk)
    desk.goto(class_url)
    desk.get_by_role("link", name="Banks students see").click()
    assert desk.get_by_label("Final exam").is_checked()  # a bundled bank: shown
    assert_accessible(desk)
    desk.get_by_role("button", name="Save").click()
    desk.get_by_text("Saved the banks").wait_for()
    desk.goto(f"{site}/teach/banks/final-exam")
    expect(desk.get_by_text("read-only")).to_be_visible()
    assert_accessible(desk)
    teacher_nav = desk.get_by_role("navigation", name="Teacher")
    for section in ("Banks", "Reports", "Teachers"):
        teacher_nav.get_by_role("link", name=section).click()
        assert_accessible(desk)
    desk.goto(class_url)

    # One student signs up with the code, on a phone ...
    phone = new_page(phone=True)
    alice = unique("alice")
    sign_up(phone, site, alice, code=code, name="Alice Park")
    take_quiz(phone, site, QUIZ, answered=2)
    response = phone.goto(site + "/teach/")  # not for students
    assert response.status == 403
    assert_accessible(phone)
    # ... another already has an account and follows the join link.
    other = new_page(dark=True)
    sign_up(other, site, unique("bora"))
    other.goto(f"{site}/classes/join/{code}")
    expect(other.get_by_text(class_name).first).to_be_visible()
    assert_accessible(other)
    other.get_by_role("button", name="Join the class").click()
    other.get_by_text(f"You are in the class {class_name}.").wait_for()

    desk.reload()
    expect(desk.get_by_role("heading", name="Students (2)")).to_be_visible()
    row = desk.locator("table.dashboard tbody tr", has_text="Alice Park")
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "1", cells  # quizzes taken
    assert re.fullmatch(r"\d+%", cells[1]), cells  # best score
    assert_accessible(desk)
    screenshot(desk, "teacher-class")

    desk.get_by_role("link", name="Reading sources: practice").click()
    assert_accessible(desk)
    screenshot(desk, "teacher-item-analysis")


def test_the_class_dashboard_reads_from_the_back_of_the_room(site, teacher, browser):
    """On a projector-sized screen the text grows; nothing scrolls sideways."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        log_in(page, site, teacher)
        page.goto(site + "/teach/")
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 20
        assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    finally:
        context.close()


def test_a_quiz_set_to_open_later_cannot_be_started_yet(site, teacher, new_page):
    desk = new_page()
    log_in(desk, site, teacher)
    desk.goto(site + "/teach/")
    class_name = f"11A History {unique('')}"
    desk.get_by_label("Class name").fill(class_name)
    desk.get_by_role("button", name="Create class").click()
    code = desk.locator("code.join-code").inner_text().strip()
    desk.get_by_role("link", name=re.compile(r"^Assignments")).click()
    desk.get_by_label("Quiz or bank").select_option("quiz:origins-test")
    desk.get_by_label("Opens (optional)").fill("2035-12-03T08:00")
    desk.get_by_role("button", name="Assign").click()
    desk.get_by_text("Assigned.").wait_for()

    for phone in (False, True):
        page = new_page(phone=phone)
        sign_up(page, site, unique("early"), code=code)
        catalogue = page.locator(".quiz-list li", has_text="Test: how the talks")
        expect(catalogue.get_by_text("Opens Mon 3 Dec 2035, 08:00")).to_be_visible()
        page.goto(f"{site}/quiz/origins-test")
        reason = "This quiz opens on Mon 3 Dec 2035, 08:00 (UTC time)."
        expect(page.get_by_text(reason)).to_be_visible()
        expect(page.get_by_role("button", name="Start the quiz")).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= (
            360 if phone else 1280
        )
        assert_accessible(page)
        screenshot(page, "quiz-not-open-phone" if phone else "quiz-not-open")
