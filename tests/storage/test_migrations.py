"""Migrations build exactly the tables the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage import migrate
from storage.database import Database, open_database
from tests.helpers import run_studybot, snapshot


def _differences(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, SQLModel.metadata))


def _schema(conn: Connection) -> dict[str, Any]:
    """Tables, columns, indexes and constraints as the database reports them."""
    inspector = sa.inspect(conn)
    result: dict[str, Any] = {}
    for name in sorted(inspector.get_table_names()):
        result[name] = (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)],
            sorted(
                (i["name"] or "", tuple(i["column_names"])) for i in inspector.get_indexes(name)
            ),
            sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(name)),
            sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in inspector.get_foreign_keys(name)
            ),
        )
    return result


async def test_migrated_schema_matches_the_models(database: Database) -> None:
    """Autogenerate finds nothing to do: no table, column, type, index or constraint drift."""
    assert await database.run_isolated(_differences) == []


async def test_database_is_at_the_head_revision(database: Database) -> None:
    assert await migrate.current_revision(database) == migrate.head_revision()


async def test_upgrading_again_changes_nothing(database: Database) -> None:
    schema = await database.run_isolated(_schema)
    rows = await snapshot(database)
    await migrate.upgrade(database)
    assert await migrate.current_revision(database) == migrate.head_revision()
    assert await database.run_isolated(_schema) == schema
    assert await snapshot(database) == rows


async def test_upgrade_from_empty_builds_every_table(tmp_path: Path) -> None:
    database = await open_database(f"sqlite:///{tmp_path}/fresh.db")
    try:
        assert await migrate.current_revision(database) is None
        await migrate.upgrade(database)
        assert await migrate.current_revision(database) == migrate.head_revision()
        assert await database.run_isolated(_differences) == []
        tables = set((await database.run_isolated(_schema)).keys())
    finally:
        await database.close()
    assert set(SQLModel.metadata.tables) | {"alembic_version"} == tables


def _studybot(tmp_path: Path, *args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return run_studybot(tmp_path, *args, timeout=120, DATABASE_URL=database_url)


def test_db_upgrade_command_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    url = f"sqlite:///{path}"
    head = migrate.head_revision()

    first = _studybot(tmp_path, "db", "upgrade", database_url=url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [f"Upgraded the database from empty to {head}."]
    assert "Traceback" not in first.stderr

    second = _studybot(tmp_path, "db", "upgrade", database_url=url)
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == [
        f"The database is already at the newest revision ({head})."
    ]

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]


def test_db_upgrade_command_on_a_migrated_database(tmp_path: Path, database_url: str) -> None:
    """Against an up-to-date SQLite file or PostgreSQL database, `db upgrade` is a no-op."""
    result = _studybot(tmp_path, "db", "upgrade", database_url=database_url)
    assert result.returncode == 0, result.stderr
    head = migrate.head_revision()
    assert result.stdout.splitlines() == [
        f"The database is already at the newest revision ({head})."
    ]
