"""The SQLite write path: group commit keeps each use case its own transaction."""

from __future__ import annotations

import asyncio
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
