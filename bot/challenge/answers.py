"""Answers to a daily challenge: one row per learner in ATTEMPT, changeable until the
close, frozen and scored at the reveal.

Points: 100 for a right answer, plus 30, 20 and 10 for the first three right answers
(by when each learner settled on the right choice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from bot.challenge.store import ChallengeItem
from storage.models import ATTEMPT, LEARNER

CORRECT_POINTS = 100
FIRST_BONUSES = (30, 20, 10)
_CHANGING = ("choice", "correct", "answered_at", "latency_ms")


@lru_cache(maxsize=4)
def _upsert(dialect_name: str) -> Any:
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(ATTEMPT)
    return statement.on_conflict_do_update(
        index_elements=["challenge_id", "learner_id"],
        set_={key: statement.excluded[key] for key in _CHANGING},
        where=sa.and_(ATTEMPT.c.final.is_(False), ATTEMPT.c.choice != statement.excluded.choice),
    )


def previous_choice(conn: Connection, challenge_id: int, learner_id: int) -> int | None:
    value = conn.scalar(
        sa.select(ATTEMPT.c.choice).where(
            ATTEMPT.c.challenge_id == challenge_id, ATTEMPT.c.learner_id == learner_id
        )
    )
    return None if value is None else int(value)


def record_answer(
    conn: Connection, item: ChallengeItem, learner_id: int, choice: int, now: datetime
) -> bool:
    """Create or change the learner's answer; True when the stored choice changed."""
    values = {
        "learner_id": learner_id,
        "workspace_id": item.workspace_id,
        "channel": item.channel,
        "source": "challenge",
        "challenge_id": item.id,
        "question_id": item.question_id,
        "question_revision": item.revision,
        "choice": choice,
        "correct": choice == item.correct_choice,
        "points": 0,
        "latency_ms": max(0, int((now - item.posted_at).total_seconds() * 1000)),
        "answered_at": now,
        "final": False,
    }
    return bool(conn.execute(_upsert(conn.dialect.name), values).rowcount)


@dataclass(frozen=True)
class Scored:
    learner_id: int
    display_name: str
    hidden: bool
    choice: int
    correct: bool
    points: int
    answered_at: datetime


def finalise(conn: Connection, challenge_id: int) -> list[Scored]:
    """Freeze every answer and give it its points; right answers first, earliest first."""
    rows = conn.execute(
        sa.select(
            ATTEMPT.c.id,
            ATTEMPT.c.learner_id,
            LEARNER.c.display_name,
            LEARNER.c.leaderboard_hidden,
            ATTEMPT.c.choice,
            ATTEMPT.c.correct,
            ATTEMPT.c.answered_at,
        )
        .join(LEARNER, LEARNER.c.id == ATTEMPT.c.learner_id)
        .where(ATTEMPT.c.challenge_id == challenge_id)
        .order_by(ATTEMPT.c.correct.desc(), ATTEMPT.c.answered_at, ATTEMPT.c.learner_id)
    ).all()
    scored: list[Scored] = []
    place = 0
    for row in rows:
        points = 0
        if row.correct:
            points = CORRECT_POINTS + (FIRST_BONUSES[place] if place < len(FIRST_BONUSES) else 0)
            place += 1
        conn.execute(
            ATTEMPT.update().where(ATTEMPT.c.id == row.id).values(final=True, points=points)
        )
        scored.append(
            Scored(
                int(row.learner_id),
                str(row.display_name or ""),
                bool(row.leaderboard_hidden),
                int(row.choice),
                bool(row.correct),
                points,
                row.answered_at,
            )
        )
    return scored
