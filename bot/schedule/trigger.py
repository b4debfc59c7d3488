"""A CronTrigger that fires once per local date, resolving daylight-saving edges our way.

APScheduler 3.11's own CronTrigger, checked here: for 02:30 America/New_York on the
spring-forward day it fires at 03:30 EDT, and for 01:30 on the fall-back day it
fires twice (EDT, then EST). We want 03:00 EDT and a single 01:30 EDT, so this
subclass keeps CronTrigger's fields and timezone (so APScheduler shows and treats it
as a cron job) and computes its fire times with `bot.schedule.times.local_instant`.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.schedule.times import WEEKDAYS, next_occurrence


class LocalTimeTrigger(CronTrigger):  # type: ignore[misc]  # APScheduler is untyped
    """Daily (or weekly on `weekday`, 0 = Monday) at wall-clock `at` in `tz`."""

    def __init__(self, at: time, tz: ZoneInfo, weekday: int | None = None) -> None:
        super().__init__(
            day_of_week=WEEKDAYS[weekday] if weekday is not None else None,
            hour=at.hour,
            minute=at.minute,
            second=at.second,
            timezone=tz,
        )
        self.at = at
        self.zone = tz
        self.weekday = weekday

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The first occurrence at or after `now`, never a second one on the local date
        of `previous_fire_time`."""
        start = now
        inclusive = True
        if previous_fire_time is not None and previous_fire_time >= now:
            start, inclusive = previous_fire_time, False
        instant = next_occurrence(self.at, self.zone, start, self.weekday, inclusive)
        if previous_fire_time is not None:
            done = previous_fire_time.astimezone(self.zone).date()
            while instant.astimezone(self.zone).date() <= done:
                instant = next_occurrence(self.at, self.zone, instant, self.weekday, False)
        return instant.astimezone(self.zone)

    def __str__(self) -> str:
        day = f"{WEEKDAYS[self.weekday]} " if self.weekday is not None else "daily "
        return f"local[{day}{self.at.isoformat()} {self.zone.key}]"
