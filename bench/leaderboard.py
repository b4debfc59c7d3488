"""Leaderboard benchmark: /leaderboard through the real use case, on SQLite.

Builds the SCORE_DAY rollup that 1,000,000 quiz answers leave behind: 10,000
learners in one workspace (America/Chicago), ~20 channels, a year of days. Each
learner has a home channel (and now and then plays in another); activity is skewed,
as in real groups (a few regulars answer most questions). A quiz of 5-15 questions
adds to one row per learner x channel x day, so the rollup holds far fewer rows than
there were answers.

Then every period (today, week, month, all) x scope (channel, server) is asked for
through `leaderboard_command` (the dispatcher's handler, with its transaction, the
workspace's timezone, the caller's own rank), by callers picked at random, most of
them far outside the top ten.

Target: p99 <= 20 ms for each period x scope. The two covering indexes this benchmark
first proposed (PROPOSED_INDEXES) are in the schema since migration 0006; without them
the all-time server board took ~43 ms p99.

Run: `python -m bench.leaderboard [--runs N] [--attempts N] [--out FILE]`.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bench.study import Target, percentile
from bot.clock import ManualClock
from bot.context import Context, Role
from bot.grammar import ParsedCommand
from bot.scores.leaderboard import PERIODS, SCOPES, leaderboard_command
from bot.services import Services
from storage import migrate
from storage.database import Database, open_database
from storage.models import LEARNER, SCORE_DAY, WORKSPACE

NOW = datetime(2026, 6, 17, 18, 0, tzinfo=UTC)  # a Wednesday, mid-month
ZONE = "America/Chicago"
PLATFORM, WORKSPACE_ID = "bench", "guild"
CHANNELS = 20
DAYS = 365
TARGET_MS = 20.0
_CHUNK = 20_000
MIGRATED = "schema as migrated"
PROPOSED = "with the proposed indexes"
# Proposed for storage/models.py (ScoreDay.__table_args__) and a migration: covering
# indexes, so a server board reads only its period's index entries (day first) and the
# all-time board streams learners in order with no sort (learner first).
PROPOSED_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_score_day_period ON score_day "
    "(workspace_id, day, learner_id, points, reached_at)",
    "CREATE INDEX IF NOT EXISTS ix_score_day_learner ON score_day "
    "(workspace_id, learner_id, day, points, reached_at)",
)


def channel_name(number: int) -> str:
    return f"channel-{number:02d}"


def build_rows(learners: int, attempts: int, seed: int) -> list[dict[str, Any]]:
    """SCORE_DAY rows as the quiz engine would leave them after `attempts` answers."""
    rng = random.Random(seed)
    tz = ZoneInfo(ZONE)
    today = NOW.astimezone(tz).date()
    weights = [1.0 / (rank + 10) ** 0.8 for rank in range(learners)]  # regulars and lurkers
    home = [rng.randrange(CHANNELS) for _ in range(learners)]
    rows: dict[tuple[int, int, date], list[Any]] = {}
    answered = 0
    batch = 10_000
    while answered < attempts:
        for learner in rng.choices(range(learners), weights, k=batch):
            count = min(rng.randint(5, 15), attempts - answered)
            if count <= 0:
                break
            channel = home[learner] if rng.random() < 0.8 else rng.randrange(CHANNELS)
            day = today - timedelta(days=rng.randrange(DAYS))
            correct = sum(rng.random() < 0.7 for _ in range(count))
            points = sum(100 + rng.randint(0, 50) for _ in range(correct))
            start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
            at = (start + timedelta(seconds=rng.randrange(86_400))).astimezone(UTC)
            row = rows.setdefault((channel, learner, day), [0, 0, 0, at])
            row[0] += points
            row[1] += correct
            row[2] += count
            if points and at > row[3]:
                row[3] = at
            answered += count
        print(f"  generated {answered:,} answers", file=sys.stderr, flush=True)
    return [
        {
            "channel": channel_name(channel),
            "learner_id": learner + 1,
            "day": day,
            "points": points,
            "correct": correct,
            "answered": count,
            "reached_at": at,
        }
        for (channel, learner, day), (points, correct, count, at) in rows.items()
    ]


async def build(database: Database, learners: int, attempts: int) -> tuple[int, int]:
    """Workspace, learners and rollup rows; returns (workspace id, rollup rows)."""

    def people(conn: Connection) -> int:
        created = NOW - timedelta(days=DAYS)
        conn.execute(
            LEARNER.insert(),
            [
                {
                    "id": number + 1,
                    "platform": PLATFORM,
                    "user_id": f"u{number}",
                    "display_name": f"Learner {number}",
                    "new_per_day": 20,
                    "desired_retention": 0.9,
                    "study_topic": "",
                    "study_exam": "",
                    "leaderboard_hidden": number % 50 == 0,
                    "created_at": created,
                }
                for number in range(learners)
            ],
        )
        inserted = conn.execute(
            WORKSPACE.insert().values(
                platform=PLATFORM,
                external_id=WORKSPACE_ID,
                name="Bench",
                timezone=ZONE,
                settings_json="{}",
                created_at=created,
            )
        ).inserted_primary_key
        assert inserted is not None
        return int(inserted[0])

    print(f"building: {learners:,} learners ...", file=sys.stderr, flush=True)
    workspace_id = await database.write(people)
    rows = build_rows(learners, attempts, seed=7)
    for row in rows:
        row["workspace_id"] = workspace_id
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]

        def write(conn: Connection, chunk: list[dict[str, Any]] = chunk) -> None:
            conn.execute(SCORE_DAY.insert(), chunk)

        await database.write(write)
        done = min(start + _CHUNK, len(rows))
        print(f"  wrote {done:,} of {len(rows):,} rollup rows", file=sys.stderr, flush=True)
    await database.run_isolated(lambda conn: conn.exec_driver_sql("ANALYZE"))
    return workspace_id, len(rows)


def caller(rng: random.Random, learners: int) -> Context:
    number = rng.randrange(learners)
    channel = channel_name(rng.randrange(CHANNELS))
    return Context(PLATFORM, WORKSPACE_ID, channel, f"u{number}", "Bench", False, Role.MEMBER)


async def time_board(
    services: Services, period: str, scope: str, runs: int, learners: int
) -> list[float]:
    rng = random.Random(f"{period}-{scope}")
    command = ParsedCommand("leaderboard", options={"period": period, "scope": scope})
    latencies: list[float] = []
    for _ in range(runs):
        ctx = caller(rng, learners)
        began = time.perf_counter()
        replies = await leaderboard_command(services, ctx, command)
        latencies.append((time.perf_counter() - began) * 1000)
        assert not replies[0].error, replies[0].body
    return latencies


def describe(latencies: Sequence[float]) -> str:
    return (
        f"p50 {statistics.median(latencies):.2f} ms, p99 {percentile(latencies, 0.99):.2f} ms, "
        f"max {max(latencies):.2f} ms"
    )


async def time_all(
    services: Services, runs: int, learners: int, label: str
) -> tuple[list[str], list[Target]]:
    """Every period x scope, `runs` calls each after a short warm-up."""
    lines = [f"{label}:"]
    results: list[Target] = []
    for scope in SCOPES:
        for period in PERIODS:
            print(f"timing {label}: period={period} scope={scope} ...", file=sys.stderr)
            await time_board(services, period, scope, 20, learners)  # warm the page cache
            latencies = await time_board(services, period, scope, runs, learners)
            lines.append(f"  period={period:<5} scope={scope:<7} {describe(latencies)}")
            name = f"p99 period={period} scope={scope} ({label})"
            results.append(Target(name, percentile(latencies, 0.99), "ms", TARGET_MS, False))
    return lines, results


async def add_proposed_indexes(database: Database) -> None:
    def work(conn: Connection) -> None:
        for statement in PROPOSED_INDEXES:
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql("ANALYZE")

    await database.run_isolated(work)


async def run(runs: int, learners: int, attempts: int, schemas: Sequence[str]) -> list[str]:
    lines: list[str] = []
    results: list[Target] = []
    with tempfile.TemporaryDirectory() as directory:
        database = await open_database(f"sqlite:///{Path(directory) / 'bench.db'}")
        try:
            await migrate.upgrade(database)
            began = time.perf_counter()
            _, rows = await build(database, learners, attempts)
            built = time.perf_counter() - began
            services = Services(database, ManualClock(NOW), "UTC")
            lines += [
                f"StudyBot leaderboard benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                f"Python {platform.python_version()} on {platform.machine()}, SQLite (WAL)",
                f"rollup of {attempts:,} answers: {learners:,} learners, {CHANNELS} channels, "
                f"{DAYS} days -> {rows:,} score_day rows (built in {built:.1f} s)",
                f"{runs} calls of leaderboard_command per period x scope, random callers; "
                f"'now' is {NOW:%a %Y-%m-%d %H:%M} UTC, workspace zone {ZONE}",
                "",
            ]
            if "migrated" in schemas:
                section, found = await time_all(services, runs, learners, MIGRATED)
                lines += [*section, ""]
                results += found
            if "proposed" in schemas:
                await add_proposed_indexes(database)
                section, found = await time_all(services, runs, learners, PROPOSED)
                lines += [*section, *(f"  {ddl}" for ddl in PROPOSED_INDEXES), ""]
                results += found
        finally:
            await database.close()
    lines.extend(result.line() for result in results)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=300, help="calls per period x scope")
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--attempts", type=int, default=1_000_000, help="answers rolled up")
    parser.add_argument(
        "--schema",
        choices=("migrated", "proposed", "both"),
        default="both",
        help="the tables as migrated, with the proposed indexes added, or both in turn",
    )
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    schemas = ("migrated", "proposed") if args.schema == "both" else (args.schema,)
    lines = asyncio.run(run(args.runs, args.learners, args.attempts, schemas))
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
