"""Runs in a separate OS process: one bot process trying to make a daily post."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from bot.clock import ManualClock
from bot.schedule.jobs import ScheduledWork
from bot.services import Services
from storage.database import open_database
from tests.challenge.support import RecordingOutbox


def post_daily_in_process(
    url: str, subscription_id: int, now: str, barrier: Barrier, results: Queue[object]
) -> None:
    asyncio.run(_post(url, subscription_id, datetime.fromisoformat(now), barrier, results))


async def _post(
    url: str, subscription_id: int, now: datetime, barrier: Barrier, results: Queue[object]
) -> None:
    database = await open_database(url)
    try:
        await database.read(lambda conn: conn.exec_driver_sql("SELECT 1").scalar())  # connected
        outbox = RecordingOutbox()
        work = ScheduledWork(Services(database, ManualClock(now), "UTC"), {"test": outbox})
        barrier.wait(timeout=60)  # both processes are ready: go together
        outcome = await work.post_daily(subscription_id, now)
        results.put((os.getpid(), outcome.status, len(outbox.challenges)))
    finally:
        await database.close()
