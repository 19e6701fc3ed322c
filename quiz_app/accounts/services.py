"""Account services: create users, check passwords, revoke sessions. Flushes, never
commits.
"""

from __future__ import annotations

import functools
import secrets
from datetime import datetime

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from quiz_app.accounts.models import Role, User
from quiz_app.extensions import db, login_manager


class AccountError(Exception):
    """A user-facing problem with an account operation."""


class UsernameTaken(AccountError):
    pass


def username_key(username: str) -> str:
    """The form of a username used for uniqueness: trimmed and casefolded."""
    return username.strip().casefold()


def is_username_taken(username: str) -> bool:
    """Whether any account already uses this name, ignoring case."""
    return _username_in_use(username)


def _username_in_use(username: str) -> bool:
    return (
        db.session.scalar(
            sa.select(User.id).where(User.username_key == username_key(username))
        )
        is not None
    )


def create_user(
    username: str,
    password: str,
    *,
    role: Role = Role.STUDENT,
    now: datetime,
    display_name: str = "",
) -> User:
    """Create an account with a hashed password.

    :raises UsernameTaken: when the name is in use, ignoring case.
    """
    if is_username_taken(username):
        raise UsernameTaken(f"The username {username.strip()!r} is already taken.")
    user = User(
        username=username.strip(),
        username_key=username_key(username),
        display_name=display_name.strip(),
        password_hash=generate_password_hash(password),
        role=role,
        session_token=secrets.token_hex(16),
        created_at=now,
    )
    try:
        # A savepoint, so a sign-up racing another with the same name fails cleanly.
        with db.session.begin_nested():
            db.session.add(user)
    except sa.exc.IntegrityError as error:
        # Only a name taken in the meantime is "taken"; any other conflict (an id
        # sequence left behind by a hand-made copy, say) is a fault to report as one.
        if _username_in_use(username):
            raise UsernameTaken(
                f"The username {username.strip()!r} is already taken."
            ) from error
        raise
    return user


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def authenticate(username: str, password: str) -> User | None:
    """The user with this name and password, or None."""
    user = db.session.scalar(
        sa.select(User).where(User.username_key == username_key(username))
    )
    if user is None:
        # The same hashing work either way, so timing does not tell which names exist.
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def revoke_sessions(user: User) -> None:
    """Invalidate every session cookie issued to this user so far."""
    user.session_token = secrets.token_hex(16)


def count_teachers() -> int:
    """How many teacher accounts exist (zero means the app still needs its first-run
    setup).
    """
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(User)
            .where(User.role == Role.TEACHER)
        )
        or 0
    )


#: Built once: ``db.session.get`` builds its SELECT anew on every call, and this runs
#: on every request of a logged-in user.
_USER_BY_ID = sa.select(User).where(User.id == sa.bindparam("user_id"))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user whose id and current session token match the
    cookie.
    """
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.scalar(_USER_BY_ID, {"user_id": int(raw_id)})
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user
