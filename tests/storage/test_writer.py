"""The SQLite write path: group commit keeps each use case its own transaction."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Connection

from storage.database import SqliteDatabase, open_database


async def test_a_failing_use_case_rolls_back_alone(tmp_path: Path) -> None:
    database = await open_database(f"sqlite:///{tmp_path / 'w.db'}")
    assert isinstance(database, SqliteDatabase)
    try:
        await database.write(lambda conn: conn.exec_driver_sql("CREATE TABLE t (v INTEGER)"))

        def good(value: int) -> Callable[[Connection], None]:
            def work(conn: Connection) -> None:
                conn.execute(sa.text("INSERT INTO t VALUES (:v)"), {"v": value})

            return work

        def bad(conn: Connection) -> None:
            conn.execute(sa.text("INSERT INTO t VALUES (99)"))
            raise ValueError("this use case fails after writing")

        results = await asyncio.gather(
            database.write(good(1)),
            database.write(bad),
            database.write(good(2)),
            return_exceptions=True,
        )
        assert isinstance(results[1], ValueError)
        values = await database.read(
            lambda conn: sorted(v for (v,) in conn.execute(sa.text("SELECT v FROM t")))
        )
        assert values == [1, 2]  # the failed one left nothing behind, the others committed
    finally:
        await database.close()


async def test_writes_fail_instead_of_hanging_when_the_file_cannot_open(tmp_path: Path) -> None:
    database = await open_database(f"sqlite:///{tmp_path / 'w.db'}")
    assert isinstance(database, SqliteDatabase)
    try:
        (tmp_path / "w.db").unlink()
        (tmp_path / "w.db").mkdir()  # the path is now a folder: no connection can open it
        database.engine.dispose()
        with pytest.raises(sa.exc.OperationalError):
            await asyncio.wait_for(
                database.write(lambda conn: conn.execute(sa.text("SELECT 1"))), 30
            )
    finally:
        await database.close()


async def test_an_interactive_write_overtakes_queued_background_writes(tmp_path: Path) -> None:
    """A click arriving during a scheduled fan-out runs before the fan-out's queue."""
    database = await open_database(f"sqlite:///{tmp_path / 'lanes.db'}")
    order: list[str] = []
    release = threading.Event()
    entered = threading.Event()

    def blocking(conn: Connection) -> None:
        entered.set()
        release.wait(timeout=30)
        order.append("first")

    def labelled(label: str) -> Callable[[Connection], None]:
        def work(conn: Connection) -> None:
            order.append(label)

        return work

    try:
        first = asyncio.ensure_future(database.write(blocking, background=True))
        await asyncio.get_running_loop().run_in_executor(None, entered.wait, 30)
        queued = [
            asyncio.ensure_future(database.write(labelled(f"fan-out {n}"), background=True))
            for n in range(50)
        ]
        click = asyncio.ensure_future(database.write(labelled("click")))
        await asyncio.sleep(0)  # let every write reach the writer's queue
        release.set()
        await asyncio.gather(first, click, *queued)
    finally:
        await database.close()
    assert order[:2] == ["first", "click"]
    assert order[2:] == [f"fan-out {n}" for n in range(50)]
