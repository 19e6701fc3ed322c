"""Audit lines: who did what (log-ins, password resets and changes, teacher actions,
bank imports), one line each on the ``quiz_app.audit`` logger.

Callers are views and commands, after their commit: a line means the change happened.
The request id, the acting user and the client address are added by the log
configuration (``quiz_app.logs``), so a call names only the event and what it changed.
Never pass a password, a token, a reset or join code, or a CSRF token: the formatter
drops fields with such names, but the value must not get that far.
"""

from __future__ import annotations

import logging
from typing import Any

AUDIT_LOGGER = "quiz_app.audit"

_log = logging.getLogger(AUDIT_LOGGER)


def audit(event: str, **fields: Any) -> None:
    """Log one audit event, e.g. ``audit("class.create", class_id=3, name="7B")``.

    :param event: a dotted name: the thing, then what happened to it.
    """
    _log.info(event, extra={"fields": fields})
