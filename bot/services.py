"""What every use case may reach: the database, the clock and a few settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.clock import Clock
from storage.database import Database


@dataclass
class Signals:
    """In-process notices from use cases to long-running parts (the scheduler); other
    processes notice the same changes by polling the rows."""

    listeners: list[Callable[[], None]] = field(default_factory=list)

    def schedule_changed(self) -> None:
        for listener in self.listeners:
            listener()


@dataclass(frozen=True)
class Services:
    """Passed explicitly to every handler; nothing is reached through globals."""

    database: Database
    clock: Clock
    default_timezone: str = "UTC"
    signals: Signals = field(default_factory=Signals)
