"""A student forgets their password: their teacher issues a reset link from the class,
the student sets a new password with it and logs in with the new one; the old one and
the old session stop working. Also the teacher's first hour: checklist, join QR code,
projector view, confirmation pages, and the account pages, on a desktop and a phone.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    PASSWORD,
    assert_accessible,
    expect,
    log_in,
    screenshot,
    sign_up,
    unique,
)

pytestmark = pytest.mark.browser

NEW_PASSWORD = "paper boats at dawn"


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_teacher_resets_a_forgotten_password_and_the_student_logs_in(
    site, teacher, new_page
):
    desk = new_page()
    log_in(desk, site, teacher)
    desk.goto(site + "/teach/")
    class_name = f"11A History {unique('')}"
    desk.get_by_label("Class name").fill(class_name)
    desk.get_by_role("button", name="Create class").click()
    desk.get_by_text(f"Class {class_name} created.").wait_for()
    code = desk.locator("code.join-code").inner_text().strip()
    class_url = desk.url

    # The student signs up on a phone, then forgets the password.
    phone = new_page(phone=True)
    student = unique("minji")
    sign_up(phone, site, student, code=code, name="Min-ji Kang")
    old_session = new_page()
    log_in(old_session, site, student)

    # The teacher opens the student from the roster and issues a reset link.
    desk.goto(class_url)
    desk.get_by_role("link", name="Min-ji Kang", exact=True).click()
    expect(desk.get_by_role("heading", name=re.compile("Min-ji Kang"))).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("button", name="Password reset link").click()
    link = desk.locator(".reset-link a").inner_text().strip()
    shown_code = desk.locator(".reset-code code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", shown_code)
    assert link.endswith("/account/reset/" + shown_code)
    assert_accessible(desk)
    screenshot(desk, "teacher-reset-link")

    # The student, logged out on the phone, opens the link and sets a new password.
    phone.context.clear_cookies()
    phone.goto(site + link[link.index("/account/reset/") :])
    expect(phone.get_by_text(student).first).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    phone.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    _no_sideways_scroll(phone)
    screenshot(phone, "reset-password-phone")
    phone.get_by_role("button", name="Set the new password").click()
    phone.get_by_text("Log in with the new password").wait_for()

    # The old password no longer works; the new one does.
    phone.get_by_label("Username").fill(student)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    expect(phone.locator("#password-error")).to_contain_text("not right")
    phone.get_by_label("Username").fill(student)
    phone.get_by_label("Password").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    phone.get_by_role("button", name="Log out").wait_for()

    # The session that was open elsewhere has ended, and the link is spent.
    old_session.goto(site + "/account/")
    assert "/account/login" in old_session.url
    old_session.goto(site + link[link.index("/account/reset/") :])
    expect(old_session.get_by_text("This reset link does not work")).to_be_visible()


def test_first_hour_pages_on_desktop_and_phone(site, teacher, new_page):
    desk = new_page()
    log_in(desk, site, teacher)
    desk.goto(site + "/teach/")
    assert desk.get_by_role("heading", name="Getting started").count() <= 1
    class_name = f"9C {unique('')}"
    desk.get_by_label("Class name").fill(class_name)
    desk.get_by_role("button", name="Create class").click()
    desk.get_by_text(f"Class {class_name} created.").wait_for()
    class_url = desk.url
    qr = desk.locator(".join-qr svg")
    assert qr.get_attribute("role") == "img"
    assert_accessible(desk)
    screenshot(desk, "teacher-class-join", at=".join-panel")

    # The projector view: big code and QR code, no names.
    desk.get_by_role("link", name="Show on the projector").click()
    code = desk.locator(".present-code code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    expect(desk.locator(".present-qr svg")).to_be_visible()
    assert_accessible(desk)
    screenshot(desk, "teacher-present")
    projector = new_page()
    projector.set_viewport_size({"width": 1920, "height": 1080})
    log_in(projector, site, teacher)
    projector.goto(desk.url)
    _no_sideways_scroll(projector)
    skip = projector.get_by_role("link", name="Skip to content").bounding_box()
    assert skip is not None and skip["y"] + skip["height"] <= 0, skip  # no edge shows
    screenshot(projector, "teacher-present-1080p")

    # A new join code asks first, without JavaScript too.
    nojs = new_page(js=False)
    log_in(nojs, site, teacher)
    nojs.goto(class_url)
    nojs.get_by_role("link", name=re.compile("New code")).click()
    expect(
        nojs.get_by_role("heading", name=re.compile("new join code"))
    ).to_be_visible()
    nojs.get_by_role("link", name="Cancel").click()
    expect(nojs.locator("code.join-code")).to_have_text(code)
    nojs.get_by_role("link", name=re.compile("New code")).click()
    nojs.get_by_role("button", name="Make a new code").click()
    expect(nojs.locator("code.join-code")).not_to_have_text(code)

    # The same pages fit a phone.
    phone = new_page(phone=True)
    phone.set_viewport_size({"width": 390, "height": 844})
    log_in(phone, site, teacher)
    for url, name in (
        (site + "/teach/", "teacher-home-phone"),
        (class_url, "teacher-class-phone"),
        (class_url + "/present", "teacher-present-phone"),
        (site + "/teach/teachers", "teachers-phone"),
        (site + "/account/", "account-phone"),
        (site + "/account/password", "change-password-phone"),
    ):
        phone.goto(url)
        _no_sideways_scroll(phone)
        assert_accessible(phone)
        screenshot(phone, name)


def test_account_page_prefills_the_time_zone_and_deletes_with_confirmation(
    site, browser, new_page
):
    context = browser.new_context(
        timezone_id="Asia/Seoul", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.goto(site + "/account/signup")
    assert page.get_by_label("Time zone").input_value() == "Asia/Seoul"
    student = unique("sora")
    page.get_by_label("Username").fill(student)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_text("Your account is ready").wait_for()
    page.goto(site + "/account/")
    assert page.get_by_label("Time zone").input_value() == "Asia/Seoul"
    assert_accessible(page)
    screenshot(page, "account")
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_text("without your name")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "account-delete")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator("#confirm-error")).to_contain_text("Tick the box")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("Your account is deleted").wait_for()
    context.close()

    # Without JavaScript the select is a plain one showing UTC.
    nojs = new_page(js=False)
    nojs.goto(site + "/account/signup")
    assert nojs.get_by_label("Time zone").input_value() == "UTC"
