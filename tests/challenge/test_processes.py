"""Two OS processes against one database both try to make the same daily post: the
unique (channel, local date) row lets exactly one of them post."""

from __future__ import annotations

import multiprocessing
from datetime import date, time

from bot.app import Core
from bot.clock import ManualClock
from tests.challenge.process_worker import post_daily_in_process
from tests.challenge.support import POOL_TOPIC, add_pool, local, moderator, subscription
from tests.helpers import count


async def test_two_processes_released_together_post_once(
    core: Core, clock: ManualClock, database_url: str
) -> None:
    await add_pool(core)
    chat = moderator(core)
    await chat.say(f"/challenge subscribe time=09:00 timezone=America/New_York topic={POOL_TOPIC}")
    sub = await subscription(core)
    now = local(date(2026, 1, 5), time(9, 0))
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2)
    results = spawn.Queue()
    processes = [
        spawn.Process(
            target=post_daily_in_process,
            args=(database_url, sub.id, now.isoformat(), barrier, results),
        )
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    pids = {pid for pid, _, _ in outcomes}
    assert len(pids) == 2  # both processes tried
    assert sorted(status for _, status, _ in outcomes) == ["exists", "posted"]
    assert sum(posts for _, _, posts in outcomes) == 1  # exactly one posted
    assert await count(core.database, "daily_challenge") == 1
