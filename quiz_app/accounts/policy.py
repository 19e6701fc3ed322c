"""Pure account rules: what makes a username, display name or password acceptable. No
Flask or DB (the common-password list is read once from the package).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,39}$")
#: OWASP ASVS 5.0 §6.2.1: at least 8 characters.
MIN_PASSWORD_LENGTH = 8
#: ASVS §6.2.9: at least 64 allowed; the cap bounds hashing work per request.
MAX_PASSWORD_LENGTH = 200
MAX_DISPLAY_NAME_LENGTH = 80
#: Entries of the shipped list refused (ASVS §6.2.4 asks for at least 3000).
COMMON_PASSWORD_COUNT = 10_000
#: Passwords refused besides the list: the subject of the bundled banks.
_LOCAL_WORDS = frozenset({"armistice", "panmunjom", "armistice1", "panmunjom1"})


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords (see data/README.md for their origin)."""
    text = (
        resources.files("quiz_app.accounts")
        .joinpath("data/common-passwords.txt")
        .read_text(encoding="utf-8")
    )
    words = [line.strip() for line in text.splitlines() if line.strip()]
    return frozenset(words[:COMMON_PASSWORD_COUNT]) | _LOCAL_WORDS


def username_problem(username: str) -> str | None:
    """Why a username is not acceptable, or None."""
    if not USERNAME_RE.match(username.strip()):
        return (
            "Use 3 to 40 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit."
        )
    return None


def password_problem(password: str, *, username: str = "") -> str | None:
    """Why a password is not acceptable, or None.

    Length and a list of common passwords only: ASVS 5.0 §6.2.5 forbids composition
    rules (no "one digit and one capital").
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if password.casefold() in common_passwords():
        return (
            "That password is one of the 10,000 most common; "
            "choose another (a few unrelated words make a good one)."
        )
    if username and password.casefold() == username.strip().casefold():
        return "The password must differ from the username."
    return None


#: Unicode categories removed from display names: controls (Cc, including NUL),
#: format characters (Cf: the right-to-left override, zero-width joiners, BOM),
#: unassigned, private use and surrogates.
_STRIPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs"})


def clean_display_name(name: str) -> str:
    """A display name with control and format characters removed, runs of white space
    made one space, trimmed and cut to its maximum length.
    """
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in unicodedata.normalize("NFC", name)
        if ch.isspace() or unicodedata.category(ch) not in _STRIPPED_CATEGORIES
    )
    return " ".join(kept.split())[:MAX_DISPLAY_NAME_LENGTH]


def name_with_username(display_name: str, username: str) -> str:
    """How pages that list other people name someone: the display name with the
    username beside it, which nobody can copy ("Kim Lee (kimlee)").
    """
    name = clean_display_name(display_name)
    if not name or name.casefold() == username.casefold():
        return username
    return f"{name} ({username})"
