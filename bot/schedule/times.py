"""Local wall-clock times as people type them, and the instants they mean.

A time asked for in a timezone is resolved the same way everywhere (posts, status,
catch-up): a time that does not exist on a spring-forward day means the first valid
instant after it (02:30 in New York becomes 03:00 EDT); a time that occurs twice on a
fall-back day means its first occurrence (01:30 EDT).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_CLOCK = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
_STORED = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?$")
_DURATION = re.compile(r"^(?:(\d{1,2})h)?(?:(\d{1,4})m)?$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class TimeFormatError(ValueError):
    """Text that is not the time, day or duration asked for; the message shows an example."""


def parse_clock(text: str, option: str) -> time:
    """ "9:00" or "21:30" (24-hour) as a time; TimeFormatError naming the option otherwise."""
    match = _CLOCK.match(text.strip())
    if match is None:
        shown = text.strip()[:20]
        raise TimeFormatError(
            f"{option} must be a 24-hour time such as 09:00 or 18:30 (you gave {shown!r})."
        )
    return time(int(match.group(1)), int(match.group(2)))


def stored_clock(value: str) -> time:
    """A time as stored on a row ("HH:MM" or "HH:MM:SS")."""
    match = _STORED.match(value)
    if match is None:
        raise ValueError(f"Stored time {value!r} is not HH:MM[:SS].")
    return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


def clock_text(at: time) -> str:
    """The stored form: seconds only when there are some."""
    return at.strftime("%H:%M:%S" if at.second else "%H:%M")


def parse_weekly(text: str) -> tuple[int, time] | None:
    """ "mon 09:00" as (0, 09:00); "off" as None."""
    words = text.strip().lower().split()
    if words == ["off"]:
        return None
    if len(words) != 2 or words[0][:3] not in WEEKDAYS or len(words[0]) < 3:
        shown = text.strip()[:20]
        raise TimeFormatError(
            f'weekly must be a day and a time such as "mon 09:00", or off (you gave {shown!r}).'
        )
    return WEEKDAYS.index(words[0][:3]), parse_clock(words[1], "weekly")


def parse_duration(text: str, option: str, low: int, high: int) -> int:
    """ "12h", "90m" or "1h30m" as minutes, from `low` to `high`."""
    raw = text.strip().lower()
    match = _DURATION.match(raw)
    minutes = -1
    if raw and match is not None and (match.group(1) or match.group(2)):
        minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if not low <= minutes <= high:
        raise TimeFormatError(
            f"{option} must be a duration from {duration_text(low)} to {duration_text(high)} "
            f"such as 12h, 90m or 1h30m (you gave {raw[:20]!r})."
        )
    return minutes


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h{rest:02d}m" if rest else f"{hours}h"


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `tz`, resolved as the module says."""
    wall = datetime.combine(day, at)
    earlier = wall.replace(tzinfo=tz, fold=0)
    instant = earlier.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == wall:
        return instant  # exists (fold=0 is the first of two occurrences)
    # In a gap: fold=1 reads the wall with the offset before the change, landing before
    # the transition; fold=0 with the offset after, landing after it. The transition
    # itself is the first valid instant after the missing wall time.
    before = int(wall.replace(tzinfo=tz, fold=1).timestamp())
    after = int(instant.timestamp())
    if before > after:
        before, after = after, before
    offset_after = instant.astimezone(tz).utcoffset()
    while after - before > 1:  # whole seconds: zone transitions fall on them
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(tz).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, UTC)


def next_occurrence(
    at: time, tz: ZoneInfo, after: datetime, weekday: int | None = None, inclusive: bool = True
) -> datetime:
    """The first instant of `at` (on `weekday`, if given) at or after `after` (strictly
    after when not inclusive), one per local date."""
    day = after.astimezone(tz).date() - timedelta(days=1)
    for _ in range(16):
        if weekday is None or day.weekday() == weekday:
            instant = local_instant(day, at, tz)
            if instant > after or (inclusive and instant == after):
                return instant
        day += timedelta(days=1)
    raise AssertionError("No occurrence within 16 days.")  # pragma: no cover


def latest_occurrence(
    at: time, tz: ZoneInfo, now: datetime, weekday: int | None = None
) -> tuple[date, datetime]:
    """The local date and instant of the most recent `at` (on `weekday`, if given) at or
    before `now`."""
    day = now.astimezone(tz).date() + timedelta(days=1)
    while True:
        if weekday is None or day.weekday() == weekday:
            instant = local_instant(day, at, tz)
            if instant <= now:
                return day, instant
        day -= timedelta(days=1)
