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
from pathlib import Path
from typing import Any

from adapters.console.app import ConsoleApp
from adapters.console.translate import VERB_HELP
from bot.app import start_core
from bot.clock import SystemClock
from bot.config import Settings, SettingsError, load_settings
from questions import commands
from questions.exams import presets
from questions.importer import sync_bundled_packs
from questions.loader import PackInvalid
from storage import migrate
from storage.database import Database, DatabaseUnavailable, open_database
from storage.urls import DatabaseUrlError

EXPECTED = (SettingsError, DatabaseUrlError, DatabaseUnavailable, PackInvalid, ValueError)


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


async def _open_bank(settings: Settings, say: Callable[[str], None]) -> Database:
    """The configured database, upgraded, with the bundled packs current."""
    database = await open_database(settings.database_url)
    try:
        await migrate.upgrade(database)
        for result in await sync_bundled_packs(database, SystemClock().now()):
            if result.changed:
                say(
                    f"Bundled pack {result.pack_id}: {result.added} added, "
                    f"{result.updated} updated, {result.retired} retired."
                )
    except BaseException:
        await database.close()
        raise
    return database


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


async def _questions(settings: Settings, args: argparse.Namespace) -> int:
    if args.questions_command == "validate":
        ok, lines = commands.validate_paths([Path(path) for path in args.paths])
        print("\n".join(lines))
        return 0 if ok else 1
    database = await _open_bank(settings, _say)
    try:
        if args.questions_command == "import":
            result = await commands.import_path(
                database, Path(args.path), SystemClock().now(), _say, args.workspace or ""
            )
            print(
                f"Imported {result.pack_id}: {result.added} added, {result.updated} updated, "
                f"{result.unchanged} unchanged, {result.retired} retired."
            )
        elif args.questions_command == "export":
            text = await commands.export(
                database, args.topic or "", args.format, args.workspace or ""
            )
            if args.out:
                await asyncio.to_thread(Path(args.out).write_text, text, encoding="utf-8")
                print(f"Wrote {args.out}.")
            else:
                sys.stdout.write(text)
        else:
            print("\n".join(await commands.stats(database, args.exam or "")))
    finally:
        await database.close()
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studybot", description=__doc__)
    subcommands = parser.add_subparsers(dest="command", required=True)
    subcommands.add_parser("run", help="start the bot (the console when no token is set)")
    subcommands.add_parser("console", help="chat with the bot in this terminal")
    db = subcommands.add_parser("db", help="database maintenance")
    db_subcommands = db.add_subparsers(dest="db_command", required=True)
    db_subcommands.add_parser("upgrade", help="apply pending migrations")
    bank = subcommands.add_parser("questions", help="the question bank")
    bank_subcommands = bank.add_subparsers(dest="questions_command", required=True)
    validate = bank_subcommands.add_parser("validate", help="check pack files (YAML or CSV)")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    importer = bank_subcommands.add_parser("import", help="import a pack: all of it or nothing")
    importer.add_argument("path", metavar="PATH")
    importer.add_argument("--workspace", metavar="PLATFORM:ID", help="a workspace's own items")
    exporter = bank_subcommands.add_parser("export", help="write items as YAML or CSV")
    exporter.add_argument("--topic", help="a topic and everything below it")
    exporter.add_argument("--format", choices=("yaml", "csv"), default="yaml")
    exporter.add_argument("--workspace", metavar="PLATFORM:ID")
    exporter.add_argument("--out", metavar="FILE")
    stats = bank_subcommands.add_parser("stats", help="counts by origin, kind, exam and topic")
    stats.add_argument(
        "--exam",
        choices=sorted(presets()),
        help="also show the spread over this exam's sections beside its question counts",
    )
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
        if args.command == "questions":
            return asyncio.run(_questions(settings, args))
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
