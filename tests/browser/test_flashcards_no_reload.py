"""The review session in a real browser: keyboard shortcuts and no page reload."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_up, unique

pytestmark = pytest.mark.browser


def test_keyboard_review_swaps_cards_without_reloading(page, live_server, teacher):
    sign_up(page, live_server, unique("cards"))
    page.goto(live_server + "/cards/")
    card = page.locator("#study article.flashcard")
    first = card.get_attribute("data-card-id")
    assert first
    page.evaluate("window.__stillHere = true")  # gone if the page reloads
    assert_accessible(page)

    page.locator("main").focus()
    page.keyboard.press("Space")
    page.locator("#study .card-back").wait_for()
    assert page.evaluate("window.__stillHere") is True
    labels = page.locator("#study button[name=rating]").all_inner_texts()
    assert [re.split(r"\s+", label.strip())[0] for label in labels] == [
        "Again",
        "Hard",
        "Good",
        "Easy",
    ]
    assert_accessible(page)

    page.locator("main").focus()
    page.keyboard.press("4")
    page.wait_for_function(
        "id => document.querySelector('#study article')?.dataset.cardId !== id"
        " && document.querySelector('#study article')?.dataset.side === 'front'",
        arg=first,
    )
    assert page.evaluate("window.__stillHere") is True
    assert page.locator("#study").get_attribute("aria-live") == "polite"

    page.locator("main").focus()
    page.keyboard.press("u")
    page.get_by_text("Last review undone.").wait_for()
    assert card.get_attribute("data-card-id") == first
    assert page.evaluate("window.__stillHere") is True
