"""Pure login throttling: count failed log-ins per (username, address). No Flask or DB.

Kept in memory, per process: a restart forgets it, and with several worker processes
each counts on its own. That is enough to turn an online password guess from
thousands of tries a minute into a handful; it is not an account lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime, timedelta

Key = tuple[str, str]  #: (casefolded username, client address)


class LoginThrottle:
    """Refuse a key after ``max_failures`` failed log-ins within ``window``."""

    def __init__(
        self,
        *,
        max_failures: int = 10,
        window: timedelta = timedelta(minutes=15),
        max_keys: int = 10_000,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.max_keys = max_keys
        self._failures: OrderedDict[Key, list[datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: Key, now: datetime) -> list[datetime]:
        times = [t for t in self._failures.get(key, []) if now - t < self.window]
        if times:
            self._failures[key] = times
        else:
            self._failures.pop(key, None)
        return times

    def retry_after(self, key: Key, *, now: datetime) -> timedelta | None:
        """How long this key must wait before trying again, or None if it may try."""
        with self._lock:
            times = self._recent(key, now)
            if len(times) < self.max_failures:
                return None
            return times[-self.max_failures] + self.window - now

    def record_failure(self, key: Key, *, now: datetime) -> None:
        """Count one failed log-in (the oldest keys are forgotten beyond max_keys)."""
        with self._lock:
            times = self._recent(key, now)
            times.append(now)
            self._failures[key] = times
            self._failures.move_to_end(key)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def reset(self, key: Key) -> None:
        """Forget the failures of a key after a successful log-in."""
        with self._lock:
            self._failures.pop(key, None)
