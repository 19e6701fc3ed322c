"""Web layer: the app's logs, configured with ``logging.config.dictConfig``: one line
per request (``quiz_app.request``), audit lines (``quiz_app.audit``, see
:mod:`quiz_app.audit`) and every other line of ours, of waitress and of Alembic.

Every line logged during a request carries its request id (an incoming
``X-Request-ID`` when it looks like one, else a new one; returned in the response's
``X-Request-ID``), the logged-in user's id and the client's address. Lines are JSON
objects when LOG_JSON is set (``QUIZ_LOG_JSON=1``), ``key=value`` pairs otherwise; one
line per event on standard error, for journald, Docker or a log shipper to collect.

Secrets never reach a line: no query string is logged, a URL whose part is a reset or
join code is logged as its rule (``/account/reset/<code>``), and fields named like a
password, token, code or CSRF token are dropped.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
import secrets
import sys
import time
from datetime import UTC, datetime
from typing import Any, TextIO

from flask import Flask, g, has_request_context, request
from werkzeug.wrappers import Response

REQUEST_LOGGER = "quiz_app.request"
REQUEST_ID_HEADER = "X-Request-ID"
#: An incoming request id is reused only when it is plain: 8 to 128 letters, digits
#: and ``._:-`` (a proxy's UUID or trace id), so it cannot forge a log line.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
#: Field names whose values are never logged, whoever passes them.
SECRET_FIELDS = frozenset(
    {
        "password",
        "new_password",
        "old_password",
        "confirm",
        "token",
        "code",
        "csrf_token",
        "secret",
        "secret_key",
        "session",
        "cookie",
    }
)
#: URL parts that are secrets (one-time reset codes, class join codes).
SECRET_VIEW_ARGS = frozenset({"code", "token"})
#: Context every line of a request gets, in this order after time, level and logger.
CONTEXT_FIELDS = ("request_id", "user_id", "remote_addr")

_request_log = logging.getLogger(REQUEST_LOGGER)


class StderrHandler(logging.StreamHandler[TextIO]):
    """A stream handler on whatever ``sys.stderr`` is when it writes (a test runner
    or a daemon may swap it after the app is built)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


class ContextFilter(logging.Filter):
    """Adds the request id, the user's id and the client's address during a
    request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id")
            # The user Flask-Login already loaded for this request: no query here.
            user = g.get("_login_user")
            authenticated = user is not None and user.is_authenticated
            record.user_id = user.id if authenticated else None
            record.remote_addr = request.remote_addr
        return True


class AlembicChatter(logging.Filter):
    """Drops Alembic's two lines about its SQL dialect, printed at every start; its
    "Running upgrade" lines, which say what changed, stay."""

    CHATTER = ("Context impl ", "Will assume ")

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.name.startswith("alembic")
            and str(record.msg).startswith(self.CHATTER)
        )


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k.lower() not in SECRET_FIELDS}


def record_fields(record: logging.LogRecord, exception: str | None) -> dict[str, Any]:
    """A log record as ordered fields: time, level, logger, event or message, the
    request's context, then the event's own fields."""
    out: dict[str, Any] = {
        "ts": datetime.fromtimestamp(record.created, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "level": record.levelname.lower(),
        "logger": record.name,
    }
    fields = getattr(record, "fields", None)
    if isinstance(fields, dict):
        out["event"] = record.getMessage()
    else:
        out["message"] = record.getMessage()
    for key in CONTEXT_FIELDS:
        value = getattr(record, key, None)
        if value is not None:
            out[key] = value
    if isinstance(fields, dict):
        out.update({k: v for k, v in _clean(fields).items() if k not in out})
    if exception:
        out["exception"] = exception
    return out


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        exception = self.formatException(record.exc_info) if record.exc_info else None
        return json.dumps(
            record_fields(record, exception), ensure_ascii=False, default=str
        )


_BARE = re.compile(r"[^\s\"'=\\]+")


def _kv_value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    text = value if isinstance(value, str) else str(value)
    if _BARE.fullmatch(text) and text.isprintable():
        return text
    return json.dumps(text, ensure_ascii=False)  # quoted, newlines escaped


class KeyValueFormatter(logging.Formatter):
    """``key=value`` pairs on one line; values with spaces or quotes are quoted."""

    def format(self, record: logging.LogRecord) -> str:
        exception = self.formatException(record.exc_info) if record.exc_info else None
        return " ".join(
            f"{key}={_kv_value(value)}"
            for key, value in record_fields(record, exception).items()
        )


def logging_config(*, json_lines: bool, level: str) -> dict[str, Any]:
    """The dictConfig of the app's logs."""
    ours = {"level": level, "handlers": ["stderr"], "propagate": True}
    return {
        "version": 1,
        # Loggers made before (SQLAlchemy's, a library's) keep working.
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": ContextFilter},
            "alembic_chatter": {"()": AlembicChatter},
        },
        "formatters": {
            "line": {"()": JsonFormatter if json_lines else KeyValueFormatter}
        },
        "handlers": {
            "stderr": {
                "()": StderrHandler,
                "formatter": "line",
                "filters": ["context", "alembic_chatter"],
            }
        },
        "loggers": {
            "quiz_app": ours,
            "waitress": {**ours, "level": "INFO"},
            "alembic": {**ours, "level": "INFO"},
            "flask_migrate": {**ours, "level": "INFO"},
        },
    }


def configure_logging(app: Flask) -> None:
    """Configure the logs and log one line per request, with its id in a header."""
    logging.config.dictConfig(
        logging_config(
            json_lines=bool(app.config.get("LOG_JSON")),
            level=str(app.config.get("LOG_LEVEL") or "INFO").upper(),
        )
    )
    # Alembic's env.py would replace these with its own ini's handlers.
    app.extensions["quiz_logging"] = True
    # First of the app's hooks, so the id exists before any other hook may abort.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.after_request(_log_request)


def request_id(incoming: str | None) -> str:
    """The id of this request: the proxy's when it is sane, else a new one."""
    if incoming and SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return secrets.token_hex(16)


def loggable_path(path: str) -> str:
    """The request's path, or its URL rule when a part of it is a secret code."""
    rule = request.url_rule
    if rule is not None and SECRET_VIEW_ARGS & (request.view_args or {}).keys():
        return rule.rule
    return path


def _start_request() -> None:
    g.request_id = request_id(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    if "request_id" not in g:  # a hook before ours answered
        g.request_id = request_id(request.headers.get(REQUEST_ID_HEADER))
    response.headers[REQUEST_ID_HEADER] = g.request_id
    started = g.get("request_started")
    _request_log.info(
        "request",
        extra={
            "fields": {
                "method": request.method,
                "path": loggable_path(request.path),
                "status": response.status_code,
                "duration_ms": (
                    round((time.perf_counter() - started) * 1000, 1)
                    if started is not None
                    else None
                ),
            }
        },
    )
    return response
