"""Study days are the learner's: local time, starting at 4 am as in Anki.

A late-night session still counts toward the day it began, and the new-card
allowance renews at 4 am local time, whatever daylight saving is doing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_STARTS_AT = time(4, 0)


def zone(name: str) -> ZoneInfo:
    """The IANA zone, or ValueError with a specific message."""
    try:
        if not name or name != name.strip() or name.startswith(("/", ".")):
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as Europe
        raise ValueError(
            f"Unknown timezone {name!r}: use an IANA name such as "
            "America/New_York or Europe/London."
        ) from None


def study_day(instant: datetime, tz: ZoneInfo) -> date:
    """The study day an instant belongs to in `tz`."""
    local = instant.astimezone(tz)
    return (local - timedelta(hours=DAY_STARTS_AT.hour, minutes=DAY_STARTS_AT.minute)).date()


def study_day_start(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant at which `day` begins (4 am local)."""
    return datetime.combine(day, DAY_STARTS_AT, tzinfo=tz).astimezone(UTC)


def next_day_start(instant: datetime, tz: ZoneInfo) -> datetime:
    """When the next study day begins, after `instant`."""
    return study_day_start(study_day(instant, tz) + timedelta(days=1), tz)
