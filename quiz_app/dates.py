"""Pure time-zone helpers shared by every domain: a zone by name (UTC when unknown) and
conversions between a wall-clock time in a zone and UTC. No Flask or DB.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str) -> ZoneInfo:
    """The named IANA zone, or UTC when the name is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_to_utc(local: datetime, tz_name: str) -> datetime:
    """An aware UTC datetime from a wall-clock time (naive) in the named zone.

    In a DST gap or overlap the earlier reading is used (``fold=0``), as zoneinfo does.
    """
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    return local.replace(tzinfo=zone(tz_name)).astimezone(UTC)


def utc_to_local(moment: datetime, tz_name: str) -> datetime:
    """The wall-clock time of an aware datetime in the named zone."""
    return moment.astimezone(zone(tz_name))
