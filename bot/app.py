"""Start the core: open the database, migrate it, refresh the bundled packs."""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.dispatch import Dispatcher
from bot.outbox import Outbox
from bot.quiz.runner import QuizRunner
from bot.registry import ACTIONS, COMMANDS
from bot.schedule.jobs import ScheduledWork
from bot.schedule.scheduler import Scheduler
from bot.services import Services
from questions.importer import sync_bundled_packs
from storage import migrate
from storage.database import Database, open_database

log = logging.getLogger(__name__)


@dataclass
class Core:
    """Everything an adapter needs: the dispatcher and the services behind it."""

    services: Services
    dispatcher: Dispatcher
    quiz: QuizRunner
    scheduler: Scheduler

    @property
    def outboxes(self) -> dict[str, Outbox]:
        """Where adapters register their Outbox; quizzes and the scheduler share it."""
        return self.quiz.outboxes

    @property
    def database(self) -> Database:
        return self.services.database

    async def close(self) -> None:
        self.scheduler.shutdown()
        await self.services.database.close()


def build_core(
    database: Database, clock: Clock, default_timezone: str, help_extra: tuple[str, ...] = ()
) -> Core:
    """Wire a core around an open, migrated database."""
    services = Services(database=database, clock=clock, default_timezone=default_timezone)
    outboxes: dict[str, Outbox] = {}
    return Core(
        services,
        Dispatcher(services, COMMANDS, ACTIONS, help_extra),
        QuizRunner(services, outboxes),
        Scheduler(ScheduledWork(services, outboxes)),
    )


async def start_core(
    settings: Settings, clock: Clock | None = None, help_extra: tuple[str, ...] = ()
) -> Core:
    """Open, upgrade and fill the database; raises with one clear line when it cannot."""
    clock = clock or SystemClock()
    database = await open_database(settings.database_url)
    try:
        await migrate.upgrade(database)
        if settings.bundled_packs:
            for result in await sync_bundled_packs(database, clock.now()):
                if result.changed:
                    log.info(
                        "Pack %s: %d added, %d updated, %d retired.",
                        result.pack_id,
                        result.added,
                        result.updated,
                        result.retired,
                    )
    except BaseException:
        await database.close()
        raise
    settle_heap()
    return build_core(database, clock, settings.default_timezone, help_extra)


def settle_heap() -> None:
    """Collect start-up garbage (pack imports) and freeze what remains: modules, models
    and tables live for the whole run, and leaving them out of later collections keeps
    the occasional full collection from pausing every answer behind it."""
    gc.collect()
    gc.freeze()
