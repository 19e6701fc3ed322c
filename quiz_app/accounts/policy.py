"""Pure account rules: what makes a username or password acceptable. No Flask or DB."""

from __future__ import annotations

import re
import unicodedata

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,39}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200  # bounds hashing work per request
_COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "12345678",
        "123456789",
        "qwertyuiop",
        "iloveyou",
        "armistice",
        "panmunjom",
    }
)


def username_problem(username: str) -> str | None:
    """Why a username is not acceptable, or None."""
    if not USERNAME_RE.match(username.strip()):
        return (
            "Use 3 to 40 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit."
        )
    return None


def password_problem(password: str, *, username: str = "") -> str | None:
    """Why a password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if password.casefold() in _COMMON_PASSWORDS:
        return "That password is too common; choose another."
    if username and password.casefold() == username.strip().casefold():
        return "The password must differ from the username."
    return None


#: Unicode categories never kept in a display name: controls (NUL, escapes), format
#: characters (right-to-left override, zero-width joiners and spaces), surrogates,
#: private-use and unassigned code points.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def clean_display_name(text: str) -> str:
    """A display name without invisible or direction-changing characters, with runs
    of whitespace made one space.

    "Ms\u202eeeL" would otherwise read as another name, and a zero-width space makes
    a copy of a teacher's name that is not equal to it.
    """
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if unicodedata.category(ch) not in _HIDDEN_CATEGORIES or ch.isspace()
    )
    return " ".join(kept.split())


def name_with_username(display_name: str, username: str) -> str:
    """How pages that list other people name someone: the display name with the
    username beside it, which nobody can copy ("Kim Lee (kimlee)").
    """
    name = clean_display_name(display_name)
    if not name or name.casefold() == username.casefold():
        return username
    return f"{name} ({username})"
