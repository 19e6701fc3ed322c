"""A student's journey in a real browser: sign up, take a quiz, read the results,
review the missed cards and see the progress page, each page audited by axe-core.
"""

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

pytestmark = pytest.mark.browser

QUIZ = "reading-sources-practice"


def answer_current_question(page) -> None:
    """Give some answer to the question on the page, whatever its type."""
    question = page.locator("section.question").first
    radios = question.locator("input[type=radio], input[type=checkbox]")
    texts = question.locator("input[type=text], input[type=number], textarea")
    selects = question.locator("select")
    if radios.count():
        radios.first.check()
    elif texts.count():
        texts.first.fill("1953")
    elif question.locator("fieldset[data-placer]").count() and page.evaluate(
        "matchMedia('(scripting: enabled)').matches"
    ):  # ordering, matching with the widget
        question.locator("fieldset.placer-on").first.wait_for()
        # Every place filled: a half-placed question is graded with "(no answer)"
        # rows. A matching question may offer more answers than places.
        empty = question.locator(".placer-slot:not(.placer-filled)")
        for _ in range(empty.count()):
            question.locator(".placer-pool .placer-item").first.click()
            empty.first.click()
    elif selects.count():
        for i in range(selects.count()):
            selects.nth(i).select_option(index=1)


def submit_quiz(page, *, on_review=None) -> None:
    """Press "Submit quiz", then (on the review page) "Submit quiz for grading"; the
    page ends on the results. ``on_review(page)`` runs on the review page.
    """
    page.get_by_role("button", name="Submit quiz", exact=True).click()
    page.get_by_role("heading", name="Check your answers").wait_for()
    if on_review is not None:
        on_review(page)
    page.get_by_role("button", name="Submit quiz for grading").click()
    page.get_by_role("heading", name=re.compile("^Results")).wait_for()


def take_quiz(
    page, base: str, quiz_id: str, *, answered: int = 2, on_review=None
) -> None:
    """Start a quiz, answer a few questions, submit it; the page ends on the results."""
    page.goto(f"{base}/quiz/{quiz_id}")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_role("button", name="Submit quiz").wait_for()
    for _ in range(answered):
        answer_current_question(page)
        page.get_by_role("button", name="Save and next").click()
        page.get_by_role("button", name="Submit quiz").wait_for()
    submit_quiz(page, on_review=on_review)


def test_sign_up_take_a_quiz_review_missed_cards_see_progress(site, page):
    base = site
    sign_up(page, base, unique("stu"), name="Ji-woo Kim")
    # A brand-new account is welcomed, not welcomed back.
    expect(page.get_by_role("heading", name=re.compile("^Welcome, "))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home-student")

    page.get_by_role("link", name="Reading sources: practice").click()
    expect(
        page.get_by_role("heading", name="Reading sources: practice")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_text("Question 1 of 10 · 0 answered")).to_be_visible()
    answer_current_question(page)
    assert_accessible(page)
    screenshot(page, "quiz-question")
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_text("Question 2 of 10 · 1 answered")).to_be_visible()
    # The navigator says which questions are answered, to screen readers too.
    expect(
        page.get_by_role("button", name=re.compile(r"^1\s*, answered"))
    ).to_be_visible()

    def check_review(review) -> None:
        # Nothing is graded yet: the review page counts and lists what is missing.
        expect(review.get_by_text("1 of 10 answered; 9 unanswered")).to_be_visible()
        table = review.get_by_role("table")
        expect(table.get_by_text("Not answered")).to_have_count(9)
        expect(table.get_by_role("link", name="Question 10")).to_be_visible()
        assert_accessible(review)
        screenshot(review, "quiz-review")

    submit_quiz(page, on_review=check_review)
    expect(page.get_by_text(re.compile(r"You scored [\d.]+ of 10"))).to_be_visible()
    expect(page.locator(".results-list > li")).to_have_count(10)
    assert_accessible(page)
    screenshot(page, "quiz-results")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Flashcards"
    ).click()
    due = page.locator(".study-counts").inner_text()
    assert re.search(r"([1-9]\d*) due", due), due
    assert_accessible(page)
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("group", name="How well did you remember?").wait_for()
    assert_accessible(page)
    screenshot(page, "flashcard-answer")
    page.get_by_role("button", name=re.compile("^Good")).click()
    page.get_by_role("button", name="Undo last review").wait_for()

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Progress"
    ).click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "progress")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My quizzes"
    ).click()
    assert page.get_by_role("link", name="Review").count() >= 1
    assert_accessible(page)


def test_the_same_journey_on_a_phone(site, phone_page):
    page = phone_page
    sign_up(page, site, unique("pho"), name="Min-jun Lee")
    assert_accessible(page)

    def check_review(review) -> None:
        expect(review.get_by_text("1 of 10 answered; 9 unanswered")).to_be_visible()
        assert review.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(review)
        screenshot(review, "quiz-review-phone")

    take_quiz(page, site, QUIZ, answered=1, on_review=check_review)
    assert_accessible(page)
    screenshot(page, "quiz-results-phone")
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(site + "/cards/")
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("group", name="How well did you remember?").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    screenshot(page, "flashcard-phone", at="#study")
    page.goto(site + "/progress/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_a_timed_quiz_shows_a_quiet_countdown(site, page):
    sign_up(page, site, unique("tim"))
    page.goto(f"{site}/quiz/origins-test")
    page.get_by_role("button", name="Start the quiz").click()
    timer = page.get_by_role("timer")
    first = timer.inner_text()
    assert re.fullmatch(r"\d+:\d\d", first), first
    # Screen readers are not told every second; only once, in the last minute.
    assert timer.get_attribute("aria-live") == "off"
    page.wait_for_function(
        "t => document.querySelector('[role=timer]').textContent !== t", arg=first
    )
    assert_accessible(page)


def test_a_timed_quiz_says_so_when_the_time_runs_out(site, page):
    sign_up(page, site, unique("out"))
    page.clock.install()
    page.goto(f"{site}/quiz/origins-test")
    page.get_by_role("button", name="Start the quiz").click()
    answer_current_question(page)
    # The countdown reaches 0:00 and submits the page by itself.
    page.clock.run_for("46:00")
    page.get_by_role("heading", name=re.compile("^Results")).wait_for()
    expect(page.get_by_text("Time is up.")).to_be_visible()
    # The answer on the page when the time ran out was saved and graded.
    first = page.locator(".results-list > li").first
    expect(first.get_by_text("(no answer)")).to_have_count(0)


def test_the_countdown_submits_from_the_review_page_too(site, page):
    sign_up(page, site, unique("rev"))
    page.clock.install()
    page.goto(f"{site}/quiz/origins-test")
    page.get_by_role("button", name="Start the quiz").click()
    answer_current_question(page)
    page.get_by_role("button", name="Submit quiz", exact=True).click()
    page.get_by_role("heading", name="Check your answers").wait_for()
    expect(page.get_by_role("timer")).to_be_visible()
    page.clock.run_for("46:00")
    page.get_by_role("heading", name=re.compile("^Results")).wait_for()
    expect(page.get_by_text("Time is up.")).to_be_visible()
