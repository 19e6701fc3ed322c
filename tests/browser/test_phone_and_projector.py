"""Phones, long quizzes and the projector in a real browser: every page the journeys
visit fits a 360 px screen (as a student and as a teacher), answers save themselves,
an item picked twice is pointed out, results have a question bar, and the class page
reads cleanly at 1920 x 1080.
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
from tests.browser.test_student_journey import QUIZ, take_quiz

pytestmark = pytest.mark.browser

#: the narrowest phone we support
NARROW = {"width": 360, "height": 740}


def _narrow_page(browser):
    context = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _fits(page, path: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width} px wide at 360 px"


@pytest.fixture(scope="module")
def a_class(live_server, teacher, browser):
    """A class with the practice quiz assigned, a student who took it: the paths."""
    site = live_server
    context = browser.new_context()
    desk = context.new_page()
    log_in(desk, site, teacher)
    desk.goto(site + "/teach/")
    desk.get_by_label("Class name").fill(f"12C History {unique('')}")
    desk.get_by_role("button", name="Create class").click()
    code = desk.locator("code.join-code").inner_text().strip()
    class_url = desk.url.removeprefix(site)
    desk.get_by_role("link", name=re.compile(r"^Assignments")).click()
    desk.get_by_label("Quiz or bank").select_option(f"quiz:{QUIZ}")
    desk.get_by_role("button", name="Assign").click()
    desk.get_by_text("Assigned.").wait_for()
    context.close()
    context = browser.new_context()
    desk = context.new_page()
    student = unique("wide")
    sign_up(desk, site, student, code=code, name="A student with a long name")
    take_quiz(desk, site, QUIZ, answered=3)
    results = desk.url.removeprefix(site)
    context.close()
    return {"class": class_url, "student": student, "results": results}


def test_every_journey_page_fits_a_360_px_phone(
    site, teacher, browser, a_class, placing_quiz
):
    student_pages = [
        "/",
        "/cards/",
        "/cards/settings",
        "/progress/",
        "/quiz/history",
        "/classes/join",
        f"/quiz/{QUIZ}",
        a_class["results"],
        a_class["results"] + "?missed=1",
        "/account/",
    ]
    teacher_pages = [
        "/teach/",
        a_class["class"],
        a_class["class"] + "/assignments",
        a_class["class"] + "/banks",
        a_class["class"] + f"/quizzes/{QUIZ}",
        "/teach/banks",
        "/teach/reports",
        "/teach/teachers/new",
    ]
    for who, pages in ((a_class["student"], student_pages), (teacher, teacher_pages)):
        context, page = _narrow_page(browser)
        try:
            log_in(page, site, who)
            for path in pages:
                response = page.goto(site + path)
                if response.status == 404 and path == "/account/":
                    continue  # no account page in this version
                assert response.ok, (path, response.status)
                _fits(page, path)
            # the quiz pages themselves: a question, the review page
            if who == a_class["student"]:
                page.goto(f"{site}/quiz/{QUIZ}")
                page.get_by_role("button", name="Start the quiz").click()
                page.get_by_role("button", name="Submit quiz").wait_for()
                _fits(page, "a question")
                page.get_by_role("button", name="Submit quiz", exact=True).click()
                page.get_by_role("heading", name="Check your answers").wait_for()
                _fits(page, "the review page")
                # ordering and matching (the quiz.js widget), with long items placed
                page.goto(f"{site}/quiz/{placing_quiz}")
                page.get_by_role("button", name="Start the quiz").click()
                for number, kind in ((1, "ordering"), (2, "matching")):
                    page.locator(f"fieldset[data-placer={kind}]").wait_for()
                    for slot in range(page.locator(".placer-slot").count()):
                        page.locator(".placer-item").last.tap()
                        page.locator(".placer-slot").nth(slot).tap()
                    _fits(page, f"question {number} ({kind})")
                    if number == 1:
                        page.get_by_role("button", name="Save and next").click()
        finally:
            context.close()


def test_wide_tables_scroll_in_a_labelled_region_and_today_shows_on_the_calendar(
    site, teacher, new_page, a_class
):
    page = new_page(phone=True)
    log_in(page, site, teacher)
    page.goto(site + a_class["class"])
    region = page.get_by_role("region", name=re.compile("^Students"))
    assert region.get_attribute("tabindex") == "0"
    # the table is wider than the phone, its region is not
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    link = page.locator("a", has_text="/classes/join/").first
    assert link.evaluate("el => el.getBoundingClientRect().right") <= 360
    assert_accessible(page)
    screenshot(page, "teacher-class-phone")

    student = new_page(phone=True)
    log_in(student, site, a_class["student"])
    student.goto(site + "/progress/")
    today = student.locator("#heatmap .hm-today")
    box = today.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360


def _answer(page, *, first: bool) -> None:
    """Change the answer to the question on the page, whatever its type."""
    question = page.locator("section.question").first
    radios = question.locator("input[type=radio], input[type=checkbox]")
    texts = question.locator("input[type=text]")
    if radios.count():
        (radios.first if first else radios.last).check()
    elif texts.count():
        texts.first.fill("1953" if first else "1951")
    elif question.locator(".placer-item").count():  # ordering, matching with JS
        question.locator(".placer-item").first.click()
        question.locator(".placer-slot").nth(0 if first else 1).click()
    else:
        question.locator("select").first.select_option(index=1 if first else 2)


def test_answers_save_as_they_change_and_leaving_unsaved_input_warns(site, new_page):
    page = new_page()
    sign_up(page, site, unique("auto"))
    page.goto(f"{site}/quiz/{QUIZ}")
    page.get_by_role("button", name="Start the quiz").click()
    status = page.locator("#save-status")
    _answer(page, first=True)
    page.wait_for_function(
        "() => document.querySelector('#save-status').textContent === 'Saved'"
    )
    assert status.get_attribute("role") == "status"
    # Saved on the server: a reload (no button pressed) shows it answered.
    page.reload()
    expect(page.get_by_text("1 answered").first).to_be_visible()
    # A failing save says so clearly and keeps the warning before leaving.
    page.route("**/autosave", lambda route: route.abort())
    _answer(page, first=False)
    page.wait_for_function(
        "() => document.querySelector('#save-status').dataset.state === 'error'"
    )
    assert status.inner_text().startswith("Not saved:")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    from playwright.sync_api import Error

    with pytest.raises(Error, match="ERR_ABORTED"):  # staying was chosen
        page.goto(site + "/", wait_until="commit")
    assert dialogs == ["beforeunload"]
    assert "/quiz/attempt/" in page.url


def test_a_results_page_has_a_question_bar_and_a_missed_only_filter(site, new_page):
    page = new_page()
    sign_up(page, site, unique("bar"))
    take_quiz(page, site, QUIZ, answered=2)
    bar = page.get_by_role("navigation", name="Go to a question")
    links = bar.locator("a.jump")
    expect(links).to_have_count(10)
    # the outcome is in words for screen readers, not in colour alone
    assert re.search(r", (right|partly right|wrong)$", links.nth(9).text_content())
    links.nth(9).click()
    assert page.url.endswith("#result-10")
    missed_only = page.get_by_role(
        "link", name=re.compile(r"^Show only the \d+ questions? you missed")
    )
    missed_only.click()
    expect(page).to_have_url(re.compile(r"missed=1"))
    shown = page.locator(".results-list > li")
    missed = page.locator(
        ".results-list > li.result-wrong, .results-list > li.result-partial"
    )
    # eight questions were left unanswered: at least those are shown, and only misses
    assert shown.count() >= 8
    expect(shown).to_have_count(missed.count())
    assert_accessible(page)
    screenshot(page, "quiz-results-missed")


def test_the_class_page_on_a_projector(site, teacher, browser, a_class):
    """1920 x 1080: the skip link is out of sight, percentages stay by their bars."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        log_in(page, site, teacher)
        page.goto(site + a_class["class"])
        skip = page.get_by_role("link", name="Skip to content")
        box = skip.bounding_box()
        assert box["y"] + box["height"] <= 0, box  # not even its edge shows
        bars = page.locator(".hbar")
        assert bars.count() >= 1
        for i in range(bars.count()):
            bar = bars.nth(i)
            row = bar.bounding_box()
            for part in (".hbar-label", "svg", ".hbar-value"):
                inner = bar.locator(part).bounding_box()
                assert inner["x"] >= row["x"] - 0.5, part
                assert inner["x"] + inner["width"] <= row["x"] + row["width"] + 0.5
            # a label is never cut: it wraps inside its cell
            label = bar.locator(".hbar-label")
            assert label.evaluate("el => el.scrollWidth <= el.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1920
        if __import__("os").environ.get("QUIZ_SCREENSHOTS"):
            from tests.browser.conftest import SCREENSHOTS

            page.screenshot(path=str(SCREENSHOTS / "teacher-class-projector.png"))
        skip.focus()
        assert skip.bounding_box()["y"] >= 0  # and it shows when focused
    finally:
        context.close()
