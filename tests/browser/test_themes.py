"""The student's pages in the dark theme (the system setting), on a desktop and a phone:
axe-core checks colour contrast in each, so both palettes are held to WCAG AA.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    assert_accessible,
    expect,
    screenshot,
    sign_up,
    unique,
)
from tests.browser.test_student_journey import answer_current_question, submit_quiz

pytestmark = pytest.mark.browser

QUIZ = "origins-practice"


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_dark_theme_pages_are_accessible(site, new_page, phone):
    page = new_page(phone=phone, dark=True)
    suffix = "-phone-dark" if phone else "-dark"
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    sign_up(page, site, unique("dark"), name="Seo-yeon")
    assert_accessible(page)
    page.goto(f"{site}/quiz/{QUIZ}")
    assert_accessible(page)
    page.get_by_role("button", name="Start the quiz").click()
    answer_current_question(page)
    assert_accessible(page)
    screenshot(page, "quiz-question" + suffix)
    submit_quiz(page, on_review=assert_accessible)
    assert_accessible(page)
    page.goto(f"{site}/cards/")
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("group", name="How well did you remember?").wait_for()
    assert_accessible(page)
    screenshot(page, "flashcard" + suffix, at="#study" if phone else None)
    page.goto(f"{site}/progress/")
    assert_accessible(page)
    page.goto(f"{site}/account/login")  # logged in: the log-in page sends us home
    page.goto(f"{site}/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)
