"""Pure review rules: defaults, overrides, disclosure, holding answers back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quiz_app.quiz.review import (
    Disclosure,
    Override,
    Review,
    Settings,
    Visibility,
    choose_assignment,
    disclosure,
    effective_settings,
    holds_back,
    may_start,
    release_at,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)
EARLIER = NOW - timedelta(days=1)


@pytest.mark.parametrize(
    ("settings", "review", "visibility"),
    [
        (Settings(), Review.IMMEDIATELY, Visibility.EVERYONE),
        (Settings(time_limit_minutes=30), Review.SCORE_ONLY, Visibility.ASSIGNED),
        (Settings(max_attempts=1), Review.SCORE_ONLY, Visibility.ASSIGNED),
        (
            Settings(time_limit_minutes=30, closes_at=LATER),
            Review.AFTER_CLOSE,
            Visibility.ASSIGNED,
        ),
        (Settings(closes_at=LATER), Review.IMMEDIATELY, Visibility.EVERYONE),
        (
            Settings(max_attempts=1, review=Review.IMMEDIATELY),
            Review.IMMEDIATELY,
            Visibility.ASSIGNED,
        ),
        (
            Settings(max_attempts=1, visibility=Visibility.EVERYONE),
            Review.SCORE_ONLY,
            Visibility.EVERYONE,
        ),
    ],
)
def test_defaults_follow_practice_or_test(settings, review, visibility):
    effective = effective_settings(settings)
    assert (effective.review, effective.visibility) == (review, visibility)


def test_override_replaces_only_what_it_sets():
    quiz = Settings(time_limit_minutes=20, max_attempts=2, pass_mark=50)
    effective = effective_settings(
        quiz, Override(time_limit_minutes=45, pass_mark=70, closes_at=LATER)
    )
    assert effective.time_limit_minutes == 45
    assert effective.max_attempts == 2
    assert effective.pass_mark == 70
    assert effective.closes_at == LATER
    # the assignment's close date turns the default into after_close
    assert effective.review is Review.AFTER_CLOSE


def test_override_review_beats_the_quiz_review():
    quiz = Settings(review=Review.IMMEDIATELY, max_attempts=1)
    assert (
        effective_settings(quiz, Override(review=Review.SCORE_ONLY)).review
        is Review.SCORE_ONLY
    )


def test_override_of_a_practice_quiz_with_a_time_limit_makes_it_a_test():
    effective = effective_settings(Settings(), Override(time_limit_minutes=10))
    assert effective.review is Review.SCORE_ONLY


@pytest.mark.parametrize(
    ("review", "is_open", "closes_at", "expected"),
    [
        (Review.IMMEDIATELY, True, None, Disclosure.NOTHING),
        (Review.IMMEDIATELY, False, None, Disclosure.FULL),
        (Review.AFTER_CLOSE, False, LATER, Disclosure.SCORE),
        (Review.AFTER_CLOSE, False, NOW, Disclosure.FULL),  # closes at now: closed
        (Review.AFTER_CLOSE, False, EARLIER, Disclosure.FULL),
        (Review.AFTER_CLOSE, False, None, Disclosure.SCORE),
        (Review.SCORE_ONLY, False, EARLIER, Disclosure.SCORE),
        (Review.SCORE_ONLY, True, EARLIER, Disclosure.NOTHING),
    ],
)
def test_disclosure(review, is_open, closes_at, expected):
    assert disclosure(review, is_open=is_open, closes_at=closes_at, now=NOW) is expected


@pytest.mark.parametrize(
    ("review", "is_open", "closes_at", "expected"),
    [
        (Review.IMMEDIATELY, True, LATER, False),
        (Review.AFTER_CLOSE, True, None, True),
        (Review.SCORE_ONLY, True, None, True),
        (Review.AFTER_CLOSE, False, LATER, True),
        (Review.AFTER_CLOSE, False, EARLIER, False),
        (Review.SCORE_ONLY, False, None, False),
        (Review.SCORE_ONLY, False, LATER, True),
    ],
)
def test_holds_back_while_open_or_until_close(review, is_open, closes_at, expected):
    assert holds_back(review, is_open=is_open, closes_at=closes_at, now=NOW) is expected


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        disclosure(
            Review.IMMEDIATELY,
            is_open=False,
            closes_at=None,
            now=NOW.replace(tzinfo=None),
        )


def test_release_at():
    assert release_at(Review.AFTER_CLOSE, closes_at=LATER) == LATER
    assert release_at(Review.SCORE_ONLY, closes_at=LATER) is None


def test_may_start():
    assert may_start(Visibility.EVERYONE, is_assigned_to_student=False)
    assert not may_start(Visibility.ASSIGNED, is_assigned_to_student=False)
    assert may_start(Visibility.ASSIGNED, is_assigned_to_student=True)
    assert may_start(Visibility.ASSIGNED, is_assigned_to_student=False, is_teacher=True)


def test_choose_assignment_prefers_the_open_one_closing_last():
    windows = [
        ("closed", None, EARLIER),
        ("soon", None, LATER),
        ("later", EARLIER, LATER + timedelta(days=3)),
        ("upcoming", LATER, None),
    ]
    assert choose_assignment(windows, now=NOW) == "later"
    assert choose_assignment([*windows, ("forever", None, None)], now=NOW) == "forever"
    assert choose_assignment([("closed", None, EARLIER)], now=NOW) is None
