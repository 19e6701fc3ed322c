"""A whole flashcard session with the keyboard alone, and the same cards without JS."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    assert_accessible,
    expect,
    screenshot,
    sign_up,
    unique,
)
from tests.browser.test_student_journey import take_quiz

pytestmark = pytest.mark.browser

QUIZ = "reading-sources-practice"
BANK = "reading-sources"


def focused(page) -> dict:
    """What has the keyboard focus: its tag, id and visible text."""
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return {tag: el.tagName, id: el.id, text: (el.innerText || '').trim()}; }"
    )


def tab_to(page, name: str, *, limit: int = 25) -> int:
    """Press Tab until the control whose text starts with ``name`` has focus."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused(page)["text"].startswith(name):
            return presses
    raise AssertionError(f"{name!r} is not reachable with Tab")


def no_new_cards(page, base: str) -> None:
    """Study only the cards the quiz missed: no new cards today (keyboard only)."""
    page.goto(base + "/cards/settings")
    page.get_by_label("New cards per day").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    page.keyboard.press("Enter")
    page.get_by_text("Your study settings are saved.").wait_for()


def test_a_whole_flashcard_session_with_the_keyboard_alone(site, page):
    sign_up(page, site, unique("kbd"))
    take_quiz(page, site, QUIZ, answered=0)
    no_new_cards(page, site)
    page.goto(f"{site}/cards/?bank={BANK}")

    # The skip link comes first and moves focus to the main content.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to content"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    study = page.locator("#study")
    assert study.get_attribute("aria-live") == "polite"
    due = int(re.search(r"(\d+) due", study.inner_text()).group(1))
    assert due >= 1

    # First card: ordinary Tab and Enter on the buttons.
    assert tab_to(page, "Show answer") <= 8
    page.keyboard.press("Enter")
    page.get_by_role("group", name="How well did you remember?").wait_for()
    assert focused(page)["text"].startswith("Good")  # focus follows the new content
    assert_accessible(page)
    screenshot(page, "flashcard-keyboard")
    page.keyboard.press("Tab")
    assert focused(page)["text"].startswith("Easy")
    page.keyboard.press("Enter")

    # Every other card: the shortcuts (Space shows the answer, 4 is Easy).
    for _ in range(due + 5):
        done = page.get_by_role("heading", name="All done for now")
        reveal = page.get_by_role("button", name="Show answer")
        done.or_(reveal).first.wait_for()
        if done.is_visible():
            break
        assert focused(page)["text"] == "Show answer"
        page.keyboard.press("Space")
        page.get_by_role("group", name="How well did you remember?").wait_for()
        page.keyboard.press("4")
    expect(page.get_by_role("heading", name="All done for now")).to_be_visible()
    assert_accessible(page)

    # U undoes the last review: a card comes back.
    page.keyboard.press("u")
    page.get_by_role("button", name="Show answer").wait_for()


def test_flashcards_work_without_javascript(site, new_page):
    page = new_page(js=False)
    sign_up(page, site, unique("nojs"))
    take_quiz(page, site, QUIZ, answered=0)
    page.goto(f"{site}/cards/?bank={BANK}")
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name=re.compile("^Good")).click()
    page.get_by_role("button", name="Undo last review").wait_for()
    # (No axe run here: axe-core is JavaScript, and this page has none.)
