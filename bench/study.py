"""Study benchmark: the full core use case, through the real dispatcher, on SQLite.

One review = "Show answer" (a read) + a rating (the grade with FSRS, persisted in
one transaction, plus the next card's reply). Loads:

- closed loop: each learner sends the next review as soon as the last returns;
- open loop: reviews arrive at a fixed offered rate, round-robin over learners;
  latency is measured from the scheduled arrival, so queueing counts.

Targets (issue 2): 1 learner closed >= 500 reviews/s; 200 learners closed
>= 1,000 reviews/s; p99 <= 50 ms at an offered 500 reviews/s from 200 learners.

Run: `make bench` or `python -m bench.study [--seconds N] [--out FILE]`.
"""

from __future__ import annotations

import asyncio
import gc
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import timed_main
from bot.app import Core, build_core
from bot.clock import ManualClock
from bot.context import Context, Role
from bot.reply import Reply
from questions.importer import import_pack
from questions.loader import LoadedPack
from questions.schema import Item, Kind, PackFile, PackMeta
from storage import migrate
from storage.database import open_database

START = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
SIMULATED_STEP = timedelta(seconds=20)  # simulated time per completed review
CARDS = 3000


@dataclass(frozen=True)
class Target:
    name: str
    value: float
    unit: str
    goal: float
    higher_is_better: bool

    @property
    def passed(self) -> bool:
        return self.value >= self.goal if self.higher_is_better else self.value <= self.goal

    def line(self) -> str:
        sign = ">=" if self.higher_is_better else "<="
        verdict = "PASS" if self.passed else "FAIL"
        figure = f"{self.value:,.1f} {self.unit}"
        return f"{verdict}  {self.name}: {figure} (target {sign} {self.goal:,.0f})"


def bench_pack() -> LoadedPack:
    """Synthetic flashcards: enough that new cards never run out during a run."""
    items = [
        Item(
            id=f"bench.card.{n}",
            kind=Kind.FLASHCARD,
            topic="bench",
            exams=["CPC"],
            prompt=f"Benchmark card {n}: what is {n} squared?",
            answer=str(n * n),
            reference="Arithmetic.",
        )
        for n in range(CARDS)
    ]
    meta = PackMeta(
        id="bench",
        title="Benchmark",
        version=1,
        origin="generated",
        source="bench",
        licence="CC0",
    )
    return LoadedPack(Path("bench.yaml"), PackFile(pack=meta, items=items), "bench")


def learner(number: int) -> Context:
    return Context(
        "bench", "", f"dm:{number}", f"u{number}", f"Learner {number}", True, Role.MEMBER
    )


class Learner:
    """One simulated person: show the card, then grade it Good (or Again now and then)."""

    def __init__(self, core: Core, clock: ManualClock, number: int) -> None:
        self.core, self.clock, self.ctx = core, clock, learner(number)
        self.card: Reply | None = None
        self.reviews = 0

    async def start(self) -> None:
        await self.core.dispatcher.handle_text(self.ctx, "/settings new=200")
        self.card = (await self.core.dispatcher.handle_text(self.ctx, "/study"))[0]

    async def review(self) -> None:
        dispatcher = self.core.dispatcher
        assert self.card is not None and self.card.buttons, "the queue ran dry"
        back = (await dispatcher.press(self.ctx, self.card.all_buttons[0].action_id))[0]
        rating = "Again" if self.reviews % 10 == 9 else "Good"
        button = next(b for b in back.all_buttons if b.label.startswith(rating))
        replies = await dispatcher.press(self.ctx, button.action_id)
        if not replies[0].body.startswith("Graded"):
            raise RuntimeError(f"Unexpected reply: {replies[0].body}")
        self.card = replies[-1]
        if not self.card.buttons:  # nothing due: move on to tomorrow
            self.clock.advance(timedelta(days=1))
            self.card = (await dispatcher.handle_text(self.ctx, "/study"))[0]
        self.reviews += 1
        self.clock.advance(SIMULATED_STEP)


async def open_core(directory: Path) -> Core:
    database = await open_database(f"sqlite:///{directory / 'bench.db'}", pool_size=20)
    await migrate.upgrade(database)
    await import_pack(database, bench_pack(), START)
    return build_core(database, ManualClock(START), "UTC")


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def fresh_heap() -> None:
    """Each load starts as if in its own process: the previous load's engines and
    connections are garbage, and collecting them mid-run would charge its GC pause to
    this load's latencies."""
    gc.unfreeze()
    gc.collect()


def started() -> None:
    """What the bot does once started (bot.app.settle_heap): freeze what start-up built."""
    gc.collect()
    gc.freeze()


async def closed_loop(learners: int, seconds: float) -> tuple[float, list[float]]:
    fresh_heap()
    with tempfile.TemporaryDirectory() as directory:
        core = await open_core(Path(directory))
        clock = core.services.clock
        assert isinstance(clock, ManualClock)
        people = [Learner(core, clock, n) for n in range(learners)]
        await asyncio.gather(*(person.start() for person in people))
        started()
        latencies: list[float] = []
        deadline = time.perf_counter() + seconds

        async def loop(person: Learner) -> None:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                await person.review()
                latencies.append(time.perf_counter() - began)

        began = time.perf_counter()
        await asyncio.gather(*(loop(person) for person in people))
        elapsed = time.perf_counter() - began
        await core.close()
    return len(latencies) / elapsed, latencies


async def open_loop(learners: int, rate: float, seconds: float) -> tuple[float, list[float]]:
    fresh_heap()
    with tempfile.TemporaryDirectory() as directory:
        core = await open_core(Path(directory))
        clock = core.services.clock
        assert isinstance(clock, ManualClock)
        people = [Learner(core, clock, n) for n in range(learners)]
        await asyncio.gather(*(person.start() for person in people))
        locks = [asyncio.Lock() for _ in people]
        started()
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
                await people[slot].review()
            latencies.append(time.perf_counter() - scheduled)

        await asyncio.gather(*(arrive(index) for index in range(total)))
        elapsed = time.perf_counter() - began
        await core.close()
    return len(latencies) / elapsed, latencies


def describe(latencies: list[float]) -> str:
    ms = [value * 1000 for value in latencies]
    return (
        f"{len(ms):,} reviews; latency p50 {statistics.median(ms):.1f} ms, "
        f"p99 {percentile(ms, 0.99):.1f} ms, max {max(ms):.1f} ms"
    )


async def run(seconds: float) -> list[str]:
    lines = [
        f"StudyBot study benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Python {platform.python_version()} on {platform.machine()}, SQLite (WAL), "
        f"{seconds:g} s per load; garbage from the previous load is collected before each",
        "",
    ]
    results: list[Target] = []

    print(f"closed loop, 1 learner, {seconds:g} s ...", file=sys.stderr, flush=True)
    rate, latencies = await closed_loop(1, seconds)
    lines.append(f"closed loop, 1 learner: {describe(latencies)}")
    results.append(Target("1 learner closed loop", rate, "reviews/s", 500, True))

    print(f"closed loop, 200 learners, {seconds:g} s ...", file=sys.stderr, flush=True)
    rate, latencies = await closed_loop(200, seconds)
    lines.append(f"closed loop, 200 learners: {describe(latencies)}")
    results.append(Target("200 learners closed loop", rate, "reviews/s", 1000, True))

    print(f"open loop, 500 reviews/s from 200 learners, {seconds:g} s ...", file=sys.stderr)
    rate, latencies = await open_loop(200, 500, seconds)
    lines.append(f"open loop at 500/s offered: achieved {rate:,.0f}/s; {describe(latencies)}")
    results.append(
        Target(
            "p99 latency at 500 reviews/s offered",
            percentile(latencies, 0.99) * 1000,
            "ms",
            50,
            False,
        )
    )
    lines.append("")
    lines.extend(result.line() for result in results)
    return lines


def main(argv: list[str] | None = None) -> int:
    return timed_main(__doc__, run, argv)


if __name__ == "__main__":
    sys.exit(main())
