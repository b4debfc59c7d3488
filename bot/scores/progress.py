"""A learner's progress, read from their own rows: quiz accuracy by topic, reviews due
today and the study-day streak. Progress belongs to the person, across workspaces;
days are their study days (their timezone, starting at 4 am)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.studyday import next_day_start, study_day, study_day_start
from storage.models import ATTEMPT, QUESTION, REVIEW_LOG, REVIEW_STATE

ACCURACY_DAYS = 30
WEAK_MINIMUM = 3
WEAKEST = 3
MAX_STREAK = 3650  # ten years of days is enough to stop looking
_FIRST_BLOCK = 8  # most streaks are short: one small query usually settles it
_BLOCK = 64


@dataclass(frozen=True)
class TopicAccuracy:
    topic: str
    answered: int
    correct: int

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.correct, self.answered)

    @property
    def percent(self) -> int:
        """Rounded half up (67 for 2/3, 13 for 1/8), whatever Python's round() prefers."""
        return (200 * self.correct + self.answered) // (2 * self.answered)


_ACCURACY = (
    sa.select(
        QUESTION.c.topic,
        sa.func.count().label("answered"),
        sa.func.sum(sa.case((ATTEMPT.c.correct.is_(True), 1), else_=0)).label("correct"),
    )
    .select_from(ATTEMPT.join(QUESTION, QUESTION.c.id == ATTEMPT.c.question_id))
    .where(
        ATTEMPT.c.learner_id == sa.bindparam("learner"),
        ATTEMPT.c.answered_at >= sa.bindparam("since"),
        ATTEMPT.c.final.is_(True),  # an answer still open in a quiz may change
    )
    .group_by(QUESTION.c.topic)
    .order_by(QUESTION.c.topic)
)


def accuracy_by_topic(conn: Connection, learner_id: int, now: datetime) -> list[TopicAccuracy]:
    """Final quiz answers of the last 30 days, per question topic, in topic order."""
    rows = conn.execute(
        _ACCURACY, {"learner": learner_id, "since": now - timedelta(days=ACCURACY_DAYS)}
    )
    return [TopicAccuracy(str(r.topic), int(r.answered), int(r.correct or 0)) for r in rows]


def weakest(topics: list[TopicAccuracy]) -> list[TopicAccuracy]:
    """Lowest accuracy first among topics with enough answers; more answers break ties."""
    enough = [t for t in topics if t.answered >= WEAK_MINIMUM]
    return sorted(enough, key=lambda t: (t.ratio, -t.answered, t.topic))[:WEAKEST]


_DUE = (
    sa.select(sa.func.count())
    .select_from(REVIEW_STATE.join(QUESTION, QUESTION.c.id == REVIEW_STATE.c.question_id))
    .where(
        REVIEW_STATE.c.learner_id == sa.bindparam("learner"),
        REVIEW_STATE.c.suspended.is_(False),
        REVIEW_STATE.c.due < sa.bindparam("end"),
        QUESTION.c.retired.is_(False),  # what /study would show
    )
)


def due_today(conn: Connection, learner_id: int, now: datetime, tz: ZoneInfo) -> int:
    """Cards due before the learner's study day ends (overdue ones included)."""
    end = next_day_start(now, tz)
    return int(conn.scalar(_DUE, {"learner": learner_id, "end": end}) or 0)


@lru_cache(maxsize=4)
def _activity_statement(days: int) -> sa.Select[Any]:
    """One row of `days` flags: was there a kept review or an attempt in [a_i, b_i)?
    Each flag is two index probes (learner_id, time), so a long streak stays cheap."""
    flags = []
    for i in range(days):
        start: sa.BindParameter[datetime] = sa.bindparam(f"a{i}")
        end: sa.BindParameter[datetime] = sa.bindparam(f"b{i}")
        reviewed = sa.exists().where(
            REVIEW_LOG.c.learner_id == sa.bindparam("learner"),
            REVIEW_LOG.c.reviewed_at >= start,
            REVIEW_LOG.c.reviewed_at < end,
            REVIEW_LOG.c.undone_at.is_(None),
        )
        answered = sa.exists().where(
            ATTEMPT.c.learner_id == sa.bindparam("learner"),
            ATTEMPT.c.answered_at >= start,
            ATTEMPT.c.answered_at < end,
        )
        flags.append(sa.case((sa.or_(reviewed, answered), 1), else_=0).label(f"d{i}"))
    return sa.select(*flags)


def _active(conn: Connection, learner_id: int, days: list[date], tz: ZoneInfo) -> list[bool]:
    params: dict[str, Any] = {"learner": learner_id}
    for i, day in enumerate(days):
        params[f"a{i}"] = study_day_start(day, tz)
        params[f"b{i}"] = study_day_start(day + timedelta(days=1), tz)
    row = conn.execute(_activity_statement(len(days)), params).one()
    return [bool(flag) for flag in row]


def streak(conn: Connection, learner_id: int, now: datetime, tz: ZoneInfo) -> int:
    """Consecutive study days with activity, ending today, or yesterday when today has
    none yet (the streak is still alive until today ends)."""
    today = study_day(now, tz)
    count = 0
    offset = 0  # days back from today of the next day to look at
    size = _FIRST_BLOCK
    while offset < MAX_STREAK:
        days = [today - timedelta(days=offset + i) for i in range(size)]
        flags = _active(conn, learner_id, days, tz)
        if offset == 0 and not flags[0]:
            flags = flags[1:]  # nothing yet today: count from yesterday
        for flag in flags:
            if not flag:
                return count
            count += 1
        offset += size
        size = _BLOCK
    return count
