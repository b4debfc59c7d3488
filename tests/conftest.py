"""Fixtures: every database test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import Core, build_core
from bot.clock import ManualClock
from questions.importer import import_pack
from questions.loader import load_pack
from storage import migrate
from storage.database import Database, open_database
from tests.pgserver import PostgresServer

FIXTURE_PACKS = Path(__file__).parent / "fixtures" / "packs"
START = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)  # a Monday afternoon
TEMPLATE_DB = "studybot_test_template"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--sqlite-only", action="store_true", help="skip PostgreSQL (local use)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "dialect" in metafunc.fixturenames:
        dialects = ["sqlite"]
        if not metafunc.config.getoption("--sqlite-only"):
            dialects.append("postgresql")
        metafunc.parametrize("dialect", dialects)


async def _prepare(url: str) -> None:
    database = await open_database(url)
    try:
        await migrate.upgrade(database)
        for path in sorted(FIXTURE_PACKS.glob("*.yaml")):
            await import_pack(database, load_pack(path), START)
    finally:
        await database.close()


def _blocking(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run setup on its own loop in a worker thread: session fixtures may be resolved
    from inside a test's running loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _blocking(_prepare(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The server's admin URL: TEST_DATABASE_URL, or a throwaway server started here."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    server = PostgresServer.start()
    try:
        yield server.url
    finally:
        server.stop()


async def _admin(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(statement)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str) -> str:
    template_url = make_url(postgres_url).set(database=TEMPLATE_DB)
    _blocking(_admin(postgres_url, f"DROP DATABASE IF EXISTS {TEMPLATE_DB}"))
    _blocking(_admin(postgres_url, f"CREATE DATABASE {TEMPLATE_DB}"))
    _blocking(_prepare(template_url.render_as_string(hide_password=False)))
    return postgres_url


@pytest.fixture
async def database_url(
    dialect: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    """A fresh, migrated database holding the fixture packs."""
    if dialect == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "studybot.db"
        shutil.copyfile(template, target)
        yield f"sqlite:///{target}"
        return
    admin_url: str = request.getfixturevalue("postgres_template")
    name = f"t_{uuid.uuid4().hex[:12]}"
    await _admin(admin_url, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}")
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = await open_database(database_url, pool_size=25)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def core(database: Database, clock: ManualClock) -> Core:
    return build_core(database, clock, "UTC")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many PostgreSQL tests ran, so a silent skip cannot pass unnoticed."""
    counts: dict[str, int] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if "[postgresql" in getattr(report, "nodeid", "") and report.when == "call":
                counts[outcome] = counts.get(outcome, 0) + 1
    summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))
    terminalreporter.write_line(f"PostgreSQL tests: {summary or 'none ran'}")
