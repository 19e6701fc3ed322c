"""Ordering and matching in a real browser (static/js/quiz.js): by keyboard alone, by
tapping on a phone and by dragging with a mouse, each step announced; the hidden
dropdowns stay the form's fields, so the answers autosave and grade in full; an item
picked twice is pointed out; long items wrap at 360 px. Without JavaScript the
dropdowns are the whole question.
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
from tests.browser.test_student_journey import submit_quiz

pytestmark = pytest.mark.browser

#: the bank's order (tests/browser/banks/placing.yaml): the right answer
ORDER = [
    "Malik's UN radio talk calls for cease-fire talks between the two warring commands",
    "Ridgway broadcasts an offer of talks to the Communist commanders",
    "A military demarcation line and a demilitarized zone are agreed in principle,"
    " to be fixed when the armistice is signed",
    "The Armistice Agreement is signed at Panmunjom",
]
PAIRS = {
    "Nam Il": "Chief delegate of the KPA/CPV side from 1951 to 1953",
    "C. Turner Joy": "The first senior UNC delegate, until May 1952",
    "William K. Harrison Jr.": "Joy's successor as senior UNC delegate, who signed"
    " the Armistice",
}


def _start(page, site: str, quiz: str) -> None:
    sign_up(page, site, unique("place"))
    page.goto(f"{site}/quiz/{quiz}")
    page.get_by_role("button", name="Start the quiz").click()
    # The widget comes with the page; it is live once quiz.js marks it.
    page.locator("fieldset.placer-on").wait_for()


def _wait_live(page, text: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('.placer-live').textContent === t", arg=text
    )


def _focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {cls: e.className, value: e.getAttribute('data-value'),"
        " slot: e.getAttribute('data-slot')}; }"
    )


def _press_until(page, key: str, done, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press(key)
        if done(_focused(page)):
            return
    raise AssertionError(f"{key} never reached the element")


def _pool(page) -> list[str]:
    return page.locator(".placer-item").evaluate_all(
        "els => els.map(e => e.dataset.value)"
    )


def _selected(page) -> list[str]:
    return page.locator("fieldset[data-placer] select").evaluate_all(
        "els => els.map(e => e.value)"
    )


def _keyboard_place(page, value: str, slot: int) -> None:
    """From anywhere before the pool: Tab to the items, arrows to ``value``, Enter
    picks it up (focus goes to the first empty place), arrows to ``slot``, Enter."""
    _press_until(page, "Tab", lambda f: "placer-item" in f["cls"])
    items = _pool(page)
    first = _focused(page)["value"]
    for _ in range(items.index(value) - items.index(first)):
        page.keyboard.press("ArrowDown")
    assert _focused(page)["value"] == value
    page.keyboard.press("Enter")
    here = int(_focused(page)["slot"])
    for _ in range(slot - here):
        page.keyboard.press("ArrowDown")
    assert int(_focused(page)["slot"]) == slot
    page.keyboard.press("Enter")


def _back_to_top(page) -> None:
    page.locator("legend").first.click()  # focus starts from the question again


def test_ordering_and_matching_by_keyboard_alone_get_full_marks(
    site, new_page, placing_quiz
):
    page = new_page()
    _start(page, site, placing_quiz)
    # The dropdowns are still the form's fields, hidden; the places are buttons.
    expect(page.locator("select[name^=q1_]")).to_have_count(4)
    expect(page.locator("select[name^=q1_]").first).to_be_hidden()
    expect(page.locator(".placer-slot")).to_have_count(4)
    assert page.locator(".placer-live").get_attribute("aria-live") == "polite"
    # Last item first, so that the arrows have to move between places.
    for position in (4, 1, 3, 2):
        _back_to_top(page)
        _keyboard_place(page, ORDER[position - 1], position - 1)
        _wait_live(page, f"Item ‘{ORDER[position - 1]}’ placed in position {position}.")
    assert _selected(page) == ORDER
    assert _pool(page) == []
    expect(page.get_by_text("Every item is placed.")).to_be_visible()
    # The slot's name says where and what.
    assert page.locator(".placer-slot").nth(1).get_attribute("aria-label") == (
        f"Position 2: {ORDER[1]}"
    )
    # Escape puts a picked-up item back where it was.
    page.locator(".placer-slot").nth(0).focus()
    page.keyboard.press("Enter")
    _wait_live(
        page, f"Picked up ‘{ORDER[0]}’. Choose a place with the arrow keys or a tap."
    )
    page.keyboard.press("Escape")
    _wait_live(page, f"‘{ORDER[0]}’ put down where it was.")
    assert _selected(page) == ORDER
    # The autosave saw the change events: saved on the server.
    page.wait_for_function(
        "() => document.querySelector('#save-status').textContent === 'Saved'"
    )
    page.goto(page.url.split("?")[0] + "?q=1")  # (the attempt opens unanswered ones)
    page.locator("fieldset.placer-on").wait_for()
    assert _selected(page) == ORDER
    assert page.locator(".placer-slot").nth(3).inner_text() == ORDER[3]
    assert_accessible(page)

    page.get_by_role("button", name="Save and next").click()
    page.locator("fieldset.placer-on[data-placer=matching]").wait_for()
    lefts = list(PAIRS)
    for index in (2, 0, 1):
        _back_to_top(page)
        _keyboard_place(page, PAIRS[lefts[index]], index)
        _wait_live(page, f"Item ‘{PAIRS[lefts[index]]}’ matched with ‘{lefts[index]}’.")
    assert _selected(page) == [PAIRS[left] for left in lefts]
    # The distractor is left over.
    assert _pool(page) == ["Neutral UN mediator who chaired the sessions"]
    assert_accessible(page)
    submit_quiz(page)
    expect(page.get_by_text("You scored 2 of 2")).to_be_visible()


def test_ordering_and_matching_by_tapping_on_a_phone(site, new_page, placing_quiz):
    page = new_page(phone=True)
    _start(page, site, placing_quiz)
    # Long items wrap inside their buttons; nothing is cut or wider than the phone.
    longest = page.locator(".placer-item", has_text="military demarcation line")
    assert longest.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert longest.bounding_box()["height"] > 60  # more than one line
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for position, value in enumerate(ORDER):
        page.locator(".placer-item", has_text=value).tap()
        assert (
            page.locator(".placer-item", has_text=value).get_attribute("aria-pressed")
            == "true"
        )
        page.locator(".placer-slot").nth(position).tap()
        _wait_live(page, f"Item ‘{value}’ placed in position {position + 1}.")
    slot = page.locator(".placer-slot").nth(2)
    assert slot.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # A tap on a placed item then on another place swaps the two.
    page.locator(".placer-slot").nth(0).tap()
    page.locator(".placer-slot").nth(1).tap()
    assert _selected(page)[:2] == [ORDER[1], ORDER[0]]
    page.locator(".placer-slot").nth(1).tap()
    page.locator(".placer-slot").nth(0).tap()
    assert _selected(page) == ORDER
    assert_accessible(page)
    screenshot(page, "quiz-ordering-phone")

    page.get_by_role("button", name="Save and next").click()
    page.locator("fieldset.placer-on[data-placer=matching]").wait_for()
    for index, (left, right) in enumerate(PAIRS.items()):
        page.locator(".placer-item", has_text=right).tap()
        page.locator(".placer-slot").nth(index).tap()
        _wait_live(page, f"Item ‘{right}’ matched with ‘{left}’.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    screenshot(page, "quiz-matching-phone")
    submit_quiz(page)
    expect(page.get_by_text("You scored 2 of 2")).to_be_visible()


def test_ordering_by_dragging_with_a_mouse(site, new_page, placing_quiz):
    page = new_page()
    _start(page, site, placing_quiz)

    def drag(source, target) -> None:
        start = source.bounding_box()
        page.mouse.move(start["x"] + 20, start["y"] + 10)
        page.mouse.down()
        page.mouse.move(start["x"] + 40, start["y"] + 30, steps=3)
        assert page.locator(".placer-ghost").count() == 1  # dragging now
        target.scroll_into_view_if_needed()  # (a wheel turn while dragging)
        end = target.bounding_box()
        page.mouse.move(end["x"] + 30, end["y"] + 12, steps=8)
        page.mouse.up()

    for position, value in enumerate(ORDER):
        drag(
            page.locator(".placer-item", has_text=value),
            page.locator(".placer-slot").nth(position),
        )
        _wait_live(page, f"Item ‘{value}’ placed in position {position + 1}.")
    assert _selected(page) == ORDER
    # Dragging a placed item back to the pool takes it out.
    drag(page.locator(".placer-slot").nth(3), page.locator(".placer-pool"))
    assert _selected(page)[3] == "" and _pool(page) == [ORDER[3]]
    expect(page.locator(".placer-ghost")).to_have_count(0)
    # Picked up (by a click): the free place says so.
    page.locator(".placer-item", has_text=ORDER[3]).click()
    assert page.locator(".placer-slot").nth(3).inner_text() == "Put it here"
    screenshot(page, "quiz-ordering", at="fieldset[data-placer]")


def test_an_item_picked_twice_is_pointed_out_with_and_without_javascript(
    site, new_page, placing_quiz
):
    nojs = new_page(js=False)
    username = unique("twice")
    sign_up(nojs, site, username)
    nojs.goto(f"{site}/quiz/{placing_quiz}")
    nojs.get_by_role("button", name="Start the quiz").click()
    # Without JavaScript: four dropdowns; the same item in two of them.
    nojs.get_by_label("Position 1").select_option(ORDER[0])
    nojs.get_by_label("Position 2").select_option(ORDER[0])
    nojs.get_by_label("Position 3").select_option(ORDER[2])
    nojs.get_by_role("button", name="Save and next").click()
    # It stays on the question, saved, with the warning (the numbers still move on).
    expect(nojs).to_have_url(re.compile(r"q=1"))
    expect(nojs.get_by_text("Your answer is saved as it is.")).to_be_visible()
    warning = (
        f"“{ORDER[0]}” is picked more than once. Each item belongs in one place only."
    )
    assert nojs.locator(".pick-warning").inner_text() == warning
    assert nojs.get_by_label("Position 1").get_attribute("aria-invalid") == "true"
    assert nojs.get_by_label("Position 3").get_attribute("aria-invalid") is None

    # With JavaScript the saved answer shows the same at once, in both places (and in
    # the dark theme, for the contrast of the marks).
    page = new_page(dark=True)
    page.goto(f"{site}/account/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.goto(nojs.url)
    page.locator("fieldset.placer-on").wait_for()
    assert page.locator(".pick-warning").inner_text() == warning
    twice = page.locator(".placer-slot.placer-twice")
    expect(twice).to_have_count(2)
    assert "(picked twice)" in (twice.first.get_attribute("aria-label") or "")
    expect(page.locator(".placer-slot-note", has_text="Picked twice")).to_have_count(2)
    assert_accessible(page)
    # Moving another item onto one of them clears it, before anything is saved.
    page.locator(".placer-item", has_text=ORDER[1]).click()
    page.locator(".placer-slot").nth(1).click()
    assert page.locator(".pick-warning").inner_text() == ""
    expect(page.locator(".placer-slot.placer-twice")).to_have_count(0)
    assert _selected(page)[:3] == [ORDER[0], ORDER[1], ORDER[2]]
    _wait_live(page, f"Item ‘{ORDER[1]}’ placed in position 2.")


#: sums the page's layout shifts not caused by input, as Lighthouse's CLS counts them
_CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) { window.__cls += entry.value; }
  }
}).observe({type: "layout-shift", buffered: true});
"""


#: where the question's labels and its end are on the page
_GEOMETRY = """() => {
  const fieldset = document.querySelector("fieldset[data-placer]");
  const labels = [...fieldset.querySelectorAll("label")];
  const boxes = labels.map(l => l.getBoundingClientRect());
  boxes.push(fieldset.getBoundingClientRect());
  return boxes.map(b => [b.top, b.bottom]).flat();
}"""
_FRAMES = (
    "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
)


def _late_script_shift(page, url: str) -> tuple[float, float]:
    """Open ``url`` with quiz.js held back until after the first paint (as on a slow
    phone), then run it: the layout shift the browser reports (not every headless
    frame reports one) and how far, in pixels, the labels and the question's end moved.
    """
    page.route(
        lambda u: "/js/quiz.js?v=" in u,
        lambda route: route.fulfill(content_type="text/javascript", body=""),
    )
    page.add_init_script(_CLS_OBSERVER)
    page.goto(url)
    page.evaluate(_FRAMES)
    page.wait_for_timeout(300)  # painted, without the widget
    expect(page.locator(".placer-on")).to_have_count(0)
    before = page.evaluate(_GEOMETRY)
    page.add_script_tag(url=url.split("/quiz/")[0] + "/static/js/quiz.js?late=1")
    page.locator(".placer-on").wait_for()
    page.evaluate(_FRAMES)
    page.wait_for_timeout(300)
    after = page.evaluate(_GEOMETRY)
    moved = max(abs(a - b) for a, b in zip(after, before, strict=True))
    return float(page.evaluate("window.__cls")), moved


def test_the_widget_does_not_shift_the_page_when_quiz_js_runs_late(
    site, new_page, placing_quiz
):
    start = new_page(phone=True)
    _start(start, site, placing_quiz)
    attempt = start.url.split("?")[0]
    shifts = {}
    for number in (1, 2):  # ordering, matching
        page = new_page(phone=True)
        page.context.add_cookies(start.context.cookies())
        shifts[number] = _late_script_shift(page, f"{attempt}?q={number}")
    expect(page.locator(".hint-js")).to_be_visible()
    expect(page.locator(".hint-nojs")).to_be_hidden()
    print(f"(CLS, pixels moved) when quiz.js runs after the first paint: {shifts}")
    assert all(cls < 0.02 and moved < 1 for cls, moved in shifts.values()), shifts


def test_the_dropdowns_still_answer_when_quiz_js_fails_to_load(
    site, new_page, placing_quiz
):
    page = new_page(phone=True)
    _start(page, site, placing_quiz)
    page.route(lambda u: "/js/quiz.js" in u, lambda route: route.abort())
    page.goto(page.url.split("?")[0] + "?q=1")
    expect(page.locator(".placer-on")).to_have_count(0)
    # The widget's space is kept but it shows nothing; the dropdowns are on top.
    expect(page.locator(".placer-pool")).to_be_hidden()
    expect(page.locator(".placer-slot").first).to_be_hidden()
    expect(page.locator(".hint-nojs")).to_be_visible()
    expect(page.locator(".hint-js")).to_be_hidden()
    for position, value in enumerate(ORDER, start=1):
        select = page.get_by_label(f"Position {position}")
        expect(select).to_be_visible()
        select.select_option(value)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Save and next").click()
    page.goto(page.url.split("?")[0] + "?q=1")
    assert _selected(page) == ORDER
