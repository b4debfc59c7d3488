"""What every use case may reach: the database, the clock and a few settings."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from storage.database import Database


@dataclass(frozen=True)
class Services:
    """Passed explicitly to every handler; nothing is reached through globals."""

    database: Database
    clock: Clock
    default_timezone: str = "UTC"
