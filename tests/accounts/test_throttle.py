"""The pure login throttle: failed log-ins per (username, address) within a window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quiz_app.accounts.throttle import LoginThrottle

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEY = ("kim", "10.0.0.5")


def test_a_key_is_refused_after_max_failures_until_the_window_passes() -> None:
    throttle = LoginThrottle(max_failures=3, window=timedelta(minutes=15))
    for minute in range(3):
        assert throttle.retry_after(KEY, now=T0 + timedelta(minutes=minute)) is None
        throttle.record_failure(KEY, now=T0 + timedelta(minutes=minute))
    now = T0 + timedelta(minutes=5)
    assert throttle.retry_after(KEY, now=now) == timedelta(minutes=10)
    assert throttle.retry_after(("kim", "10.0.0.6"), now=now) is None
    assert throttle.retry_after(("lee", "10.0.0.5"), now=now) is None
    assert throttle.retry_after(KEY, now=T0 + timedelta(minutes=15)) is None


def test_reset_forgets_the_failures() -> None:
    throttle = LoginThrottle(max_failures=1)
    throttle.record_failure(KEY, now=T0)
    assert throttle.retry_after(KEY, now=T0) is not None
    throttle.reset(KEY)
    assert throttle.retry_after(KEY, now=T0) is None


def test_memory_is_bounded() -> None:
    throttle = LoginThrottle(max_failures=1, max_keys=2)
    for name in ("a", "b", "c"):
        throttle.record_failure((name, "ip"), now=T0)
    assert throttle.retry_after(("a", "ip"), now=T0) is None  # the oldest is forgotten
    assert throttle.retry_after(("c", "ip"), now=T0) is not None
