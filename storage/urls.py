"""Database URLs: which ones we accept, and how they are shown without secrets."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

_DRIVERS = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "sqlite+aiosqlite": "sqlite",  # accepted for compatibility; SQLite runs on its own threads
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class DatabaseUrlError(ValueError):
    """A DATABASE_URL we cannot use; the message says why in one line."""


def parse_database_url(text: str) -> URL:
    """Parse and normalise: SQLite (any of its driver names) or PostgreSQL via asyncpg."""
    try:
        url = make_url(text.strip())
    except ArgumentError:
        raise DatabaseUrlError(
            f"DATABASE_URL {text!r} is not a database URL; "
            "expected sqlite:///./studybot.db or postgresql+asyncpg://user@host/db."
        ) from None
    driver = _DRIVERS.get(url.drivername)
    if driver is None:
        raise DatabaseUrlError(
            f"DATABASE_URL uses {url.drivername!r}; StudyBot supports sqlite "
            "and postgresql+asyncpg."
        )
    try:
        port = url.port
    except ValueError:
        port = -1
    if port is not None and not 1 <= port <= 65535:
        raise DatabaseUrlError("DATABASE_URL has a port outside 1-65535.")
    url = url.set(drivername=driver)
    if driver == "sqlite" and url.database in (None, "", ":memory:"):
        raise DatabaseUrlError(
            "DATABASE_URL must name a SQLite file (sqlite:///./studybot.db); "
            "in-memory databases are not shared between connections."
        )
    if driver == "postgresql+asyncpg" and not url.database:
        raise DatabaseUrlError("DATABASE_URL for PostgreSQL must name a database after the host.")
    return url


def safe_url(url: URL) -> str:
    """The URL as text with any password hidden, for messages and logs."""
    return url.render_as_string(hide_password=True)
