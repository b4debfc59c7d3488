"""FSRS-6 scheduling through the `fsrs` library, with deterministic fuzz and previews.

The library's own fuzz draws a fresh random number on every call, so a preview
label could disagree with what a click applies. We turn it off and apply one
fuzz per (learner, question, review number) ourselves: the label on each rating
button is exactly the interval that rating applies, while cards reviewed together
still spread out over neighbouring days.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State

LEECH_LAPSES = 8
LEECH_REPEAT = 4
MAX_INTERVAL_DAYS = 36500
# (start, end, factor): fuzz grows by `factor` days per day of interval in each band.
_FUZZ_BANDS = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, float("inf"), 0.05))


class Grade(IntEnum):
    """The four answers a learner gives; values match fsrs.Rating."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


@dataclass(frozen=True)
class CardState:
    """The scheduling part of a review_state row."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None

    @classmethod
    def new(cls, now: datetime) -> CardState:
        return cls(State.Learning.value, 0, None, None, now, None)

    def to_card(self, card_id: int) -> Card:
        return Card(
            card_id=card_id,
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )

    @classmethod
    def from_card(cls, card: Card) -> CardState:
        return cls(
            int(card.state.value),
            card.step,
            card.stability,
            card.difficulty,
            card.due,
            card.last_review,
        )


@lru_cache(maxsize=64)
def scheduler_for(desired_retention: float) -> Scheduler:
    """One scheduler per retention target, library fuzz off (see module docstring)."""
    return Scheduler(
        desired_retention=desired_retention,
        maximum_interval=MAX_INTERVAL_DAYS,
        enable_fuzzing=False,
    )


def fuzz_fraction(seed: str, question_id: int, reps: int) -> float:
    """A stable number in [0, 1) for this person's card at this review."""
    digest = hashlib.blake2b(f"{seed}:{question_id}:{reps}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big") / 2**64


def fuzz_days(days: int, fraction: float) -> int:
    """Spread an interval of `days` over its fuzz range, chosen by `fraction`."""
    if days < 2.5:
        return days
    spread = 1.0 + sum(
        factor * max(min(float(days), end) - start, 0.0) for start, end, factor in _FUZZ_BANDS
    )
    low = max(2, round(days - spread))
    high = min(round(days + spread), MAX_INTERVAL_DAYS)
    low = min(low, high)
    return low + min(int(fraction * (high - low + 1)), high - low)


@dataclass(frozen=True)
class Outcome:
    """What one grade does to a card: the new state and the interval until it is due."""

    grade: Grade
    after: CardState
    interval: timedelta


def schedule(
    before: CardState,
    grade: Grade,
    shown_at: datetime,
    *,
    retention: float,
    seed: str,
    question_id: int,
    reps: int,
) -> Outcome:
    """The card after `grade`, reviewed as of `shown_at` (the moment the learner saw it)."""
    card = before.to_card(question_id)
    new_card, _log = scheduler_for(retention).review_card(card, Rating(grade.value), shown_at)
    interval = new_card.due - shown_at
    if new_card.state is State.Review and interval >= timedelta(days=1):
        days = fuzz_days(interval.days, fuzz_fraction(seed, question_id, reps))
        interval = timedelta(days=days)
    after = CardState.from_card(new_card)
    return Outcome(grade, after, interval)


def preview(
    before: CardState,
    shown_at: datetime,
    *,
    retention: float,
    seed: str,
    question_id: int,
    reps: int,
) -> dict[Grade, timedelta]:
    """The interval each grade would apply: what the rating buttons are labelled with."""
    return {
        grade: schedule(
            before,
            grade,
            shown_at,
            retention=retention,
            seed=seed,
            question_id=question_id,
            reps=reps,
        ).interval
        for grade in Grade
    }


def apply_at(outcome: Outcome, now: datetime) -> CardState:
    """Anchor an outcome at the moment the grade is recorded: due = now + interval."""
    after = outcome.after
    return CardState(
        after.state, after.step, after.stability, after.difficulty, now + outcome.interval, now
    )


def is_leech(lapses: int) -> bool:
    """Leech at 8 lapses, and again every 4 more (as Anki does at half the threshold)."""
    return lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % LEECH_REPEAT == 0


def format_interval(interval: timedelta) -> str:
    """Short human form of an interval; rounding here is for display only."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 59.5:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 23.95:
        return f"{hours:.1f}h".replace(".0h", "h")
    days = hours / 24
    if days < 30.5:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30.4375:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365.25:.1f}y".replace(".0y", "y")


def utc(instant: datetime) -> datetime:
    """fsrs accepts only tzinfo=datetime.UTC exactly."""
    return instant.astimezone(UTC)
