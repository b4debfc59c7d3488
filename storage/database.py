"""Engines and the transaction runner.

Every use case is one transaction: `await database.write(work)` runs the plain,
synchronous `work(conn)` inside one; `read(work)` runs it on a consistent snapshot.
Use-case SQL is written once, as synchronous SQLAlchemy Core over a `Connection`;
the database decides how to run it:

- SQLite runs it on threads of its own with the standard `sqlite3` driver. An
  async driver (aiosqlite) pays a thread round trip per statement, measured at
  ~300 us against ~15 us here, which capped a review at ~110/s. Writes go through
  one writer thread that gathers whatever use cases are waiting into a single
  transaction, each inside its own SAVEPOINT (a failure rolls back only its own
  work), and commits once (group commit). Writes begin with `BEGIN IMMEDIATE`, so
  read-check-write is atomic across processes too; reads use a small pool. A batch
  stops taking jobs after ~20 ms of work, and background writes (scheduled posts)
  wait behind interactive ones, so a click is not stuck behind a 10,000-channel
  fan-out.
- PostgreSQL runs it through asyncpg (`AsyncConnection.run_sync`), one pooled
  transaction per use case; unique constraints and conditional updates make
  concurrent use cases safe, and serialization failures or deadlocks are retried.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.urls import parse_database_url, safe_url

T = TypeVar("T")
Work = Callable[[Connection], T]

log = logging.getLogger(__name__)

_READ_OPTION = "studybot_read"
_MAX_BATCH = 512
_BATCH_SECONDS = 0.02
_PG_RETRIES = 5
_PG_RETRY_CODES = {"40001", "40P01"}


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or opened; the message names it without secrets."""


class Database:
    """One database, SQLite or PostgreSQL, behind the same two calls."""

    url: URL

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        raise NotImplementedError

    async def read(self, work: Work[T]) -> T:
        """Run read-only work on a consistent snapshot."""
        raise NotImplementedError

    async def write(self, work: Work[T], background: bool = False) -> T:
        """Run `work` as one transaction; its changes are committed when this returns.
        `background` work (scheduled fan-out) yields to interactive work where the
        database serialises writers."""
        raise NotImplementedError

    async def run_isolated(self, work: Work[T]) -> T:
        """Run `work` on a connection of its own that manages its own transaction
        (migrations); committed afterwards."""
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError


@dataclass
class _Job:
    work: Work[Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


def _deliver(job: _Job, result: Any = None, error: BaseException | None = None) -> None:
    def settle() -> None:
        if job.future.done():
            return
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(result)

    job.loop.call_soon_threadsafe(settle)


def _in_savepoint(driver: Any, conn: Connection, job: _Job, done: list[tuple[_Job, Any]]) -> None:
    """Run one job of a batch; its own failure rolls back only its own work."""
    driver.execute("SAVEPOINT job")
    try:
        result = job.work(conn)
    except Exception as exc:
        driver.execute("ROLLBACK TO job")
        driver.execute("RELEASE job")
        _deliver(job, error=exc)
        return
    driver.execute("RELEASE job")
    done.append((job, result))


class _Lanes:
    """The writer's queue: interactive jobs first, then background ones; None closes."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._interactive: deque[_Job] = deque()
        self._background: deque[_Job] = deque()
        self._closed = False

    def put(self, job: _Job | None, background: bool = False) -> None:
        with self._ready:
            if job is None:
                self._closed = True
            elif background:
                self._background.append(job)
            else:
                self._interactive.append(job)
            self._ready.notify()

    def _take(self) -> _Job | None:
        if self._interactive:
            return self._interactive.popleft()
        if self._background:
            return self._background.popleft()
        return None

    def get(self) -> _Job | None:
        """The next job, waiting for one; None once closed and drained."""
        with self._ready:
            while True:
                job = self._take()
                if job is not None or self._closed:
                    return job
                self._ready.wait()

    def get_nowait(self) -> _Job | None:
        with self._ready:
            return self._take()


@dataclass
class SqliteDatabase(Database):
    """SQLite in WAL mode, driven from threads (see the module docstring)."""

    url: URL
    engine: Engine
    readers: int = 4
    _jobs: _Lanes = field(default_factory=_Lanes)
    _writer: threading.Thread | None = None
    _pool: ThreadPoolExecutor | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _local: threading.local = field(default_factory=threading.local)
    _readers: list[Connection] = field(default_factory=list)

    @property
    def dialect(self) -> str:
        return "sqlite"

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.readers, thread_name_prefix="sqlite-read")
        return self._pool

    def _read_now(self, work: Work[T]) -> T:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:  # each reader thread keeps one connection: no pool round trip
            conn = self.engine.connect().execution_options(**{_READ_OPTION: True})
            self._local.conn = conn
            self._readers.append(conn)
        with conn.begin():
            return work(conn)

    async def read(self, work: Work[T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), self._read_now, work)

    async def write(self, work: Work[T], background: bool = False) -> T:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_loop, name="sqlite-writer", daemon=True
                )
                self._writer.start()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put(_Job(work, future, loop), background)
        return await future

    def _write_loop(self) -> None:
        while True:
            try:
                with self.engine.connect() as conn:
                    self._serve(conn)
                    return
            except Exception as exc:  # cannot connect: the next job gets the error, not a hang
                log.error("The SQLite writer cannot connect: %s", exc)
                job = self._jobs.get()
                if job is None:
                    return
                _deliver(job, error=exc)

    def _serve(self, conn: Connection) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            self._run_batch(conn, first)

    def _run_batch(self, conn: Connection, first: _Job) -> None:
        """`first` and whatever else is waiting, up to ~20 ms of work or 512 jobs, in
        one transaction, each job in its own savepoint; one commit for all."""
        done: list[tuple[_Job, Any]] = []
        ran = [first]
        started = time.monotonic()
        try:
            with conn.begin():
                following = self._jobs.get_nowait()
                if following is None:  # a lone job needs no savepoint: its failure is the batch's
                    done.append((first, first.work(conn)))
                else:
                    driver = conn.connection.driver_connection
                    assert driver is not None
                    job: _Job | None = first
                    while job is not None:
                        _in_savepoint(driver, conn, job, done)
                        if following is not None:
                            job, following = following, None
                        elif len(ran) < _MAX_BATCH and time.monotonic() - started <= _BATCH_SECONDS:
                            job = self._jobs.get_nowait()
                        else:
                            job = None
                        if job is not None:
                            ran.append(job)
        except Exception as exc:
            failed = [job for job, _ in done] if len(ran) > 1 else ran
            for failed_job in failed:
                _deliver(failed_job, error=exc)
            return
        for finished, result in done:
            _deliver(finished, result)

    async def run_isolated(self, work: Work[T]) -> T:
        def run() -> T:
            with self.engine.connect() as conn:
                result = work(conn)
                conn.commit()
                return result

        return await asyncio.get_running_loop().run_in_executor(self._executor(), run)

    async def close(self) -> None:
        writer = self._writer
        if writer is not None:
            self._jobs.put(None)
            await asyncio.get_running_loop().run_in_executor(None, writer.join)
            self._writer = None
            self._jobs = _Lanes()  # a later write starts a fresh writer on an open queue
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        for conn in self._readers:
            conn.close()
        self._readers.clear()
        self.engine.dispose()


@dataclass
class PostgresDatabase(Database):
    """PostgreSQL through asyncpg; the same synchronous work runs via run_sync."""

    url: URL
    engine: AsyncEngine
    background_slots: int = 5
    _background: asyncio.Semaphore | None = None

    @property
    def dialect(self) -> str:
        return "postgresql"

    async def read(self, work: Work[T]) -> T:
        async with self.engine.connect() as conn, conn.begin():
            return await conn.run_sync(work)

    async def write(self, work: Work[T], background: bool = False) -> T:
        if not background:
            return await self._write(work)
        if self._background is None:  # background work may hold only a few connections
            self._background = asyncio.Semaphore(self.background_slots)
        async with self._background:
            return await self._write(work)

    async def _write(self, work: Work[T]) -> T:
        for attempt in range(_PG_RETRIES):
            try:
                async with self.engine.begin() as conn:
                    return await conn.run_sync(work)
            except DBAPIError as exc:
                code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
                if code not in _PG_RETRY_CODES or attempt == _PG_RETRIES - 1:
                    raise
                log.debug("Retrying a transaction after %s (attempt %d).", code, attempt + 1)
        raise AssertionError("unreachable")

    async def run_isolated(self, work: Work[T]) -> T:
        async with self.engine.connect() as conn:
            result = await conn.run_sync(work)
            await conn.commit()
            return result

    async def close(self) -> None:
        await self.engine.dispose()


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        readonly = conn.get_execution_options().get(_READ_OPTION, False)
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute("BEGIN" if readonly else "BEGIN IMMEDIATE")


def _first_line(exc: BaseException | None) -> str:
    message = str(exc).strip().splitlines()[0] if exc is not None and str(exc).strip() else ""
    return message or type(exc).__name__


def _unavailable(url: URL, exc: BaseException) -> DatabaseUnavailable:
    reason = _first_line(exc.orig if isinstance(exc, DBAPIError) else exc)
    return DatabaseUnavailable(f"Cannot reach the database at {safe_url(url)}: {reason}")


async def open_database(url_text: str, *, pool_size: int = 10) -> Database:
    """Open and check a database; raises DatabaseUnavailable with one clear line."""
    url = parse_database_url(url_text)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url.set(drivername="sqlite+pysqlite"),
            pool_size=pool_size,
            max_overflow=pool_size,
            connect_args={"check_same_thread": False},
        )
        _install_sqlite_hooks(engine)
        database = SqliteDatabase(url=url, engine=engine)
        try:
            await database.read(lambda conn: conn.execute(text("SELECT 1")).scalar())
        except (OSError, DBAPIError) as exc:
            await database.close()
            raise _unavailable(url, exc) from None
        return database
    async_engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size * 2,
        pool_pre_ping=True,
        connect_args={"timeout": 5},
    )
    try:
        async with async_engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (OSError, DBAPIError, TimeoutError) as exc:
        await async_engine.dispose()
        raise _unavailable(url, exc) from None
    return PostgresDatabase(url=url, engine=async_engine, background_slots=max(1, pool_size // 2))
