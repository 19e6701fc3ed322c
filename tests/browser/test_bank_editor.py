"""A teacher uploads a bank, edits a question in the form editor (with and without
JavaScript), previews it and saves; on a desktop and a 390 px phone."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import _watch, assert_accessible, expect, log_in, unique

pytestmark = pytest.mark.browser

BANK = """\
# Uploaded to try the editor.
format: 1
id: {bank_id}
title: Editor trial
topics:
  talks: The talks
sources:
  src:
    title: A source
questions:
  - id: {bank_id}-place
    type: single_choice
    topic: talks
    prompt: Where were the talks held from **October 1951**?
    choices: [Panmunjom, Kaesong, Geneva]
    answer: Panmunjom
    explanation: They moved from Kaesong to Panmunjom.
    sources: [src]
  - id: {bank_id}-match
    type: matching
    topic: talks
    prompt: Match each person to a role.
    pairs:
      Nam Il: Chief KPA/CPV delegate
      C. Turner Joy: First UNC senior delegate
      William K. Harrison Jr.: UNC senior delegate from May 1952
    explanation: Nam Il led the Communist delegation throughout.
    sources: [src]
"""


def _shot(page: Any, name: str) -> None:
    """Full-page screenshots in 1000 px slices, to look at: only with
    QUIZ_EDITOR_SHOTS=<folder> in the environment."""
    folder = os.environ.get("QUIZ_EDITOR_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        height = page.evaluate("document.documentElement.scrollHeight")
        for n, top in enumerate(range(0, height, 1000)):
            clip = {"x": 0, "y": top, "width": width, "height": min(1000, height - top)}
            path = Path(folder) / f"{name}-{n}.png"
            page.screenshot(path=str(path), full_page=True, clip=clip)


@pytest.mark.parametrize("width", [1280, 390])
def test_teacher_edits_a_question_in_the_browser(
    site: str, teacher: str, browser: Any, tmp_path: Path, width: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 800}, is_mobile=width < 500
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    _watch(page, problems)  # headers and HTML of every page, as new_page does
    log_in(page, site, teacher)
    bank_id = unique("editor")
    upload = tmp_path / f"{bank_id}.yaml"
    upload.write_text(BANK.format(bank_id=bank_id))
    page.goto(site + "/teach/banks")
    page.locator("#file").set_input_files(str(upload))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("Imported Editor trial").wait_for()

    page.goto(f"{site}/teach/banks/{bank_id}")
    expect(page.get_by_role("link", name="Add a question")).to_be_visible()
    _shot(page, f"editor-bank-{width}")
    page.get_by_role("link", name=f"Edit {bank_id}-place").click()
    page.locator("#f-choices").wait_for()
    assert_accessible(page)
    _shot(page, f"editor-form-{width}")

    page.locator("#f-answer").fill("Seoul")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Nothing was saved").wait_for()
    assert page.locator("#f-answer").input_value() == "Seoul"
    assert_accessible(page)
    _shot(page, f"editor-problem-{width}")

    page.locator("#f-choices").fill("Panmunjom\nKaesong\nGeneva\nSeoul")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Preview (not saved)").wait_for()
    expect(page.locator("#preview strong", has_text="October 1951")).to_have_count(1)
    _shot(page, f"editor-preview-{width}")
    page.get_by_role("button", name="Save").click()
    page.get_by_text(f"Saved question {bank_id}-place").wait_for()

    page.get_by_role("link", name=f"Edit {bank_id}-match").click()
    pairs = page.locator("#f-pairs")
    assert "Nam Il -> Chief KPA/CPV delegate" in pairs.input_value()
    _shot(page, f"editor-matching-{width}")
    # With JavaScript the preview follows the typing (without it, the Preview button).
    page.locator("#f-prompt").fill("Match **each person** to a role.")
    page.locator("#preview strong", has_text="each person").wait_for()
    assert page.locator("#f-prompt").input_value() == "Match **each person** to a role."

    page.goto(f"{site}/teach/banks/{bank_id}")
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Ordering").check()
    page.get_by_role("button", name="Continue").click()
    page.locator("#f-items").wait_for()
    assert_accessible(page)
    page.goto(f"{site}/teach/banks/{bank_id}")
    page.get_by_role("link", name="Add a quiz").click()
    page.get_by_text("Draw from topics").wait_for()
    assert_accessible(page)
    _shot(page, f"editor-quiz-{width}")
    context.close()
    assert not problems, "\n".join(problems)
