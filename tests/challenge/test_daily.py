"""The daily challenge end to end through the real core and database, with the job
bodies driven by an injected clock (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from sqlalchemy import Connection

from bot.app import Core
from bot.challenge import store
from bot.clock import ManualClock
from bot.context import Role
from bot.reply import Reply
from bot.schedule.jobs import ScheduledWork
from storage.models import REVIEW_STATE
from tests.challenge.support import (
    POOL_SIZE,
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


async def subscribe(core: Core, options: str = "") -> store.Subscription:
    """Subscribe #general in New York time to the five-item pool (mcq, A-D)."""
    await add_pool(core)
    chat = moderator(core)
    topic = "" if "topic=" in options else f" topic={POOL_TOPIC}"
    await chat.say(f"/challenge subscribe timezone=America/New_York{topic} {options}".strip())
    assert not chat.replies[0].error, chat.replies[0].body
    return await subscription(core)


async def posted_monday(
    core: Core, clock: ManualClock, options: str
) -> tuple[RecordingOutbox, store.Subscription]:
    """Subscribe with `options` and make Monday's 09:00 post."""
    outbox = recording(core)
    sub = await subscribe(core, options)
    clock.set(local(MONDAY, time(9, 0)))
    assert (await work_of(core).post_daily(sub.id, clock.now())).status == "posted"
    return outbox, sub


async def answer(core: Core, user: str, post: Reply, label: str) -> str:
    """`user` presses `label` on the posted challenge; what only they are told."""
    chat = member(core, user)
    chat.replies = [post]
    await chat.press(label)
    assert chat.replies[0].ephemeral
    return chat.replies[0].body


async def load(core: Core, challenge: int) -> store.ChallengeItem:
    def work(conn: Connection) -> store.ChallengeItem | None:
        return store.load_challenge(conn, challenge)

    item = await core.database.read(work)
    assert item is not None
    return item


def work_of(core: Core) -> ScheduledWork:
    return core.scheduler.work


async def test_only_moderators_may_subscribe(core: Core) -> None:
    chat = member(core, "ana")
    await chat.say("/challenge subscribe")
    assert chat.replies[0].error
    assert "moderator" in chat.replies[0].body
    assert await count(core.database, "challenge_subscription") == 0


async def test_subscribe_then_status_shows_the_next_post_in_local_time_and_utc(
    core: Core, clock: ManualClock
) -> None:
    clock.set(local(MONDAY, time(10, 0)))  # after today's 09:00
    await subscribe(core, "time=09:00")
    chat = moderator(core)
    await chat.say("/challenge status")
    fields = {field.name: field.value for field in chat.replies[0].fields}
    assert fields["Status"] == "active"
    assert fields["Next post"] == "Tue 06 Jan 2026 09:00 America/New_York (Tue 06 Jan 14:00 UTC)"
    assert fields["Posts"] == "daily at 09:00 America/New_York, open for 12h"
    assert fields["Weekly board"] == "Mon 09:00 America/New_York"
    assert fields["Last post"] == "none"


async def test_the_daily_post_is_made_once_and_answers_are_private_and_changeable(
    core: Core, clock: ManualClock
) -> None:
    outbox = recording(core)
    sub = await subscribe(core, "time=09:00")
    clock.set(local(MONDAY, time(9, 0)))
    first = await work_of(core).post_daily(sub.id, clock.now())
    again = await work_of(core).post_daily(sub.id, clock.now())
    assert (first.status, again.status) == ("posted", "exists")
    assert len(outbox.challenges) == 1
    post = outbox.challenges[0]
    assert post.title == "Daily challenge · Mon 5 Jan"
    assert "Answer by 21:00 (America/New_York)" in post.footer

    assert (await answer(core, "ana", post, "A")).startswith("You answered **A.")
    assert (await answer(core, "ana", post, "B")).startswith("Changed to **B.")
    assert (await answer(core, "ana", post, "B")).startswith("You already answered **B.")
    assert await count(core.database, "attempt", "source = 'challenge'") == 1


async def test_reveal_scores_the_first_three_right_and_sends_misses_to_study(
    core: Core, clock: ManualClock
) -> None:
    outbox, _ = await posted_monday(core, clock, "time=09:00 close-after=2h")
    post = outbox.challenges[0]
    item = await load(core, challenge_id(post))
    right, wrong = "ABCD"[item.correct_choice], "ABCD"[(item.correct_choice + 1) % 4]
    order = [("dee", right), ("ana", right), ("bo", wrong), ("cy", right), ("eve", right)]
    for user, label in order:
        clock.advance(timedelta(minutes=1))
        await answer(core, user, post, label)

    clock.set(local(MONDAY, time(10, 59)))
    assert await work_of(core).reveal_due(clock.now()) == 0  # still open
    clock.set(local(MONDAY, time(11, 0)))
    assert await work_of(core).reveal_due(clock.now()) == 1
    assert await work_of(core).reveal_due(clock.now()) == 0  # revealed once
    reveal = outbox.reveals[0]
    assert "4 of 5 answered correctly (80%)." in reveal.body
    assert "**First right:** Dee (+130), Ana (+120), Cy (+110)" in reveal.body
    assert outbox.edits and not outbox.edits[0][1].buttons  # buttons taken off the post

    board = member(core, "dee")
    await board.say("/leaderboard period=today")
    lines = board.replies[0].body.splitlines()
    assert lines[:4] == [
        "1. Dee: 130 points ← you",
        "2. Ana: 120 points",
        "3. Cy: 110 points",
        "4. Eve: 100 points",
    ]

    def cards_for_item(conn: Connection) -> int:
        rows = conn.execute(
            REVIEW_STATE.select().where(REVIEW_STATE.c.question_id == item.question_id)
        )
        return len(rows.all())

    assert await core.database.read(cards_for_item) == 1  # only the miss became a card

    assert await answer(core, "fay", post, right) == "This challenge is closed."


async def test_a_restart_at_half_past_nine_catches_up_exactly_once(
    core: Core, clock: ManualClock
) -> None:
    outbox = recording(core)
    sub = await subscribe(core, "time=09:00")
    clock.set(local(MONDAY, time(9, 30)))  # the process was down at 09:00
    restarted = ScheduledWork(core.services, {"test": outbox})
    await restarted.catch_up(clock.now())
    clock.set(local(MONDAY, time(9, 40)))
    again = ScheduledWork(core.services, {"test": outbox})  # and restarted again
    await again.catch_up(clock.now())
    assert len(outbox.challenges) == 1
    assert await count(core.database, "daily_challenge") == 1
    item = await core.database.read(
        lambda conn: store.load_challenge(conn, challenge_id(outbox.challenges[0]))
    )
    assert item is not None and item.local_date == MONDAY
    # opened late, it still closes 12 h after the time it was due, not after 09:30
    assert item.closes_at == local(MONDAY, time(21, 0))
    assert sub.id == item.subscription_id


async def test_a_restart_after_the_window_closed_posts_nothing_but_reveals(
    core: Core, clock: ManualClock
) -> None:
    outbox, _ = await posted_monday(core, clock, "time=09:00 close-after=2h")
    # down from Monday 09:05 to Tuesday 12:00: Monday's closed at 11:00, Tuesday's
    # window (09:00-11:00) closed before we came back
    clock.set(local(MONDAY + timedelta(days=1), time(12, 0)))
    await ScheduledWork(core.services, {"test": outbox}).catch_up(clock.now())
    assert len(outbox.challenges) == 1
    assert len(outbox.reveals) == 1
    assert await count(core.database, "daily_challenge") == 1
    assert await count(core.database, "daily_challenge", "status = 'revealed'") == 1


async def test_a_channel_does_not_see_an_item_again_within_ninety_days(
    core: Core, clock: ManualClock
) -> None:
    outbox = recording(core)
    sub = await subscribe(core, f"time=09:00 topic={POOL_TOPIC}")
    seen: list[int] = []
    for offset in range(POOL_SIZE + 1):
        clock.set(local(MONDAY + timedelta(days=offset), time(9, 0)))
        outcome = await work_of(core).post_daily(sub.id, clock.now())
        assert outcome.status == "posted"
        assert outcome.challenge_id is not None
        seen.append((await load(core, outcome.challenge_id)).question_id)
    # five different items while the pool lasts, then the one seen longest ago
    assert len(set(seen[:POOL_SIZE])) == POOL_SIZE
    assert seen[POOL_SIZE] == seen[0]
    assert len(outbox.challenges) == POOL_SIZE + 1
    # 89 days after its last showing an item is still held back; the others, last
    # shown 90 days or more before, are fair game again
    clock.set(local(MONDAY + timedelta(days=POOL_SIZE + 89), time(9, 0)))
    outcome = await work_of(core).post_daily(sub.id, clock.now())
    assert outcome.challenge_id is not None
    again = (await load(core, outcome.challenge_id)).question_id
    assert again != seen[POOL_SIZE] and again in seen[1:POOL_SIZE]


async def test_challenge_now_posts_todays_once(core: Core, clock: ManualClock) -> None:
    await subscribe(core, "time=09:00")
    clock.set(local(MONDAY, time(8, 0)))
    chat = moderator(core)
    await chat.say("/challenge now")
    assert chat.replies[-1].buttons and not chat.replies[-1].ephemeral
    await chat.say("/challenge now")
    assert chat.replies[0].error
    assert chat.replies[0].body == "Today's challenge (Mon 5 Jan) is already posted here."
    outbox = recording(core)
    clock.set(local(MONDAY, time(9, 0)))
    sub = await subscription(core)
    assert (await work_of(core).post_daily(sub.id, clock.now())).status == "exists"
    assert outbox.challenges == []


async def test_bad_subscribe_options_name_each_problem_and_change_nothing(core: Core) -> None:
    before = await snapshot(core.database)
    chat = moderator(core)
    await chat.say("/challenge subscribe time=25:00 timezone=Mars/Base close-after=0m weekly=x")
    body = chat.replies[0].body
    assert chat.replies[0].error
    assert "time must be a 24-hour time such as 09:00 or 18:30 (you gave '25:00')." in body
    assert "timezone: Unknown timezone 'Mars/Base': use an IANA name such as" in body
    assert "close-after must be a duration from 10m to 24h" in body
    assert 'weekly must be a day and a time such as "mon 09:00", or off' in body
    assert body.endswith("Nothing was changed.")
    await chat.say("/challenge subscribe topic=nosuchtopic")
    assert chat.replies[0].error and "Unknown topic 'nosuchtopic'" in chat.replies[0].body
    await chat.say("/challenge sometimes")
    assert chat.replies[0].body.startswith("Use /challenge subscribe, /challenge unsubscribe")
    await chat.say("/challenge status time=09:00")
    assert chat.replies[0].body == "Only /challenge subscribe takes options (time)."
    dm = Chat(core, context("mod", dm=True, role=Role.MODERATOR))
    await dm.say("/challenge subscribe")
    assert "not in a DM" in dm.replies[0].body
    assert await snapshot(core.database) == before


async def test_three_failed_posts_pause_and_subscribe_resumes(
    core: Core, clock: ManualClock
) -> None:
    outbox = recording(core)
    outbox.refuse = "Missing Access: the bot cannot post in #general"
    sub = await subscribe(core, "time=09:00")
    for offset in range(3):
        clock.set(local(MONDAY + timedelta(days=offset), time(9, 0)))
        assert (await work_of(core).post_daily(sub.id, clock.now())).status == "failed"
    chat = moderator(core)
    await chat.say("/challenge status")
    fields = {field.name: field.value for field in chat.replies[0].fields}
    assert fields["Status"].startswith("paused after 3 failed posts")
    assert fields["Last error"].endswith("Missing Access: the bot cannot post in #general")
    assert fields["Next post"] == "none"
    clock.set(local(MONDAY + timedelta(days=3), time(9, 0)))
    assert (await work_of(core).post_daily(sub.id, clock.now())).status == "inactive"
    # a failed post is never revealed or scored
    assert await count(core.database, "daily_challenge", "status = 'failed'") == 3

    outbox.refuse = ""
    await chat.say("/challenge subscribe")
    assert chat.replies[0].body.startswith("Subscription updated.")
    fields = {field.name: field.value for field in chat.replies[0].fields}
    assert fields["Status"] == "active"
    clock.set(local(MONDAY + timedelta(days=4), time(9, 0)))
    assert (await work_of(core).post_daily(sub.id, clock.now())).status == "posted"


async def test_unsubscribe_stops_posts(core: Core, clock: ManualClock) -> None:
    outbox = recording(core)
    sub = await subscribe(core, "time=09:00")
    chat = moderator(core)
    await chat.say("/challenge unsubscribe")
    assert chat.replies[0].body.startswith("Unsubscribed")
    clock.set(local(MONDAY, time(9, 0)))
    assert (await work_of(core).post_daily(sub.id, clock.now())).status == "inactive"
    assert outbox.posts == []
    await chat.say("/challenge unsubscribe")
    assert chat.replies[0].body == "This channel is not subscribed."


async def test_posts_follow_daylight_saving_in_the_job_body(core: Core, clock: ManualClock) -> None:
    outbox = recording(core)
    sub = await subscribe(core, "time=02:30 close-after=1h")
    spring = date(2026, 3, 8)
    clock.set(local(spring, time(3, 0)))  # 07:00 UTC: 02:30 does not exist that day
    assert clock.now().strftime("%H:%M") == "07:00"
    assert (await work_of(core).post_daily(sub.id, clock.now())).status == "posted"

    chat = moderator(core)
    await chat.say("/challenge subscribe time=01:30 close-after=12h")
    fall = date(2026, 11, 1)
    first = local(fall, time(1, 30))  # fold=0: 01:30 EDT = 05:30 UTC
    assert first.strftime("%H:%M") == "05:30"
    clock.set(first)
    assert (await work_of(core).post_daily(sub.id, clock.now())).status == "posted"
    clock.set(first + timedelta(hours=1))  # 01:30 EST, the wall clock's second 01:30
    assert (await work_of(core).post_daily(sub.id, clock.now())).status == "exists"
    days = [reply.title for reply in outbox.challenges]
    assert days == ["Daily challenge · Sun 8 Mar", "Daily challenge · Sun 1 Nov"]


async def test_another_workspace_cannot_answer(core: Core, clock: ManualClock) -> None:
    outbox, _ = await posted_monday(core, clock, "time=09:00")
    stranger = Chat(core, replace(context("zed", dm=False), workspace="ws2"))
    stranger.replies = [outbox.challenges[0]]
    await stranger.press("A")
    assert stranger.replies[0].error
    assert await count(core.database, "attempt") == 0


async def test_a_challenge_closing_tomorrow_says_which_day(core: Core, clock: ManualClock) -> None:
    await subscribe(core, "time=09:00")
    clock.set(local(MONDAY, time(18, 0)))  # subscribed late: today's post made by hand
    chat = moderator(core)
    await chat.say("/challenge now")
    assert chat.replies[-1].footer.startswith("Answer by Tue 06:00 (America/New_York)")
