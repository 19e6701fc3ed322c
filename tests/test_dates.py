"""Assignment dates entered on the teacher's wall clock are stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from quiz_app import dates


def test_local_time_converts_to_utc_across_dst() -> None:
    # Seoul has no DST: UTC+9 all year.
    assert dates.local_to_utc(datetime(2026, 3, 2, 9, 0), "Asia/Seoul") == datetime(
        2026, 3, 2, 0, 0, tzinfo=UTC
    )
    # New York: EST (UTC-5) in January, EDT (UTC-4) in July.
    assert dates.local_to_utc(datetime(2026, 1, 5, 8), "America/New_York").hour == 13
    assert dates.local_to_utc(datetime(2026, 7, 6, 8), "America/New_York").hour == 12


def test_unknown_zone_falls_back_to_utc() -> None:
    assert dates.local_to_utc(datetime(2026, 3, 2, 9), "Mars/Olympus") == datetime(
        2026, 3, 2, 9, tzinfo=UTC
    )


def test_round_trip_to_local() -> None:
    moment = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    assert dates.utc_to_local(moment, "Asia/Seoul").hour == 9
