"""FSRS wrapper: growth, relearning, deterministic fuzz, display rounding."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.srs import CardState, Grade, apply_at, format_interval, fuzz_days, is_leech, schedule

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def _review(card: CardState, grade: Grade, at: datetime, reps: int) -> tuple[CardState, timedelta]:
    outcome = schedule(card, grade, at, retention=0.9, seed="test:ana", question_id=7, reps=reps)
    return apply_at(outcome, at), outcome.interval


def test_intervals_grow_on_good() -> None:
    card, at = CardState.new(NOW), NOW
    intervals = []
    for reps in range(8):
        card, interval = _review(card, Grade.GOOD, at, reps)
        intervals.append(interval)
        at = card.due
    review_intervals = intervals[2:]  # after the two learning steps
    assert all(b > a for a, b in itertools.pairwise(review_intervals))
    assert review_intervals[-1] > timedelta(days=60)


def test_again_on_a_review_card_sends_it_to_relearning() -> None:
    card, at = CardState.new(NOW), NOW
    for reps in range(3):
        card, _ = _review(card, Grade.GOOD, at, reps)
        at = card.due
    assert card.state == 2  # Review
    lapsed, interval = _review(card, Grade.AGAIN, at, 3)
    assert lapsed.state == 3  # Relearning
    assert interval == timedelta(minutes=10)


def test_fuzz_is_deterministic_per_card_and_varies_across_cards() -> None:
    card = CardState.new(NOW)
    easy = {
        qid: schedule(card, Grade.EASY, NOW, retention=0.9, seed="s", question_id=qid, reps=0)
        for qid in range(50)
    }
    again = {
        qid: schedule(card, Grade.EASY, NOW, retention=0.9, seed="s", question_id=qid, reps=0)
        for qid in range(50)
    }
    assert {q: o.interval for q, o in easy.items()} == {q: o.interval for q, o in again.items()}
    assert len({o.interval for o in easy.values()}) >= 3


@given(st.integers(min_value=3, max_value=30000), st.floats(min_value=0, max_value=0.999999))
def test_fuzz_stays_near_the_interval(days: int, fraction: float) -> None:
    fuzzed = fuzz_days(days, fraction)
    assert 2 <= fuzzed <= 36500
    assert abs(fuzzed - days) <= max(2, days * 0.06 + 3)


def test_leech_threshold_and_repeat() -> None:
    assert [n for n in range(1, 21) if is_leech(n)] == [8, 12, 16, 20]


def test_format_interval() -> None:
    assert format_interval(timedelta(seconds=30)) == "<1m"
    assert format_interval(timedelta(minutes=5, seconds=30)) == "6m"
    assert format_interval(timedelta(hours=1, minutes=30)) == "1.5h"
    assert format_interval(timedelta(days=8)) == "8d"
    assert format_interval(timedelta(days=91)) == "3mo"
    assert format_interval(timedelta(days=800)) == "2.2y"
