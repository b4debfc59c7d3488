"""One real APScheduler trigger a couple of seconds ahead, on the wall clock, posting
through the console adapter's Outbox."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import Connection

from adapters.console.app import PLATFORM, ConsoleApp
from bot.app import build_core
from bot.clock import SystemClock
from bot.outbox import MessageRef, Outbox
from bot.reply import Reply
from bot.schedule.times import clock_text
from storage.database import Database
from storage.models import SUBSCRIPTION
from tests.challenge.support import POOL_TOPIC, add_pool


class Announcing:
    """Passes posts to the console's Outbox and says when one has gone out."""

    def __init__(self, inner: Outbox) -> None:
        self.inner = inner
        self.posted = asyncio.Event()

    async def post(self, channel: str, reply: Reply) -> MessageRef:
        ref = await self.inner.post(channel, reply)
        self.posted.set()
        return ref

    async def edit(self, ref: MessageRef, reply: Reply) -> None:
        await self.inner.edit(ref, reply)

    async def dm(self, user: str, reply: Reply) -> MessageRef:
        return await self.inner.dm(user, reply)


async def test_a_real_trigger_posts_the_challenge_to_the_console(database: Database) -> None:
    core = build_core(database, SystemClock(), "UTC")
    await add_pool(core)
    out = io.StringIO()
    app = ConsoleApp(core, out=out)
    await app.send("/channel study")
    await app.send(f"/challenge subscribe timezone=UTC topic={POOL_TOPIC}")
    assert "Subscribed" in out.getvalue()
    due = (core.services.clock.now() + timedelta(seconds=2)).replace(microsecond=0)

    def at_due(conn: Connection) -> None:  # /challenge takes minutes; the row takes seconds
        conn.execute(
            sa.update(SUBSCRIPTION).values(post_time=clock_text(due.time()), updated_at=due)
        )

    await database.write(at_due)
    announcing = Announcing(app.outbox)
    core.outboxes[PLATFORM] = announcing
    await core.scheduler.start()
    try:
        (job_id,) = [job for job in core.scheduler.job_ids() if job.startswith("post:")]
        assert core.scheduler.next_run(job_id) == due
        await asyncio.wait_for(announcing.posted.wait(), timeout=30)
    finally:
        core.scheduler.shutdown()
    printed = out.getvalue()
    assert f"[#study]\nDaily challenge · {due:%a} {due.day} {due:%b}\nQuestion " in printed
    assert "[1] A  [2] B  [3] C  [4] D" in printed


async def test_jobs_are_rebuilt_when_a_subscription_changes(database: Database) -> None:
    core = build_core(database, SystemClock(), "UTC")
    await add_pool(core)
    app = ConsoleApp(core, out=io.StringIO())
    core.outboxes[PLATFORM] = app.outbox
    await app.send("/channel study")
    await core.scheduler.start()
    try:
        assert core.scheduler.job_ids() == []
        await app.send(f"/challenge subscribe time=10:00 timezone=Asia/Kolkata topic={POOL_TOPIC}")
        await core.scheduler.settle()
        post_job, weekly_job = core.scheduler.job_ids()
        assert (post_job[:5], weekly_job[:7]) == ("post:", "weekly:")
        fire = core.scheduler.next_run(post_job)
        assert fire.astimezone(ZoneInfo("Asia/Kolkata")).strftime("%H:%M") == "10:00"

        await app.send("/challenge subscribe time=07:15 weekly=off")
        await core.scheduler.settle()
        assert core.scheduler.job_ids() == [post_job]
        fire = core.scheduler.next_run(post_job)
        assert fire.astimezone(ZoneInfo("Asia/Kolkata")).strftime("%H:%M") == "07:15"

        await app.send("/challenge unsubscribe")
        await core.scheduler.settle()
        assert core.scheduler.job_ids() == []
    finally:
        core.scheduler.shutdown()
