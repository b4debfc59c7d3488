"""Fan-out benchmark: 10,000 channels whose daily challenge falls due at the same moment.

Through the real Scheduler (APScheduler's AsyncIOScheduler and our triggers), the real
job bodies and SQLite (WAL) with the bundled question bank, 10,000 subscriptions
(one workspace each, as 10,000 servers) are all due at one instant a few seconds
ahead. Two runs:

1. Unlimited Outbox: how long the scheduler and the database take per post when the
   platform never makes us wait (its own overhead: claim, pick the item, render,
   record the message id).
2. An Outbox double that enforces 50 requests/s, as a platform's rate limit does
   (callers wait for their slot, as discord.py and slack-sdk do): 10,000 posts cannot
   finish in under 200 s. Target: all posted within 5% of that bound (<= 210 s).

The overhead per post is the unlimited run's time divided by the posts; it must stay
under the rate limit's interval (20 ms at 50/s), or the bot, not the platform, would
be what makes channels wait.

Run: `python -m bench.fanout [--subscriptions N] [--rate R] [--out FILE]`.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Connection

from bench.study import Target, percentile
from bot.app import build_core
from bot.clock import SystemClock
from bot.outbox import MessageRef
from bot.reply import Reply
from bot.schedule.times import clock_text
from questions.importer import sync_bundled_packs
from storage import migrate
from storage.database import Database, open_database
from storage.models import CHALLENGE, SUBSCRIPTION, WORKSPACE

PLATFORM = "bench"
LEAD_SECONDS = 8.0
SLACK = 1.05


@dataclass
class PacedOutbox:
    """Records every post; with `rate`, each call waits for its slot (1/rate apart)."""

    expected: int
    rate: float | None = None
    done_at: list[float] = field(default_factory=list)
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    _next_slot: float = 0.0

    async def _wait_turn(self) -> None:
        if self.rate is None:
            return
        now = time.monotonic()
        slot = max(now, self._next_slot)
        self._next_slot = slot + 1.0 / self.rate
        if slot > now:
            await asyncio.sleep(slot - now)  # the platform's rate limit, not a test wait

    async def post(self, channel: str, reply: Reply) -> MessageRef:
        await self._wait_turn()
        self.done_at.append(time.monotonic())
        if len(self.done_at) == self.expected:
            self.finished.set()
        return MessageRef(channel, str(len(self.done_at)))

    async def edit(self, ref: MessageRef, reply: Reply) -> None:
        await self._wait_turn()

    async def dm(self, user: str, reply: Reply) -> MessageRef:
        await self._wait_turn()
        return MessageRef(user, "dm")


async def create_subscriptions(database: Database, count: int, now: datetime) -> None:
    def work(conn: Connection) -> None:
        conn.execute(
            WORKSPACE.insert(),
            [
                {"platform": PLATFORM, "external_id": f"guild{n}", "created_at": now}
                for n in range(count)
            ],
        )
        ids = dict(
            conn.execute(
                sa.select(WORKSPACE.c.external_id, WORKSPACE.c.id).where(
                    WORKSPACE.c.platform == PLATFORM
                )
            ).all()
        )
        conn.execute(
            SUBSCRIPTION.insert(),
            [
                {
                    "platform": PLATFORM,
                    "workspace_id": ids[f"guild{n}"],
                    "channel": f"channel{n}",
                    "post_time": "00:00",
                    "timezone": "UTC",
                    "topic": "",
                    "close_after_minutes": 720,
                    "status": "active",
                    "failures": 0,
                    "last_error": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(count)
            ],
        )

    await database.write(work)


async def due_all_at(database: Database, due: datetime) -> None:
    """Every subscription due at `due` (seconds precision), with no challenge yet."""

    def work(conn: Connection) -> None:
        conn.execute(CHALLENGE.delete())
        conn.execute(SUBSCRIPTION.update().values(post_time=clock_text(due.time()), updated_at=due))

    await database.write(work)


async def recorded(database: Database) -> int:
    def work(conn: Connection) -> int:
        query = sa.select(sa.func.count()).where(CHALLENGE.c.message_id != "")
        return int(conn.execute(query).scalar_one())

    return await database.read(work)


async def progress(outbox: PacedOutbox, label: str) -> None:
    started = time.monotonic()
    while not outbox.finished.is_set():
        await asyncio.sleep(10)
        print(
            f"  {label}: {len(outbox.done_at):,} / {outbox.expected:,} posted "
            f"({time.monotonic() - started:.0f} s)",
            file=sys.stderr,
            flush=True,
        )


async def one_run(
    core_db: Database, count: int, rate: float | None, label: str
) -> tuple[float, list[float], float]:
    """(seconds from the due instant to the last post, per-post finish times, start-up s)"""
    core = build_core(core_db, SystemClock(), "UTC")
    outbox = PacedOutbox(count, rate)
    core.outboxes[PLATFORM] = outbox
    due = (datetime.now(UTC) + timedelta(seconds=LEAD_SECONDS)).replace(microsecond=0)
    await due_all_at(core_db, due)
    ended = 0
    all_ended = asyncio.Event()

    def job_ended(job_id: str) -> None:
        nonlocal ended
        if job_id.startswith("post:"):
            ended += 1
            if ended == count:
                all_ended.set()

    core.scheduler.job_watchers.append(job_ended)
    began = time.monotonic()
    await core.scheduler.start()
    startup = time.monotonic() - began
    if len(core.scheduler.job_ids()) != count:
        raise SystemExit(f"Expected {count:,} jobs, found {len(core.scheduler.job_ids()):,}.")
    due_monotonic = time.monotonic() + (due - datetime.now(UTC)).total_seconds()
    if due_monotonic <= time.monotonic():
        raise SystemExit(f"Start-up took {startup:.1f} s, past the due instant; raise the lead.")
    reporter = asyncio.get_running_loop().create_task(progress(outbox, label))
    try:
        await asyncio.wait_for(all_ended.wait(), timeout=count / (rate or 50) * 3 + 120)
        if await recorded(core_db) != count or len(outbox.done_at) != count:
            raise SystemExit("Not every subscription was posted exactly once.")
    finally:
        reporter.cancel()
        core.scheduler.shutdown()
    return outbox.done_at[-1] - due_monotonic, [t - due_monotonic for t in outbox.done_at], startup


async def run(count: int, rate: float) -> list[str]:
    with tempfile.TemporaryDirectory() as directory:
        database = await open_database(f"sqlite:///{Path(directory) / 'fanout.db'}")
        try:
            await migrate.upgrade(database)
            print("Importing the bundled question bank...", file=sys.stderr, flush=True)
            now = datetime.now(UTC)
            await sync_bundled_packs(database, now)
            await create_subscriptions(database, count, now)
            print(f"Unlimited run: {count:,} posts...", file=sys.stderr, flush=True)
            free_total, free_times, free_startup = await one_run(database, count, None, "free")
            print(f"Rate-limited run at {rate:g}/s...", file=sys.stderr, flush=True)
            paced_total, _, paced_startup = await one_run(database, count, rate, "paced")
        finally:
            await database.close()
    bound = count / rate
    per_post_ms = free_total / count * 1000
    lines = [
        f"StudyBot fan-out benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Python {platform.python_version()} on {platform.machine()}, SQLite (WAL), "
        "bundled question bank",
        f"{count:,} subscriptions (one workspace each) due at the same instant, "
        "through APScheduler and the real job bodies",
        "",
        f"unlimited Outbox: all posted {free_total:.1f} s after the due instant "
        f"(start-up before it: {free_startup:.1f} s)",
        f"  scheduler + database overhead per post: {per_post_ms:.2f} ms "
        f"(first post +{free_times[0] * 1000:.0f} ms, "
        f"median +{statistics.median(free_times):.1f} s, "
        f"p99 +{percentile(free_times, 0.99):.1f} s)",
        f"Outbox limited to {rate:g} requests/s: all posted {paced_total:.1f} s after the "
        f"due instant; the rate limit alone needs {bound:.0f} s "
        f"(start-up before it: {paced_startup:.1f} s)",
        "",
        Target(
            f"time to post {count:,} at {rate:g}/s", paced_total, "s", bound * SLACK, False
        ).line(),
        Target("scheduler overhead per post", per_post_ms, "ms", 1000 / rate, False).line(),
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=50.0, help="Outbox requests per second")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    report = "\n".join(asyncio.run(run(args.subscriptions, args.rate))) + "\n"
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
