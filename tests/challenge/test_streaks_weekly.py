"""Streaks with their weekly freeze, the weekly leaderboard post, and review reminders."""

from __future__ import annotations

from datetime import date, time, timedelta

from bot.app import Core
from bot.challenge import store
from bot.clock import ManualClock
from tests.challenge.support import (
    POOL_TOPIC,
    RecordingOutbox,
    add_pool,
    challenge_id,
    local,
    member,
    moderator,
    recording,
    subscription,
)
from tests.helpers import Chat, context, count, snapshot

MONDAY = date(2026, 1, 5)


async def run_day(
    core: Core, clock: ManualClock, outbox: RecordingOutbox, day: date, users: list[str]
) -> str:
    """Post `day`'s challenge at 09:00, `users` answer it right, reveal at 11:00; the
    reveal's text."""
    sub = await subscription(core)
    clock.set(local(day, time(9, 0)))
    outcome = await core.scheduler.work.post_daily(sub.id, clock.now())
    assert outcome.status == "posted"
    post = outbox.challenges[-1]
    item = await core.database.read(lambda conn: store.load_challenge(conn, challenge_id(post)))
    assert item is not None
    for user in users:
        clock.advance(timedelta(minutes=1))
        chat = member(core, user)
        chat.replies = [post]
        await chat.press("ABCD"[item.correct_choice])
    clock.set(local(day, time(11, 0)))
    assert await core.scheduler.work.reveal_due(clock.now()) == 1
    return outbox.reveals[-1].body


async def start(core: Core, options: str = "") -> RecordingOutbox:
    await add_pool(core)
    outbox = recording(core)
    chat = moderator(core)
    await chat.say(
        f"/challenge subscribe time=09:00 close-after=2h timezone=America/New_York "
        f"topic={POOL_TOPIC} {options}".strip()
    )
    assert not chat.replies[0].error, chat.replies[0].body
    return outbox


async def test_a_missed_day_is_frozen_once_a_week(core: Core, clock: ManualClock) -> None:
    outbox = await start(core)
    days = [MONDAY + timedelta(days=offset) for offset in range(9)]  # Mon 5 .. Tue 13 Jan
    ana_days = {0, 1, 3, 4, 6, 8}  # misses Wed (frozen), Sat (second miss: broken), Mon 12
    texts = []
    for offset, day in enumerate(days):
        users = ["bo"] + (["ana"] if offset in ana_days else [])
        texts.append(await run_day(core, clock, outbox, day, users))
    assert "Bo (+130, 🔥2)" in texts[1] and "Ana (+120, 🔥2)" in texts[1]
    assert "Ana (+120, 🔥3)" in texts[3]  # Wednesday was frozen
    assert "Ana (+120, 🔥4)" in texts[4]
    assert "Ana (+120)" in texts[6]  # Saturday's miss was the week's second: back to 1
    assert "Ana (+120, 🔥2)" in texts[8]  # Monday 12 Jan used the new week's freeze
    assert "Bo (+130, 🔥9)" in texts[8]

    chat = member(core, "ana")
    await chat.say("/leaderboard period=week")
    assert chat.replies[0].body.splitlines()[:2] == [
        "1. Bo: 260 points · 🔥9",
        "2. Ana: 120 points · 🔥2 ← you",
    ]


async def test_the_weekly_post_shows_last_weeks_top_ten_once(
    core: Core, clock: ManualClock
) -> None:
    outbox = await start(core, 'weekly="mon 09:00"')
    for offset in range(3):
        await run_day(core, clock, outbox, MONDAY + timedelta(days=offset), ["bo", "ana"])
    await run_day(core, clock, outbox, MONDAY + timedelta(days=3), ["ana"])
    sub = await subscription(core)
    clock.set(local(MONDAY + timedelta(days=7), time(9, 0)))
    assert await core.scheduler.work.post_weekly(sub.id, clock.now())
    assert not await core.scheduler.work.post_weekly(sub.id, clock.now())
    boards = outbox.titled("Weekly leaderboard")
    assert len(boards) == 1
    assert boards[0].title == "Weekly leaderboard · Mon 5 Jan – Sun 11 Jan"
    # Ana: 120 + 120 + 120 + 130; Bo: 130 x 3 and a streak broken by nothing (one miss
    # frozen); Ana answered four days in a row
    assert boards[0].body.splitlines() == [
        "1. Ana: 490 points · 🔥4",
        "2. Bo: 390 points · 🔥3",
    ]


async def test_weekly_off_posts_no_board(core: Core, clock: ManualClock) -> None:
    outbox = await start(core, "weekly=off")
    sub = await subscription(core)
    clock.set(local(MONDAY + timedelta(days=7), time(9, 0)))
    assert not await core.scheduler.work.post_weekly(sub.id, clock.now())
    assert outbox.titled("Weekly") == []


async def test_a_review_reminder_comes_once_a_day_only_when_reviews_are_due(
    core: Core, clock: ManualClock
) -> None:
    outbox = recording(core)
    ana = Chat(core, context("ana"))
    await ana.say("/settings reminders=19:00 timezone=America/New_York")
    fields = {field.name: field.value for field in ana.replies[0].fields}
    assert fields["Review reminders"] == "a DM at 19:00 your time when reviews are due"
    bo = Chat(core, context("bo"))
    await bo.say("/settings reminders=19:00 timezone=America/New_York")  # nothing to review
    clock.set(local(MONDAY, time(12, 0)))
    await ana.say("/study")
    await ana.press("Show answer")
    await ana.press("Again")  # due again in minutes

    work = core.scheduler.work
    clock.set(local(MONDAY, time(18, 59)))
    assert await work.send_reminders(clock.now()) == 0
    clock.set(local(MONDAY, time(19, 0)))
    assert await work.send_reminders(clock.now()) == 1
    clock.set(local(MONDAY, time(19, 5)))
    assert await work.send_reminders(clock.now()) == 0
    assert [user for user, _ in outbox.dms] == ["ana"]
    assert "review(s) due today" in outbox.dms[0][1].body

    clock.set(local(MONDAY + timedelta(days=1), time(22, 0)))  # down all evening
    assert await work.send_reminders(clock.now()) == 0  # too late to nag
    clock.set(local(MONDAY + timedelta(days=2), time(19, 1)))
    assert await work.send_reminders(clock.now()) == 1

    await ana.say("/settings reminders=off")
    clock.set(local(MONDAY + timedelta(days=3), time(19, 0)))
    assert await work.send_reminders(clock.now()) == 0
    assert len(outbox.dms) == 2


async def test_bad_reminder_time_changes_nothing(core: Core) -> None:
    before = await snapshot(core.database)
    ana = Chat(core, context("ana"))
    await ana.say("/settings reminders=7pm")
    assert ana.replies[0].error
    assert ana.replies[0].body == (
        "reminders must be a 24-hour time such as 19:00, or off (you gave '7pm')."
    )
    assert await snapshot(core.database) == before


async def test_forget_me_removes_challenge_answers_points_and_streaks(
    core: Core, clock: ManualClock
) -> None:
    outbox = await start(core)
    await run_day(core, clock, outbox, MONDAY, ["ana", "bo"])
    ana = member(core, "ana")
    await ana.say("/forget-me")
    await ana.press("Delete my data")
    assert ana.replies[0].body.startswith("Done")
    where = "learner_id = (SELECT id FROM learner WHERE user_id = 'ana')"
    for table in ("attempt", "score_day", "challenge_streak"):
        assert await count(core.database, table, where) == 0
    assert await count(core.database, "learner", "user_id = 'ana'") == 0
    assert await count(core.database, "score_day") == 1  # Bo's stay
