"""Pure rate-limit rules: a window per key, and the log-in slow-down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quiz_app.limits.policy import (
    Limit,
    LoginHistory,
    LoginPolicy,
    login_wait,
    wait_for,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = LoginPolicy(per_address=3, per_account=5)


def _history(**overrides):
    values = {
        "account_address": [],
        "account_failures": 0,
        "account_last_failure": None,
        "address_has_failures": False,
        "known_device": False,
    }
    return LoginHistory(**{**values, **overrides})


def test_wait_for_counts_only_the_window():
    limit = Limit("x", 2, timedelta(minutes=10))
    times = [T0, T0 + timedelta(minutes=1)]
    assert wait_for(times[:1], limit, now=T0) is None
    assert wait_for(times, limit, now=T0 + timedelta(minutes=2)) == timedelta(minutes=8)
    assert wait_for(times, limit, now=T0 + timedelta(minutes=10)) is None


def test_an_address_that_failed_too_often_waits_for_that_account():
    failures = [T0 + timedelta(minutes=m) for m in range(3)]
    history = _history(account_address=failures, account_failures=3)
    assert login_wait(history, POLICY, now=T0 + timedelta(minutes=5)) == timedelta(
        minutes=10
    )


def test_a_browser_that_logged_in_before_is_never_locked_out():
    failures = [T0 + timedelta(seconds=s) for s in range(100)]
    history = _history(
        account_address=failures,
        account_failures=100,
        account_last_failure=failures[-1],
        address_has_failures=True,
        known_device=True,
    )
    assert login_wait(history, POLICY, now=failures[-1]) is None


def test_an_account_under_attack_slows_failing_addresses_with_a_backoff():
    last = T0 + timedelta(minutes=1)
    history = _history(
        account_failures=7,  # two over the limit: 4 s
        account_last_failure=last,
        address_has_failures=True,
    )
    assert login_wait(history, POLICY, now=last + timedelta(seconds=1)) == timedelta(
        seconds=3
    )
    assert login_wait(history, POLICY, now=last + timedelta(seconds=4)) is None
    huge = _history(
        account_failures=10_000, account_last_failure=last, address_has_failures=True
    )
    assert login_wait(huge, POLICY, now=last) == POLICY.max_delay


def test_an_address_without_recent_failures_is_not_slowed():
    history = _history(
        account_failures=500,
        account_last_failure=T0,
        address_has_failures=False,
    )
    assert login_wait(history, POLICY, now=T0) is None
