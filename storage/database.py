"""Engines and the transaction runner.

Every use case is one transaction: `Database.write(fn)` runs `fn(conn)` inside one.

SQLite allows one writer at a time, so writes go through one writer task that
gathers whatever use cases are waiting into a single transaction, each inside its
own SAVEPOINT (a failure rolls back only its own work) and commits once (group
commit). The commit, not the SQL, is the cost of a write; sharing it is what makes
hundreds of concurrent reviews a second possible. Writes begin with
`BEGIN IMMEDIATE` so read-check-write is atomic across processes too.

PostgreSQL runs each use case in its own pooled transaction; correctness under
concurrency comes from unique constraints and conditional updates, and a
serialization failure or deadlock is retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from storage.urls import parse_database_url, safe_url

T = TypeVar("T")
Work = Callable[[AsyncConnection], Awaitable[T]]

log = logging.getLogger(__name__)

_READ_OPTION = "studybot_read"
_MAX_BATCH = 512
_PG_RETRIES = 5
_PG_RETRY_CODES = {"40001", "40P01"}


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or opened; the message names it without secrets."""


@dataclass
class _Job:
    work: Work[Any]
    future: asyncio.Future[Any]


@dataclass
class Database:
    """One database: SQLite (file, WAL) or PostgreSQL."""

    url: URL
    engine: AsyncEngine
    _queue: asyncio.Queue[_Job] | None = field(default=None, repr=False)
    _writer: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    async def read(self, work: Work[T]) -> T:
        """Run read-only work on a consistent snapshot."""
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(**{_READ_OPTION: True})
            async with conn.begin():
                return await work(conn)

    async def write(self, work: Work[T]) -> T:
        """Run `work` as one transaction; its changes are durable when this returns."""
        if self.is_sqlite:
            return await self._write_sqlite(work)
        return await self._write_postgresql(work)

    async def _write_postgresql(self, work: Work[T]) -> T:
        for attempt in range(_PG_RETRIES):
            try:
                async with self.engine.begin() as conn:
                    return await work(conn)
            except DBAPIError as exc:
                code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
                if code not in _PG_RETRY_CODES or attempt == _PG_RETRIES - 1:
                    raise
                log.debug("Retrying a transaction after %s (attempt %d).", code, attempt + 1)
        raise AssertionError("unreachable")

    async def _write_sqlite(self, work: Work[T]) -> T:
        loop = asyncio.get_running_loop()
        if self._queue is None or self._writer is None or self._writer.done():
            self._queue = asyncio.Queue()
            self._writer = loop.create_task(self._write_loop(self._queue), name="sqlite-writer")
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put_nowait(_Job(work, future))
        return await future

    async def _write_loop(self, queue: asyncio.Queue[_Job]) -> None:
        async with self.engine.connect() as conn:
            while True:
                batch = [await queue.get()]
                while not queue.empty() and len(batch) < _MAX_BATCH:
                    batch.append(queue.get_nowait())
                await self._run_batch(conn, batch)

    async def _run_batch(self, conn: AsyncConnection, batch: list[_Job]) -> None:
        results: list[tuple[_Job, Any]] = []
        try:
            await conn.begin()
            for job in batch:
                savepoint = await conn.begin_nested()
                try:
                    result = await job.work(conn)
                except BaseException as exc:  # the job's own failure; others go on
                    await savepoint.rollback()
                    if not job.future.done():
                        job.future.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                await savepoint.commit()
                results.append((job, result))
            await conn.commit()
        except Exception as exc:
            with contextlib.suppress(Exception):
                await conn.rollback()
            for job in batch:
                if not job.future.done():
                    job.future.set_exception(exc)
            return
        for job, result in results:
            if not job.future.done():
                job.future.set_result(result)

    async def close(self) -> None:
        """Stop the writer and dispose of the engine."""
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
            self._writer = None
        await self.engine.dispose()


def _install_sqlite_hooks(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        readonly = conn.get_execution_options().get(_READ_OPTION, False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def create_engine_for(url: URL, *, pool_size: int = 10) -> AsyncEngine:
    """An async engine configured for the dialect."""
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url, pool_size=pool_size, max_overflow=20)
        _install_sqlite_hooks(engine)
        return engine
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size * 2,
        pool_pre_ping=True,
        connect_args={"timeout": 5},
    )


async def open_database(url_text: str, *, pool_size: int = 10) -> Database:
    """Open and check a database; raises DatabaseUnavailable with one clear line."""
    url = parse_database_url(url_text)
    engine = create_engine_for(url, pool_size=pool_size)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (OSError, OperationalError, InterfaceError, DBAPIError, TimeoutError) as exc:
        await engine.dispose()
        reason = _first_line(exc.orig if isinstance(exc, DBAPIError) else exc)
        message = f"Cannot reach the database at {safe_url(url)}: {reason}"
        raise DatabaseUnavailable(message) from None
    return Database(url=url, engine=engine)


def _first_line(exc: BaseException | None) -> str:
    message = str(exc).strip().splitlines()[0] if exc is not None and str(exc).strip() else ""
    return message or type(exc).__name__
