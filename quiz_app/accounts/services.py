"""Account services: create users, check passwords, revoke sessions. Flushes, never
commits.
"""

from __future__ import annotations

import functools
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from quiz_app.accounts.models import Role, User
from quiz_app.extensions import db


class AccountError(Exception):
    """A user-facing problem with an account operation."""


class UsernameTaken(AccountError):
    pass


def username_key(username: str) -> str:
    """The form of a username used for uniqueness: trimmed and casefolded."""
    return username.strip().casefold()


def is_username_taken(username: str) -> bool:
    """Whether any account already uses this name, ignoring case."""
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
    timezone: str = "UTC",
) -> User:
    """Create an account with a hashed password.

    :param timezone: the IANA zone "today" follows until the user picks their own
        (views pass the app's DEFAULT_TIMEZONE).

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
        timezone=timezone,
    )
    try:
        # A savepoint, so a sign-up racing another with the same name fails cleanly.
        with db.session.begin_nested():
            db.session.add(user)
    except sa.exc.IntegrityError as error:
        raise UsernameTaken(
            f"The username {username.strip()!r} is already taken."
        ) from error
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


#: A user's last_seen_at is written at most this often: each write takes the database's
#: write lock, and the dashboard shows activity by the day.
LAST_SEEN_EVERY = timedelta(minutes=1)


def is_activity_due(user: User, *, now: datetime) -> bool:
    """Whether the user's last_seen_at is missing or older than LAST_SEEN_EVERY."""
    seen = user.last_seen_at
    return seen is None or now - seen >= LAST_SEEN_EVERY


def record_activity(user_id: int, *, now: datetime) -> None:
    """Set the user's last_seen_at to ``now`` unless it was set less than
    LAST_SEEN_EVERY ago (by another request meanwhile). One UPDATE, no flush.
    """
    db.session.execute(
        sa.update(User)
        .where(
            User.id == user_id,
            sa.or_(
                User.last_seen_at.is_(None), User.last_seen_at <= now - LAST_SEEN_EVERY
            ),
        )
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


#: Built once: ``db.session.get`` builds its SELECT anew on every call, and this runs
#: on every request of a logged-in user.
_USER_BY_ID = sa.select(User).where(User.id == sa.bindparam("user_id"))


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader (registered in create_app): the user whose id and current
    session token match the cookie.
    """
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.scalar(_USER_BY_ID, {"user_id": int(raw_id)})
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user
