"""Account services: create users, check and change passwords, reset codes, the setup
token, administrators, deletion. Flushes, never commits.
"""

from __future__ import annotations

import functools
import secrets
from datetime import datetime, timedelta
from random import Random
from typing import Any

import sqlalchemy as sa

from quiz_app.accounts import policy, tokens
from quiz_app.accounts.models import PasswordReset, Role, SetupToken, User
from quiz_app.accounts.passwords import hash_password, needs_rehash, verify_password
from quiz_app.extensions import db


class AccountError(Exception):
    """A user-facing problem with an account operation."""


class UsernameTaken(AccountError):
    pass


class WrongPassword(AccountError):
    def __init__(self) -> None:
        super().__init__("That is not your current password.")


class InvalidResetCode(AccountError):
    def __init__(self) -> None:
        super().__init__(
            "This reset code is not valid: it may have been used already, replaced by "
            "a newer one or be more than 24 hours old. Ask your teacher for a new one."
        )


class NotAllowed(AccountError):
    """The acting user may not do this to that account."""


#: How long a reset code works.
RESET_LIFETIME = timedelta(hours=24)
#: Stored instead of a hash for accounts that cannot log in (deleted ones);
#: verify_password returns False for it.
UNUSABLE_PASSWORD = "!"


def username_key(username: str) -> str:
    """The form of a username used for uniqueness: trimmed and casefolded."""
    return username.strip().casefold()


def is_username_taken(username: str) -> bool:
    """Whether any account already uses this name, ignoring case."""
    return _username_in_use(username)


def username_for_audit(username: str) -> str | None:
    """The username a log-in tried, for the audit log, when such an account exists:
    a username box sometimes holds a password typed into the wrong field."""
    return username_key(username) if is_username_taken(username) else None


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
    password_hash: str | None = None,
    timezone: str = "UTC",
    is_admin: bool = False,
) -> User:
    """Create an account with a hashed password.

    :param timezone: the IANA zone "today" follows until the user picks their own
        (views pass the app's DEFAULT_TIMEZONE).
    :param password_hash: the password already hashed (``hash_password``), so a view
        can run the slow hash before it takes the write lock; ``password`` is then
        ignored.
    :raises UsernameTaken: when the name is in use, ignoring case.
    """
    if is_username_taken(username):
        raise UsernameTaken(f"The username {username.strip()!r} is already taken.")
    user = User(
        username=username.strip(),
        username_key=username_key(username),
        display_name=policy.clean_display_name(display_name),
        password_hash=password_hash or hash_password(password),
        role=role,
        timezone=timezone,
        is_admin=is_admin,
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
    return hash_password(secrets.token_hex(16))


def get_user_by_username(username: str) -> User | None:
    """The (not deleted) account with this name, ignoring case, or None."""
    user = db.session.scalar(
        sa.select(User).where(User.username_key == username_key(username))
    )
    return None if user is None or user.is_deleted else user


def authenticate(username: str, password: str) -> User | None:
    """The user with this name and password, or None."""
    user = db.session.scalar(
        sa.select(User).where(User.username_key == username_key(username))
    )
    if user is None or user.is_deleted:
        # A hash either way, so an unknown name answers as slowly as a known one. An
        # account still on an old scrypt hash answers slower until its next log-in;
        # that tells no secret, since sign-up already says when a name is taken.
        verify_password(_dummy_hash(), password)
        return None
    return user if verify_password(user.password_hash, password) else None


def rehashed_password(user: User, password: str) -> str | None:
    """A new hash of the (just verified) password when the stored one is of an older
    kind or cost, else None. Slow: call it outside any write transaction, and store
    the result with :func:`store_rehashed_password`.
    """
    return hash_password(password) if needs_rehash(user.password_hash) else None


def store_rehashed_password(user_id: int, old_hash: str, new_hash: str) -> None:
    """Replace a password hash, unless the password was changed meanwhile."""
    db.session.execute(
        sa.update(User)
        .where(User.id == user_id, User.password_hash == old_hash)
        .values(password_hash=new_hash)
    )


def set_password(user: User, password: str) -> None:
    """Store a new password and end every session of the user (the caller logs the
    current one in again if it should stay).
    """
    user.password_hash = hash_password(password)
    revoke_sessions(user)


def change_password(user: User, *, current: str, new: str) -> None:
    """Replace the password after checking the current one; every other session ends.

    :raises WrongPassword: when ``current`` is not the user's password.
    """
    if not verify_password(user.password_hash, current):
        raise WrongPassword()
    set_password(user, new)


def update_profile(user: User, *, display_name: str, timezone: str) -> None:
    """Change the name shown to teachers and the user's time zone."""
    user.display_name = policy.clean_display_name(display_name)
    user.timezone = timezone


# --------------------------------------------------------------------------------------
# Reset codes


def issue_password_reset(
    user: User, *, issued_by: User | None, now: datetime, rng: Random
) -> str:
    """Make a one-time reset code for the user, valid for 24 hours; any earlier unused
    code stops working. Returns the code, which is stored only as a hash.
    """
    for earlier in db.session.scalars(
        sa.select(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    ):
        earlier.used_at = now
    code = tokens.generate_reset_code(rng)
    db.session.add(
        PasswordReset(
            user_id=user.id,
            code_hash=tokens.hash_token(tokens.normalise_reset_code(code)),
            issued_by_id=issued_by.id if issued_by is not None else None,
            created_at=now,
            expires_at=now + RESET_LIFETIME,
        )
    )
    db.session.flush()
    return code


def get_valid_reset(code: str, *, now: datetime) -> PasswordReset | None:
    """The unused, unexpired reset with this code, or None."""
    reset = db.session.scalar(
        sa.select(PasswordReset).where(
            PasswordReset.code_hash
            == tokens.hash_token(tokens.normalise_reset_code(code))
        )
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        return None
    if reset.user.is_deleted:
        return None
    return reset


def reset_password(code: str, new_password: str, *, now: datetime) -> User:
    """Use a reset code: set the new password, spend the code, end every session.

    :raises InvalidResetCode: when the code is unknown, used, replaced or expired.
    """
    reset = get_valid_reset(code, now=now)
    if reset is None:
        raise InvalidResetCode()
    # Spend the code with a conditional UPDATE, so two submissions racing with the same
    # code cannot both succeed (on PostgreSQL as well as SQLite).
    spent: sa.CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        sa.update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        raise InvalidResetCode()
    db.session.refresh(reset)
    set_password(reset.user, new_password)
    db.session.flush()
    return reset.user


# --------------------------------------------------------------------------------------
# First-run setup


def create_setup_token(*, now: datetime, rng: Random) -> str:
    """Make a setup token for a fresh install and return it (stored only hashed).
    Several may be valid at once: each server started before setup prints its own.
    """
    token = tokens.generate_setup_token(rng)
    db.session.add(SetupToken(token_hash=tokens.hash_token(token), created_at=now))
    db.session.flush()
    return token


def is_valid_setup_token(token: str) -> bool:
    """Whether this token was printed by a server of this install and setup is not
    done yet.
    """
    if not token or len(token) > 200:
        return False
    return (
        db.session.scalar(
            sa.select(SetupToken.id).where(
                SetupToken.token_hash == tokens.hash_token(token)
            )
        )
        is not None
    )


def clear_setup_tokens() -> None:
    """Forget every setup token once the first teacher exists."""
    db.session.execute(sa.delete(SetupToken))


# --------------------------------------------------------------------------------------
# Teachers and administrators


def list_teachers() -> list[User]:
    """Every teacher account, administrators first, then by name."""
    teachers = db.session.scalars(
        sa.select(User).where(User.role == Role.TEACHER, User.deleted_at.is_(None))
    )
    return sorted(teachers, key=lambda u: (not u.is_admin, u.name.casefold(), u.id))


def get_teacher(user_id: int) -> User | None:
    """The (not deleted) teacher with this id, or None."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_teacher or user.is_deleted:
        return None
    return user


def anonymise_user(user: User, *, now: datetime) -> None:
    """Strip an account of everything personal and lock it for good. The row stays so
    that the attempts pointing at it keep counting in item statistics, nameless.
    """
    user.username = f"deleted-{user.id}"
    # "#" is never allowed in a username, so no one can sign up with this key.
    user.username_key = f"#deleted-{user.id}"
    user.display_name = ""
    user.timezone = "UTC"
    user.password_hash = UNUSABLE_PASSWORD
    user.role = Role.STUDENT
    user.is_admin = False
    user.last_seen_at = None
    user.deleted_at = now
    revoke_sessions(user)
    db.session.execute(sa.delete(PasswordReset).where(PasswordReset.user_id == user.id))


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
    if user is None or user.is_deleted:
        return None
    if not secrets.compare_digest(user.session_token, token):
        return None
    return user
