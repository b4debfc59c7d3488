"""`studybot`: run the bot, open the console, or upgrade the database.

Start-up problems (a bad setting, an unreachable database, a broken pack) print
one plain line and exit 1: no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from adapters.console.app import ConsoleApp
from adapters.console.translate import VERB_HELP
from bot.app import start_core
from bot.config import Settings, SettingsError, load_settings
from questions.loader import PackInvalid
from storage import migrate
from storage.database import DatabaseUnavailable, open_database
from storage.urls import DatabaseUrlError

EXPECTED = (SettingsError, DatabaseUrlError, DatabaseUnavailable, PackInvalid)


async def _console(settings: Settings) -> None:
    core = await start_core(settings, help_extra=(VERB_HELP,))
    try:
        app = ConsoleApp(core, color=sys.stdout.isatty(), echo=not sys.stdin.isatty())
        await app.run(sys.stdin)
    finally:
        await core.close()


async def _run(settings: Settings) -> None:
    if settings.has_platform_token:
        print(
            "Platform tokens are set, but the Discord and Slack adapters are not built yet; "
            "opening the console instead.",
            file=sys.stderr,
        )
    await _console(settings)


async def _db_upgrade(settings: Settings) -> None:
    database = await open_database(settings.database_url)
    try:
        before = await migrate.current_revision(database)
        await migrate.upgrade(database)
        after = await migrate.current_revision(database)
    finally:
        await database.close()
    if before == after:
        print(f"The database is already at the newest revision ({after}).")
    else:
        print(f"Upgraded the database from {before or 'empty'} to {after}.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studybot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the bot (the console when no token is set)")
    commands.add_parser("console", help="chat with the bot in this terminal")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply pending migrations")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `studybot` console script."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 1
    logging.basicConfig(
        level=settings.logging_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    runners: dict[str, Callable[[Settings], Coroutine[Any, Any, None]]] = {
        "run": _run,
        "console": _console,
        "db": _db_upgrade,
    }
    try:
        asyncio.run(runners[args.command](settings))
    except EXPECTED as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nBye.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
