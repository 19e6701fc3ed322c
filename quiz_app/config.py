"""Default configuration: constants only, no environment reads at import time.

Precedence (lowest first): DefaultConfig -> <data dir>/config.py -> QUIZ_* environment
variables -> test_config.
A QUIZ_ prefixed variable sets the key without the prefix: QUIZ_SQLALCHEMY_DATABASE_URI
sets
SQLALCHEMY_DATABASE_URI. Values of QUIZ_* variables are parsed as JSON where they can be
(so
QUIZ_MAX_BANK_BYTES=1048576 is an int).
"""

from __future__ import annotations

from datetime import timedelta


class DefaultConfig:
    #: Database URL. A relative SQLite path is resolved inside the data folder. For
    #: PostgreSQL set
    #: QUIZ_SQLALCHEMY_DATABASE_URI=postgresql+psycopg://user:pass@host/dbname (pip
    #: install "armistice-study[postgres]").
    SQLALCHEMY_DATABASE_URI = "sqlite:///quiz.sqlite"
    #: Engine options. pool_pre_ping tests a pooled connection before lending it, so a
    #: restarted PostgreSQL costs a reconnect, not a 500 per stale connection.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    #: How many reverse proxies (nginx, Caddy) stand in front of the app. With N > 0
    #: the client address, scheme and host come from the last N X-Forwarded-* headers
    #: (Werkzeug's ProxyFix); leave 0 when clients connect directly, or they could
    #: claim any address.
    TRUSTED_PROXIES = 0
    #: Seconds a SQLite connection waits for another writer before failing with
    #: "database is locked".
    SQLITE_BUSY_TIMEOUT_S = 15
    #: SQLite's `synchronous` setting. FULL syncs every commit to disk, so a saved
    #: answer survives a power cut (about 7 ms a commit on a busy virtual disk);
    #: NORMAL is faster, and a power cut (never a crash of the app) may then undo
    #: the last commits.
    SQLITE_SYNCHRONOUS = "FULL"
    #: Folder (or folders, separated by os.pathsep) of YAML question banks imported by
    #: `quiz-app serve`.
    #: None means the banks bundled with the app.
    BANKS_DIR: str | None = None
    #: Largest bank file accepted, from disk or by upload (bytes).
    MAX_BANK_BYTES = 8 * 1024 * 1024
    #: Largest request body accepted (bytes); bounds bank uploads.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    #: Largest image stored with an uploaded bank (bytes), from a .zip upload or from
    #: a data folder's old uploads folder.
    MAX_IMAGE_BYTES = 2 * 1024 * 1024
    #: CSRF tokens stay valid this long, so a quiz page left open for hours still
    #: submits (seconds).
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    #: Sessions: cookie hardening. Set SESSION_COOKIE_SECURE=true when served over
    #: HTTPS.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    #: Failed log-ins allowed per username and client address within the window
    #: below; that address may then not try that username until the oldest falls out
    #: of the window (a browser that logged in to it before still may). Counted in the
    #: database, so every worker and server sees them.
    LOGIN_MAX_FAILURES = 10
    #: Failed log-ins per username from all addresses within the window before tries
    #: from addresses that failed recently wait an exponential backoff (up to 1 min).
    LOGIN_ACCOUNT_MAX_FAILURES = 30
    LOGIN_FAILURE_WINDOW_S = 15 * 60
    #: New accounts per client address per hour (a whole class behind one school
    #: address signs up together, so this is generous).
    SIGNUPS_PER_ADDRESS_PER_HOUR = 60
    #: New quiz attempts a student may start per hour (resuming one is free).
    ATTEMPT_STARTS_PER_HOUR = 30
    #: Problem reports a student may file per hour.
    REPORTS_PER_HOUR = 20
    #: Grace period after a quiz's time limit during which a submission still counts
    #: (seconds).
    QUIZ_GRACE_SECONDS = 30
    #: New flashcards a student sees per day unless they choose another number.
    DEFAULT_NEW_CARDS_PER_DAY = 20
    #: Time zone used for "today" until a student picks their own.
    DEFAULT_TIMEZONE = "UTC"
    #: The address students type to reach the app, e.g. https://quiz.school.example
    #: (QUIZ_PUBLIC_URL). Join links, QR codes and reset links use it; when unset they
    #: use the address the teacher's browser used (the machine's LAN address instead of
    #: 127.0.0.1 when `serve --host 0.0.0.0`).
    PUBLIC_URL: str | None = None
    #: Set by `quiz-app serve` for its workers: the address it listens on.
    SERVE_HOST: str | None = None
    #: Log lines as JSON objects (QUIZ_LOG_JSON=1) rather than key=value pairs; both
    #: go to standard error, one line per request and per audit event.
    LOG_JSON = False
    #: Lowest level of the app's own log lines (DEBUG, INFO, WARNING, ...).
    LOG_LEVEL = "INFO"
    #: Template auto-reload and SQL echo stay off unless debugging.
    SQLALCHEMY_ECHO = False
    SQLALCHEMY_TRACK_MODIFICATIONS = False


#: Shortest secret key accepted outside debug and testing (bytes).
MIN_SECRET_KEY_BYTES = 32

#: Secrets that must never run a real server: they are in every tutorial.
PLACEHOLDER_SECRETS = frozenset(
    {"dev", "secret", "changeme", "change-me", "development", "test", ""}
)


def secret_key_problem(
    key: object,
    *,
    explicit: bool = True,
    database_uri: str = "sqlite://",
    strict: bool = True,
) -> str | None:
    """Why this value cannot sign sessions, or None if it can (the one rule for
    secret keys).

    A QUIZ_SECRET_KEY of digits arrives as a number (the environment is read as JSON)
    and a short one is guessable offline from any session cookie.

    :param explicit: whether the key was configured (QUIZ_SECRET_KEY, config.py) rather
        than generated into the data folder.
    :param database_uri: a database other than SQLite may be shared by several
        servers, which must all sign cookies with one configured key.
    :param strict: False in debug and testing, where any text key is allowed.
    """
    if not database_uri.startswith("sqlite") and not explicit:
        return (
            "a database other than SQLite may be shared by several servers: set "
            "QUIZ_SECRET_KEY to the same random value (at least "
            f"{MIN_SECRET_KEY_BYTES} bytes, e.g. from `python3 -c 'import secrets; "
            "print(secrets.token_hex(32))'`) on every server"
        )
    if not isinstance(key, str):
        return (
            f"SECRET_KEY must be text, not {type(key).__name__}; quote it, e.g. "
            "QUIZ_SECRET_KEY='\"...\"', or remove it to let the app generate one"
        )
    if not strict:
        return None
    if key.strip().lower() in PLACEHOLDER_SECRETS:
        return (
            "SECRET_KEY is a well-known placeholder; remove it to let the app "
            "generate one in the data folder"
        )
    size = len(key.encode("utf-8"))
    if size < MIN_SECRET_KEY_BYTES:
        return (
            f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes long (it is "
            f"{size}); remove it to let the app generate one in the data folder"
        )
    return None
