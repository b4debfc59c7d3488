"""Answer-storm benchmark: many learners answering one open quiz question, on SQLite.

Each answer is the full use case through the real dispatcher (the letter button:
check the question is open, record or change the attempt, confirm to the learner).
Loads: closed loop (every learner clicks again as soon as the last click returns,
alternating between two choices so every click changes the stored answer) and open
loop (a fixed offered rate, latency from the scheduled arrival).

Targets (issue 4): >= 1,500 answers/s closed loop with 500 learners; p99 <= 100 ms
at an offered 1,000 answers/s. Leaderboard query times: bench/leaderboard.py.

Run: `python -m bench.answers [--seconds N] [--out FILE]`.
"""

from __future__ import annotations

import asyncio
import gc
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import timed_main
from bench.study import START, Target, bench_pack, describe, percentile
from bot.app import Core, build_core
from bot.clock import ManualClock
from bot.context import Context, Role
from bot.reply import Button
from questions.importer import import_pack
from questions.loader import LoadedPack
from questions.schema import Item, Kind, PackFile, PackMeta
from storage import migrate
from storage.database import open_database

QUIZ_SECONDS = 300


def quiz_pack() -> LoadedPack:
    """A few mcq items for the storm's quiz (the study bench pack holds flashcards)."""
    items = [
        Item(
            id=f"bench.mcq.{n}",
            kind=Kind.MCQ,
            topic="terminology.word-building",
            exams=["CPC"],
            prompt=f"Benchmark question {n}: which number is {n} + 1?",
            choices=[str(n + 1), str(n + 2), str(n + 3), str(n + 4)],
            answer="A",
            explanation="Counting.",
            reference="Arithmetic.",
        )
        for n in range(20)
    ]
    meta = PackMeta(
        id="bench-mcq",
        title="Benchmark mcq",
        version=1,
        origin="generated",
        source="bench",
        licence="CC0",
    )
    return LoadedPack(Path("bench-mcq.yaml"), PackFile(pack=meta, items=items), "bench-mcq")


def member(number: int) -> Context:
    return Context("bench", "ws", "storm", f"u{number}", f"Learner {number}", False, Role.MEMBER)


async def storm_setup(directory: Path) -> tuple[Core, list[Button]]:
    database = await open_database(f"sqlite:///{directory / 'storm.db'}", pool_size=20)
    await migrate.upgrade(database)
    await import_pack(database, bench_pack(), START)
    await import_pack(database, quiz_pack(), START)
    core = build_core(database, ManualClock(START), "UTC")
    replies = await core.dispatcher.handle_text(
        member(0), f"/quiz topic=terminology.word-building count=1 seconds={QUIZ_SECONDS}"
    )
    buttons = replies[-1].all_buttons
    if len(buttons) != 4:
        raise RuntimeError(f"Quiz did not start: {replies[-1].body}")
    return core, buttons


async def click(core: Core, ctx: Context, button: Button) -> None:
    replies = await core.dispatcher.press(ctx, button.action_id)
    if replies[0].error:
        raise RuntimeError(f"Answer refused: {replies[0].body}")


async def closed_loop(learners: int, seconds: float) -> tuple[float, list[float]]:
    gc.collect()
    with tempfile.TemporaryDirectory() as directory:
        core, buttons = await storm_setup(Path(directory))
        gc.collect()
        gc.freeze()
        latencies: list[float] = []
        deadline = time.perf_counter() + seconds

        async def loop(number: int) -> None:
            ctx, turn = member(number), number
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                await click(core, ctx, buttons[turn % 2])
                latencies.append(time.perf_counter() - began)
                turn += 1

        began = time.perf_counter()
        await asyncio.gather(*(loop(n) for n in range(learners)))
        elapsed = time.perf_counter() - began
        await core.close()
        gc.unfreeze()
    return len(latencies) / elapsed, latencies


async def open_loop(learners: int, rate: float, seconds: float) -> tuple[float, list[float]]:
    gc.collect()
    with tempfile.TemporaryDirectory() as directory:
        core, buttons = await storm_setup(Path(directory))
        gc.collect()
        gc.freeze()
        locks = [asyncio.Lock() for _ in range(learners)]
        latencies: list[float] = []
        total = int(rate * seconds)
        began = time.perf_counter()

        async def arrive(index: int) -> None:
            scheduled = began + index / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            slot = index % learners
            async with locks[slot]:
                await click(core, member(slot), buttons[(index // learners) % 2])
            latencies.append(time.perf_counter() - scheduled)

        await asyncio.gather(*(arrive(index) for index in range(total)))
        elapsed = time.perf_counter() - began
        await core.close()
        gc.unfreeze()
    return len(latencies) / elapsed, latencies


async def run(seconds: float) -> list[str]:
    lines = [
        f"StudyBot answer-storm benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Python {platform.python_version()} on {platform.machine()}, SQLite (WAL), "
        f"{seconds:g} s per load",
        "",
    ]
    print(f"closed loop, 500 learners, {seconds:g} s ...", file=sys.stderr, flush=True)
    rate, latencies = await closed_loop(500, seconds)
    lines.append(f"closed loop, 500 learners: {rate:,.0f} answers/s; {describe(latencies)}")
    closed = Target("500 learners closed loop", rate, "answers/s", 1500, True)
    print(f"open loop, 1,000 answers/s from 500 learners, {seconds:g} s ...", file=sys.stderr)
    achieved, latencies = await open_loop(500, 1000, seconds)
    lines.append(f"open loop at 1,000/s offered: achieved {achieved:,.0f}/s; {describe(latencies)}")
    p99 = Target(
        "p99 latency at 1,000 answers/s offered",
        percentile(latencies, 0.99) * 1000,
        "ms",
        100,
        False,
    )
    lines += ["", closed.line(), p99.line()]
    return [line.replace(" reviews;", " answers;") for line in lines]


def main(argv: list[str] | None = None) -> int:
    return timed_main(__doc__, run, argv)


if __name__ == "__main__":
    sys.exit(main())
