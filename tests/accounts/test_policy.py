"""Pure username and password rules."""

from __future__ import annotations

import pytest

from quiz_app.accounts import policy
from quiz_app.accounts.policy import password_problem, username_problem


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
        ("Password", "", "too common"),
        ("student-one", "Student-One", "differ"),
    ],
)
def test_rejected_passwords(password, username, fragment):
    assert fragment in password_problem(password, username=username)


def test_good_password_is_accepted():
    assert password_problem("correct horse battery", username="kim") is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ms\u202eeeL", "MseeL"),  # right-to-left override
        ("Ms\u200b Lee", "Ms Lee"),  # zero-width space
        ("Kim\x00Lee", "KimLee"),  # NUL
        ("  Kim \t\n Lee ", "Kim Lee"),
        ("Nguyễn Thị Ánh", "Nguyễn Thị Ánh"),
        ("김정은", "김정은"),
    ],
)
def test_display_names_lose_invisible_characters(raw, clean):
    assert policy.clean_display_name(raw) == clean


def test_other_people_are_named_with_their_username():
    assert policy.name_with_username("Ms Lee", "kim") == "Ms Lee (kim)"
    assert policy.name_with_username("", "kim") == "kim"
    assert policy.name_with_username("\u200b", "kim") == "kim"
    assert policy.name_with_username("Kim", "kim") == "kim"
