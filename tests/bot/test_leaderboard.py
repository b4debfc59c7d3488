"""Leaderboards from the SCORE_DAY rollup, and /privacy, through the real dispatcher,
on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection

from bot.app import Core
from bot.clock import ManualClock
from bot.context import Context, Role
from bot.learners import ensure_learner, ensure_workspace
from bot.reply import Reply
from bot.scores.rollup import add_points
from storage.database import Database
from tests.helpers import Chat, context, snapshot

LA = "America/Los_Angeles"
_LINE = re.compile(r"^(\d+)\. (.+): ([\d,]+) points( ← you)?$")


def member(user: str, channel: str = "general") -> Context:
    base = context(user, dm=False)
    return Context(base.platform, base.workspace, channel, user, base.display_name, False)


def moderator() -> Context:
    return context("mod", dm=False, role=Role.MODERATOR)


@dataclass(frozen=True)
class Row:
    rank: int
    name: str
    points: int
    me: bool


def board(reply: Reply) -> list[Row]:
    """The ranked lines of a leaderboard reply."""
    found = []
    for line in reply.body.splitlines():
        match = _LINE.match(line)
        if match:
            rank, name, points, me = match.groups()
            found.append(Row(int(rank), name, int(points.replace(",", "")), bool(me)))
    return found


def names(reply: Reply) -> list[str]:
    return [row.name for row in board(reply)]


async def ask(core: Core, who: Context, text: str) -> Reply:
    replies = await Chat(core, who).say(text)
    assert len(replies) == 1, replies
    assert not replies[0].error, replies[0].body
    return replies[0]


async def setup(
    core: Core, database: Database, clock: ManualClock, people: list[str], timezone: str = LA
) -> tuple[int, dict[str, int]]:
    """A workspace in `timezone` (set by a moderator with /config) and learner rows."""
    await ask(core, moderator(), f"/config timezone={timezone}")

    def work(conn: Connection) -> tuple[int, dict[str, int]]:
        workspace_id = ensure_workspace(conn, member("mod"), clock.now())
        assert workspace_id is not None
        ids = {}
        for name in people:
            learner = ensure_learner(conn, member(name), clock.now(), "UTC")
            assert learner.id is not None
            ids[name] = learner.id
        return workspace_id, ids

    return await database.write(work)


async def score(
    database: Database,
    workspace_id: int,
    learner_id: int,
    day: date,
    points: int,
    at: datetime,
    channel: str = "general",
) -> None:
    def work(conn: Connection) -> None:
        add_points(
            conn,
            workspace_id=workspace_id,
            channel=channel,
            learner_id=learner_id,
            day=day,
            points=points,
            correct=points > 0,
            at=at,
        )

    await database.write(work)


def local(day: date, hour: int, tz: str = LA) -> datetime:
    """An instant at `hour` o'clock on `day` in `tz`, as UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(tz)).astimezone(UTC)


async def test_weeks_and_months_turn_at_midnight_in_the_workspace_timezone(
    core: Core, database: Database, clock: ManualClock
) -> None:
    workspace_id, ids = await setup(core, database, clock, ["ana", "bob", "cy"])
    sunday, monday = date(2026, 1, 11), date(2026, 1, 12)
    await score(database, workspace_id, ids["ana"], sunday, 300, local(sunday, 20))
    await score(database, workspace_id, ids["bob"], monday, 200, local(monday, 0))
    jan4 = date(2026, 1, 4)
    await score(database, workspace_id, ids["cy"], jan4, 999, local(jan4, 9))
    ana = member("ana")

    # Sunday 23:30 in Los Angeles is already Monday 07:30 UTC: still last week here.
    clock.set(local(sunday, 23) + timedelta(minutes=30))
    reply = await ask(core, ana, "/leaderboard period=week")
    assert reply.title == "Leaderboard · this week (Mon 5 Jan – Sun 11 Jan) · this channel"
    assert board(reply) == [Row(1, "Ana", 300, True)]
    reply = await ask(core, ana, "/leaderboard period=today")
    assert "today (Sun 11 Jan)" in reply.title and names(reply) == ["Ana"]

    clock.advance(timedelta(hours=1))  # Monday 00:30 in Los Angeles: a new week
    reply = await ask(core, ana, "/leaderboard period=week")
    assert reply.title == "Leaderboard · this week (Mon 12 Jan – Sun 18 Jan) · this channel"
    assert board(reply) == [Row(1, "Bob", 200, False)]
    assert "You have no points here for this period yet." in reply.body
    reply = await ask(core, ana, "/leaderboard period=all")
    assert [(r.name, r.points) for r in board(reply)] == [("Cy", 999), ("Ana", 300), ("Bob", 200)]
    assert "America/Los_Angeles" in reply.footer

    jan31, feb1 = date(2026, 1, 31), date(2026, 2, 1)
    await score(database, workspace_id, ids["cy"], jan31, 50, local(jan31, 22))
    await score(database, workspace_id, ids["ana"], feb1, 40, local(feb1, 0))
    clock.set(local(jan31, 23) + timedelta(minutes=30))  # 07:30 UTC on 1 February
    reply = await ask(core, ana, "/leaderboard period=month")
    assert reply.title.startswith("Leaderboard · January 2026")
    # January: Cy's 4 January and 31 January (Los Angeles days), not Ana's 1 February.
    assert [(r.name, r.points) for r in board(reply)] == [("Cy", 1049), ("Ana", 300), ("Bob", 200)]
    clock.advance(timedelta(hours=1))
    reply = await ask(core, ana, "/leaderboard period=month")
    assert reply.title.startswith("Leaderboard · February 2026")
    assert board(reply) == [Row(1, "Ana", 40, True)]


async def test_channel_scope_counts_this_channel_server_scope_counts_all(
    core: Core, database: Database, clock: ManualClock
) -> None:
    workspace_id, ids = await setup(core, database, clock, ["ana", "bob", "cy"])
    today = date(2026, 1, 5)  # START is Monday 07:00 in Los Angeles
    now = clock.now()
    await score(database, workspace_id, ids["ana"], today, 100, now, channel="general")
    await score(database, workspace_id, ids["bob"], today, 150, now, channel="quiz-room")
    await score(database, workspace_id, ids["ana"], today, 120, now, channel="quiz-room")
    await score(database, workspace_id, ids["cy"], today, 90, now, channel="general")

    here = await ask(core, member("ana", "general"), "/leaderboard")  # default: this channel
    assert here.title.endswith("· this channel")
    assert [(r.name, r.points) for r in board(here)] == [("Ana", 100), ("Cy", 90)]
    room = await ask(core, member("ana", "quiz-room"), "/leaderboard scope=channel")
    assert [(r.name, r.points) for r in board(room)] == [("Bob", 150), ("Ana", 120)]
    server = await ask(core, member("cy", "quiz-room"), "/leaderboard scope=server")
    assert server.title.endswith("· whole server")
    assert [(r.name, r.points) for r in board(server)] == [("Ana", 220), ("Bob", 150), ("Cy", 90)]

    # Another workspace's points never show here.
    other = Context("test", "ws2", "general", "dee", "Dee", False)
    assert (await ask(core, other, "/leaderboard scope=server")).body.startswith("No points yet")


async def test_ties_go_to_whoever_reached_the_score_first(
    core: Core, database: Database, clock: ManualClock
) -> None:
    # Amy's row is made first, so an id or name order would put her ahead.
    workspace_id, ids = await setup(core, database, clock, ["amy", "zed", "bea"])
    monday, tuesday = date(2026, 1, 5), date(2026, 1, 6)
    clock.set(local(tuesday, 18))
    await score(database, workspace_id, ids["zed"], monday, 100, local(monday, 9))
    await score(database, workspace_id, ids["amy"], monday, 50, local(monday, 10))
    await score(database, workspace_id, ids["zed"], tuesday, 50, local(tuesday, 9))
    await score(database, workspace_id, ids["amy"], tuesday, 100, local(tuesday, 11))
    await score(database, workspace_id, ids["bea"], tuesday, 150, local(tuesday, 12))
    # Later wrong answers (no points) do not count as reaching the score later.
    await score(database, workspace_id, ids["zed"], tuesday, 0, local(tuesday, 17))
    await score(database, workspace_id, ids["zed"], monday, 0, local(tuesday, 17), "quiz-room")

    reply = await ask(core, member("bea"), "/leaderboard period=week scope=server")
    assert [(r.rank, r.name, r.points) for r in board(reply)] == [
        (1, "Zed", 150),  # 150 at Tuesday 09:00
        (2, "Amy", 150),  # 150 at Tuesday 11:00
        (3, "Bea", 150),  # 150 at Tuesday 12:00
    ]
    await score(database, workspace_id, ids["amy"], tuesday, 5, local(tuesday, 18))
    reply = await ask(core, member("bea"), "/leaderboard period=today scope=server")
    assert names(reply) == ["Bea", "Amy", "Zed"]  # today only: 150, 105, 50


async def test_the_caller_sees_their_own_rank_off_the_top_ten(
    core: Core, database: Database, clock: ManualClock
) -> None:
    people = [f"p{n:02d}" for n in range(1, 14)]  # 13 learners: p01 has most points
    workspace_id, ids = await setup(core, database, clock, [*people, "new"])
    today, now = date(2026, 1, 5), clock.now()
    for n, name in enumerate(people, start=1):
        await score(database, workspace_id, ids[name], today, 1000 - 10 * n, now)

    reply = await ask(core, member("p12"), "/leaderboard period=today")
    rows = board(reply)
    assert [row.rank for row in rows] == list(range(1, 11))
    assert [row.name for row in rows] == [f"P{n:02d}" for n in range(1, 11)]
    assert rows[0].points == 990 and not any(row.me for row in rows)
    assert reply.body.splitlines()[-1] == "You: #12 with 880 points."

    inside = await ask(core, member("p03"), "/leaderboard period=today")
    assert [row.name for row in board(inside) if row.me] == ["P03"]
    assert "You:" not in inside.body

    none = await ask(core, member("new"), "/leaderboard period=today")
    assert len(board(none)) == 10
    assert none.body.splitlines()[-1] == "You have no points here for this period yet."


async def test_ties_around_the_tenth_place_and_below_it(
    core: Core, database: Database, clock: ManualClock
) -> None:
    leaders = [f"p{n:02d}" for n in range(1, 9)]
    workspace_id, ids = await setup(core, database, clock, [*leaders, "t1", "t2", "t3", "u1", "u2"])
    today = date(2026, 1, 5)
    clock.set(local(today, 20))
    for n, name in enumerate(leaders, start=1):
        await score(database, workspace_id, ids[name], today, 1000 - 10 * n, local(today, 8))
    for name, hour in (("t2", 9), ("t3", 10), ("t1", 11)):  # 500 each: 9th, 10th, 11th
        await score(database, workspace_id, ids[name], today, 500, local(today, hour))
    for name, hour in (("u2", 12), ("u1", 13)):  # 300 each: 12th, 13th
        await score(database, workspace_id, ids[name], today, 300, local(today, hour))

    reply = await ask(core, member("t1"), "/leaderboard period=today")
    assert [(row.rank, row.name) for row in board(reply)][-3:] == [
        (8, "P08"),
        (9, "T2"),
        (10, "T3"),
    ]
    assert reply.body.splitlines()[-1] == "You: #11 with 500 points."
    reply = await ask(core, member("u1"), "/leaderboard period=today")
    assert reply.body.splitlines()[-1] == "You: #13 with 300 points."
    reply = await ask(core, member("u2"), "/leaderboard period=today")
    assert reply.body.splitlines()[-1] == "You: #12 with 300 points."
    reply = await ask(core, member("t3"), "/leaderboard period=today")
    assert [row.name for row in board(reply) if row.me] == ["T3"] and "You:" not in reply.body


async def test_ranks_match_a_plain_sort_of_everyone(
    core: Core, database: Database, clock: ManualClock
) -> None:
    """Random history with many ties: every caller's view equals sorting everyone by
    (points, when they reached them) by hand."""
    rng = random.Random(20260105)
    people = [f"l{n:02d}" for n in range(30)]
    workspace_id, ids = await setup(core, database, clock, people)
    monday = date(2026, 1, 5)
    clock.set(local(monday + timedelta(days=6), 23))
    totals: dict[tuple[str, str, date], list[Any]] = {}  # what add_points keeps per row
    for step in range(150):
        name = rng.choice(people)
        channel = rng.choice(("general", "quiz-room"))
        day = monday + timedelta(days=rng.randrange(-3, 7))
        points = rng.choice((0, 50, 100, 100, 150))
        at = local(monday - timedelta(days=3), 0) + timedelta(minutes=7 * step)
        await score(database, workspace_id, ids[name], day, points, at, channel)
        row = totals.setdefault((name, channel, day), [0, at])
        row[0] += points
        if points:
            row[1] = at

    def expected(scope_channel: str | None) -> list[tuple[str, int]]:
        per: dict[str, tuple[int, datetime]] = {}
        for (name, channel, day), (points, reached) in totals.items():
            if points and day >= monday and scope_channel in (None, channel):
                old_points, old_reached = per.get(name, (0, reached))
                per[name] = (old_points + points, max(old_reached, reached))
        ranked = sorted(per, key=lambda name: (-per[name][0], per[name][1], ids[name]))
        return [(name.title(), per[name][0]) for name in ranked]

    scopes: tuple[tuple[str, str | None], ...] = (("server", None), ("channel", "general"))
    for scope, asked_channel in scopes:
        everyone = expected(asked_channel)
        assert len(everyone) > 12
        for name in people:
            reply = await ask(
                core, member(name, asked_channel or "quiz-room"), f"/leaderboard scope={scope}"
            )
            assert [(row.name, row.points) for row in board(reply)] == everyone[:10]
            places = {who: place for place, (who, _) in enumerate(everyone, start=1)}
            place = places.get(name.title())
            last = reply.body.splitlines()[-1]
            if place is None:
                assert last == "You have no points here for this period yet."
            elif place > 10:
                assert last == f"You: #{place} with {everyone[place - 1][1]:,} points."
            else:
                assert [row.rank for row in board(reply) if row.me] == [place]


async def test_privacy_opt_out_shows_hidden_and_keeps_the_rank(
    core: Core, database: Database, clock: ManualClock
) -> None:
    workspace_id, ids = await setup(core, database, clock, ["ana", "bob"])
    now = clock.now()
    await score(database, workspace_id, ids["ana"], date(2026, 1, 5), 300, now)
    await score(database, workspace_id, ids["bob"], date(2026, 1, 5), 200, now)

    ana = Chat(core, member("ana"))
    await ana.say("/privacy leaderboard off")
    assert ana.replies[0].ephemeral and "hidden" in ana.replies[0].body
    seen_by_bob = await ask(core, member("bob"), "/leaderboard")
    assert board(seen_by_bob) == [Row(1, "(hidden)", 300, False), Row(2, "Bob", 200, True)]
    assert "Ana" not in seen_by_bob.body
    await ana.say("/privacy")
    assert "Your name is hidden" in ana.replies[0].body

    await ana.say("/privacy leaderboard on")
    assert "Your name is shown" in ana.replies[0].body
    assert names(await ask(core, member("bob"), "/leaderboard")) == ["Ana", "Bob"]

    # Someone with no learner row yet can opt out before their first answer.
    dee = Chat(core, member("dee"))
    await dee.say("/privacy leaderboard off")
    assert "Your name is hidden" in dee.replies[0].body
    await dee.say("/privacy")
    assert "Your name is hidden" in dee.replies[0].body


@pytest.mark.parametrize(
    ("who", "text", "words"),
    [
        ("channel", "/leaderboard period=yesterday", ["period", "today, week, month, all"]),
        ("channel", "/leaderboard scope=galaxy", ["scope", "channel, server", "galaxy"]),
        ("channel", "/leaderboard period=decade scope=everywhere", ["period", "scope"]),
        ("channel", "/leaderboard sort=points", ["sort", "period, scope"]),
        ("dm", "/leaderboard", ["belong to a server"]),
        ("channel", "/privacy leaderboard maybe", ["on", "off", "maybe"]),
        ("channel", "/privacy scores on", ["/privacy leaderboard off"]),
    ],
)
async def test_bad_options_give_one_clear_line_and_change_nothing(
    core: Core, database: Database, clock: ManualClock, who: str, text: str, words: list[str]
) -> None:
    workspace_id, ids = await setup(core, database, clock, ["ana"])
    await score(database, workspace_id, ids["ana"], date(2026, 1, 5), 100, clock.now())
    before = await snapshot(database)
    replies = await Chat(core, member("ana") if who == "channel" else context("ana")).say(text)
    assert len(replies) == 1 and replies[0].error and replies[0].ephemeral
    body = replies[0].body
    assert "\n" not in body
    for word in words:
        assert word in body, (word, body)
    assert await snapshot(database) == before
