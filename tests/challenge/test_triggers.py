"""When posts fire: local wall-clock time in the channel's own zone, daylight saving
edges resolved once (APScheduler's trigger interface, no wall clock read)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.schedule.times import (
    TimeFormatError,
    local_instant,
    parse_clock,
    parse_duration,
    parse_weekly,
)
from bot.schedule.trigger import LocalTimeTrigger

NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")


def fires(trigger: LocalTimeTrigger, now: datetime, count: int) -> list[datetime]:
    """The next `count` fire times, fed back the way APScheduler does."""
    result: list[datetime] = []
    previous = None
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        assert fire is not None
        result.append(fire.astimezone(UTC))
        previous = now = fire
    return result


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_nine_am_in_new_york_follows_daylight_saving() -> None:
    trigger = LocalTimeTrigger(time(9, 0), NEW_YORK)
    got = fires(trigger, utc("2026-03-06 20:00"), 3)
    # EST (UTC-5) on Saturday 7 March, EDT (UTC-4) from Sunday 8 March
    assert got == [utc("2026-03-07 14:00"), utc("2026-03-08 13:00"), utc("2026-03-09 13:00")]


def test_nine_am_in_kolkata_is_three_thirty_utc() -> None:
    trigger = LocalTimeTrigger(time(9, 0), KOLKATA)
    assert fires(trigger, utc("2026-03-07 04:00"), 2) == [
        utc("2026-03-08 03:30"),
        utc("2026-03-09 03:30"),
    ]


def test_a_time_inside_the_spring_forward_gap_fires_once_at_three_edt() -> None:
    trigger = LocalTimeTrigger(time(2, 30), NEW_YORK)
    got = fires(trigger, utc("2026-03-07 12:00"), 3)
    # 02:30 does not exist on 8 March: the first valid instant after it is 03:00 EDT
    assert got == [utc("2026-03-08 07:00"), utc("2026-03-09 06:30"), utc("2026-03-10 06:30")]
    assert got[0].astimezone(NEW_YORK).strftime("%H:%M %Z") == "03:00 EDT"


def test_a_time_that_occurs_twice_on_fall_back_day_fires_at_the_first() -> None:
    trigger = LocalTimeTrigger(time(1, 30), NEW_YORK)
    got = fires(trigger, utc("2026-10-31 12:00"), 3)
    # 01:30 EDT (05:30 UTC) and never again at 01:30 EST (06:30 UTC) that day
    assert got == [utc("2026-11-01 05:30"), utc("2026-11-02 06:30"), utc("2026-11-03 06:30")]


def test_a_restart_between_the_two_one_thirties_does_not_fire_again() -> None:
    """Asked after the first 01:30 has passed (a process started at 01:45 EDT), the next
    fire is the following day, not 01:30 EST."""
    trigger = LocalTimeTrigger(time(1, 30), NEW_YORK)
    previous = utc("2026-11-01 05:30")
    assert trigger.get_next_fire_time(previous, utc("2026-11-01 05:45")) == utc("2026-11-02 06:30")


def test_a_weekly_trigger_fires_on_its_day_only() -> None:
    trigger = LocalTimeTrigger(time(9, 0), NEW_YORK, weekday=0)
    got = fires(trigger, utc("2026-03-04 12:00"), 2)  # a Wednesday
    assert [fire.astimezone(NEW_YORK).strftime("%a %H:%M") for fire in got] == [
        "Mon 09:00",
        "Mon 09:00",
    ]
    assert got == [utc("2026-03-09 13:00"), utc("2026-03-16 13:00")]


def test_local_instant_of_an_ordinary_time() -> None:
    assert local_instant(datetime(2026, 7, 1).date(), time(9, 0), NEW_YORK) == utc(
        "2026-07-01 13:00"
    )


@pytest.mark.parametrize("text", ["25:00", "9", "09:60", "noon", "", "9:00pm"])
def test_bad_times_say_what_a_time_looks_like(text: str) -> None:
    with pytest.raises(TimeFormatError, match=r"time must be a 24-hour time such as 09:00"):
        parse_clock(text, "time")


@pytest.mark.parametrize(("text", "minutes"), [("12h", 720), ("90m", 90), ("1h30m", 90)])
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text, "close-after", 10, 1440) == minutes


@pytest.mark.parametrize("text", ["0m", "25h", "forever", "12", "5m"])
def test_bad_durations_name_the_range(text: str) -> None:
    with pytest.raises(TimeFormatError, match=r"close-after must be a duration from 10m to 24h"):
        parse_duration(text, "close-after", 10, 1440)


def test_weekly_takes_a_day_and_a_time_or_off() -> None:
    assert parse_weekly("mon 09:00") == (0, time(9, 0))
    assert parse_weekly("Friday 17:30") == (4, time(17, 30))
    assert parse_weekly("off") is None
    with pytest.raises(TimeFormatError, match=r'such as "mon 09:00", or off'):
        parse_weekly("funday 09:00")
