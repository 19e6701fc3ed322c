"""Pure username and password rules."""

from __future__ import annotations

import pytest

from quiz_app.accounts import policy
from quiz_app.accounts.policy import (
    MAX_PASSWORD_LENGTH,
    clean_display_name,
    common_passwords,
    password_problem,
    username_problem,
)


@pytest.mark.parametrize("name", ["kim", "Park_Ji-won", "student.01", "A" * 40])
def test_acceptable_usernames(name):
    assert username_problem(name) is None


@pytest.mark.parametrize(
    "name", ["", "ab", "-dash", "has space", "ünï", "A" * 41, "<script>"]
)
def test_rejected_usernames(name):
    assert username_problem(name)


@pytest.mark.parametrize(
    ("password", "username", "fragment"),
    [
        ("short", "", "at least 8"),
        ("x" * 201, "", "at most 200"),
        ("Password", "", "most common"),
        ("student-one", "Student-One", "differ"),
    ],
)
def test_rejected_passwords(password, username, fragment):
    assert fragment in password_problem(password, username=username)


def test_good_password_is_accepted():
    assert password_problem("correct horse battery", username="kim") is None


@pytest.mark.parametrize(
    "password", ["11111111", "letmein1", "password1", "qwertyuiop"]
)
def test_common_passwords_from_the_shipped_list_are_refused(password):
    assert "most common" in password_problem(password)


def test_the_shipped_list_holds_ten_thousand_passwords():
    # 10,000 from the list plus the bundled subject's own words.
    assert 10_000 <= len(common_passwords()) <= 10_004
    assert "123456" in common_passwords()


def test_no_composition_rules_and_long_passphrases_allowed():
    # ASVS 5.0 §6.2: lower-case letters alone are fine; at least 64 characters allowed.
    assert MAX_PASSWORD_LENGTH >= 64
    assert password_problem("plain lowercase words here") is None
    assert password_problem("a" * 63 + "b") is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Kim   Ji-won ", "Kim Ji-won"),
        ("Mr\u202eSmith", "MrSmith"),  # right-to-left override
        ("Ze\u200bro\u200d", "Zero"),  # zero-width space and joiner
        ("Nul\x00l", "Null"),
        ("Tab\tand\nline", "Tab and line"),
        ("\ufeffBOM", "BOM"),
        ("박지원", "박지원"),
    ],
)
def test_display_names_lose_control_and_format_characters(raw, clean):
    assert clean_display_name(raw) == clean


def test_display_names_are_cut_to_their_column():
    assert len(clean_display_name("x" * 500)) == 80


def test_other_people_are_named_with_their_username():
    assert policy.name_with_username("Ms Lee", "kim") == "Ms Lee (kim)"
    assert policy.name_with_username("", "kim") == "kim"
    assert policy.name_with_username("\u200b", "kim") == "kim"
    assert policy.name_with_username("Kim", "kim") == "kim"
