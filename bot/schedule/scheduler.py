"""APScheduler wiring: one job per subscription (daily post, weekly board), rebuilt from
the rows at start and whenever a subscription changes, plus three sweeps.

Choices made on purpose (APScheduler's defaults would lose posts):
- every trigger carries the channel's IANA zone (`LocalTimeTrigger`);
- a post job's misfire grace time is its challenge window: a run delayed by a busy
  loop or a suspended machine still posts while learners could answer, and the job
  body re-checks the window anyway;
- coalesce: a backlog of missed runs becomes one run (one post per local date);
- max_instances 1 per job;
- a restart is handled by `ScheduledWork.catch_up`, not by APScheduler (its jobs live
  in memory).
Changes made by another process are noticed by polling a fingerprint of the rows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.challenge import store
from bot.schedule.jobs import WEEKLY_WINDOW, ScheduledWork
from bot.schedule.trigger import LocalTimeTrigger

log = logging.getLogger(__name__)
SWEEP_GRACE_SECONDS = 30


@dataclass
class Scheduler:
    """Owns the AsyncIOScheduler; `start` must run inside the running event loop."""

    work: ScheduledWork
    reveal_seconds: float = 5.0
    reminder_seconds: float = 60.0
    sync_seconds: float = 15.0
    _aps: AsyncIOScheduler | None = field(default=None, init=False)
    _fingerprint: Any = field(default=None, init=False)
    _triggers: dict[str, str] = field(default_factory=dict, init=False)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set, init=False)
    job_watchers: list[Callable[[str], None]] = field(default_factory=list)
    """Called with a job's id each time a run of it ends (benchmarks, diagnostics)."""

    @property
    def running(self) -> bool:
        return self._aps is not None

    async def start(self) -> None:
        """Catch up on what a restart missed, then schedule every subscription."""
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        self._aps = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": SWEEP_GRACE_SECONDS,
            },
        )
        self._aps.add_listener(self._job_ended, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        self._aps.start()
        self.work.services.signals.listeners.append(self.request_sync)
        await self.work.catch_up(self.work.services.clock.now())
        await self.sync(force=True)
        self._sweep("sweep:reveals", self.reveal_seconds, self._reveals)
        self._sweep("sweep:reminders", self.reminder_seconds, self._reminders)
        self._sweep("sweep:subscriptions", self.sync_seconds, self.sync)

    def _job_ended(self, event: Any) -> None:
        for watcher in self.job_watchers:
            watcher(str(event.job_id))

    def shutdown(self) -> None:
        if self.request_sync in self.work.services.signals.listeners:
            self.work.services.signals.listeners.remove(self.request_sync)
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        for task in self._tasks:
            task.cancel()

    def _sweep(self, job_id: str, seconds: float, job: Callable[[], Awaitable[None]]) -> None:
        assert self._aps is not None
        self._aps.add_job(job, IntervalTrigger(seconds=seconds), id=job_id, replace_existing=True)

    def request_sync(self) -> None:
        """A subscription changed in this process: rebuild the jobs now."""
        if self._aps is None:
            return
        task = asyncio.get_running_loop().create_task(self.sync(force=True))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settle(self) -> None:
        """Wait for rebuilds requested so far (tests and orderly shutdowns)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))

    def job_ids(self) -> list[str]:
        """The subscription jobs now scheduled ("post:<id>", "weekly:<id>")."""
        return sorted(self._triggers)

    def next_run(self, job_id: str) -> Any:
        """When APScheduler will next run a job (None if there is no such job)."""
        job = self._aps.get_job(job_id) if self._aps is not None else None
        return None if job is None else job.next_run_time

    async def sync(self, force: bool = False) -> None:
        """Make the jobs match the active subscriptions (ours: platforms with an Outbox)."""
        if self._aps is None:
            return
        database = self.work.services.database
        fingerprint = await database.read(store.fingerprint)
        if fingerprint == self._fingerprint and not force:
            return
        self._fingerprint = fingerprint
        subscriptions = await database.read(store.active_subscriptions)
        wanted: dict[str, tuple[LocalTimeTrigger, Callable[..., Awaitable[Any]], int, int]] = {}
        for sub in subscriptions:
            if sub.platform not in self.work.outboxes:
                continue
            grace = sub.close_after_minutes * 60
            wanted[f"post:{sub.id}"] = (
                LocalTimeTrigger(sub.post_time, sub.zone),
                self._post,
                sub.id,
                grace,
            )
            if sub.weekly_day is not None and sub.weekly_time is not None:
                wanted[f"weekly:{sub.id}"] = (
                    LocalTimeTrigger(sub.weekly_time, sub.zone, sub.weekly_day),
                    self._weekly,
                    sub.id,
                    int(WEEKLY_WINDOW.total_seconds()),
                )
        aps = self._aps
        for job_id in list(self._triggers):
            if job_id not in wanted:
                aps.remove_job(job_id)
                del self._triggers[job_id]
        for job_id, (trigger, function, sub_id, grace) in wanted.items():
            key = f"{trigger}|{grace}"
            if self._triggers.get(job_id) == key:
                continue
            aps.add_job(
                function,
                trigger,
                args=(sub_id,),
                id=job_id,
                misfire_grace_time=grace,
                replace_existing=True,
            )
            self._triggers[job_id] = key
        log.info("Scheduler: %d subscription job(s).", len(self._triggers))

    async def _post(self, subscription_id: int) -> None:
        try:
            await self.work.post_daily(subscription_id, self.work.services.clock.now())
        except Exception:
            log.exception("Daily post for subscription %d failed", subscription_id)

    async def _weekly(self, subscription_id: int) -> None:
        try:
            await self.work.post_weekly(subscription_id, self.work.services.clock.now())
        except Exception:
            log.exception("Weekly board for subscription %d failed", subscription_id)

    async def _reveals(self) -> None:
        try:
            await self.work.reveal_due(self.work.services.clock.now())
        except Exception:
            log.exception("Challenge reveal sweep failed")

    async def _reminders(self) -> None:
        try:
            await self.work.send_reminders(self.work.services.clock.now())
        except Exception:
            log.exception("Reminder sweep failed")
