"""First-run setup and sign-up in a real browser, on a desktop and a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    PASSWORD,
    SETUP_LINKS,
    assert_accessible,
    expect,
    screenshot,
)

pytestmark = pytest.mark.browser


def test_first_run_setup_then_student_signup(fresh_server, page, phone_page):
    page.goto(fresh_server + "/")
    assert page.url.endswith("/account/setup")
    # A stranger on the network cannot claim the install without the console's link.
    expect(page.get_by_role("heading", name="not set up yet")).to_be_visible()
    assert not page.get_by_role("button", name="Create the teacher account").count()
    page.goto(SETUP_LINKS[fresh_server])
    assert_accessible(page)
    page.get_by_label("Username").fill("msong")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create the teacher account").click()
    expect(page.get_by_text("Your teacher account is ready")).to_be_visible()
    # The setup link was for one use only.
    page.goto(SETUP_LINKS[fresh_server])
    assert "/account/setup" not in page.url

    phone_page.goto(fresh_server + "/account/signup")
    assert_accessible(phone_page)
    phone_page.get_by_label("Username").fill("x")
    phone_page.get_by_label("Password", exact=True).fill("short")
    phone_page.get_by_label("Repeat the password").fill("short")
    phone_page.get_by_role("button", name="Create account").click()
    expect(phone_page.locator("#username-error")).to_be_visible()
    assert_accessible(phone_page)
    screenshot(phone_page, "signup-errors-phone")
    phone_page.get_by_label("Username").fill("jiwoo")
    phone_page.get_by_label("Password", exact=True).fill(PASSWORD)
    phone_page.get_by_label("Repeat the password").fill(PASSWORD)
    phone_page.get_by_role("button", name="Create account").click()
    phone_page.get_by_text(
        "Your account is ready"
    ).wait_for()  # (waits out a slow load)
    assert_accessible(phone_page)
