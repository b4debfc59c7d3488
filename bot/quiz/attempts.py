"""Attempts: recording a learner's answer to a quiz question, and adding them up.

One row per learner per quiz question, created on the first click, changed while the
question is open and frozen when it is revealed; uniqueness in the database, not a
check in Python, makes a double click or a retry count once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from bot.quiz.store import QuizItem
from storage.models import ATTEMPT, LEARNER, QUIZ_QUESTION

SPEED_BONUS = 50
CORRECT_POINTS = 100


def points_for(item: QuizItem, correct: bool, now: datetime) -> int:
    """100 for a right answer plus up to 50, linear in the time left when it was given."""
    if not correct:
        return 0
    if item.deadline is None or item.seconds <= 0:
        return CORRECT_POINTS
    left = max(0.0, (item.deadline - now).total_seconds())
    return CORRECT_POINTS + round(SPEED_BONUS * min(1.0, left / item.seconds))


_CHANGING = ("choice", "correct", "points", "latency_ms", "answered_at")


@lru_cache(maxsize=4)
def _upsert_attempt(dialect_name: str) -> Any:
    """Insert the attempt, or change it while it is not final and the choice differs."""
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(ATTEMPT)
    return statement.on_conflict_do_update(
        index_elements=["quiz_question_id", "learner_id"],
        set_={key: statement.excluded[key] for key in _CHANGING},
        where=sa.and_(ATTEMPT.c.final.is_(False), ATTEMPT.c.choice != statement.excluded.choice),
    )


def record_answer(
    conn: Connection, item: QuizItem, learner_id: int, choice: int, now: datetime
) -> bool:
    """The learner's answer: created on the first click, changed while the question is
    open, never after. True when this call changed the stored answer."""
    correct = choice == item.correct_choice
    posted = item.posted_at or now
    values = {
        "learner_id": learner_id,
        "workspace_id": item.workspace_id,
        "channel": item.channel,
        "source": "quiz",
        "quiz_question_id": item.quiz_question_id,
        "question_id": item.question_id,
        "question_revision": item.revision,
        "choice": choice,
        "correct": correct,
        "points": points_for(item, correct, now),
        "latency_ms": max(0, int((now - posted).total_seconds() * 1000)),
        "answered_at": now,
        "final": False,
    }
    return bool(conn.execute(_upsert_attempt(conn.dialect.name), values).rowcount)


@dataclass(frozen=True)
class FinalAnswer:
    learner_id: int
    display_name: str
    platform_user: str
    hidden: bool
    choice: int
    correct: bool
    points: int
    answered_at: datetime


def final_answers(conn: Connection, quiz_question_id: int) -> list[FinalAnswer]:
    rows = conn.execute(
        sa.select(
            ATTEMPT.c.learner_id,
            LEARNER.c.display_name,
            LEARNER.c.user_id,
            LEARNER.c.leaderboard_hidden,
            ATTEMPT.c.choice,
            ATTEMPT.c.correct,
            ATTEMPT.c.points,
            ATTEMPT.c.answered_at,
        )
        .join(LEARNER, LEARNER.c.id == ATTEMPT.c.learner_id)
        .where(ATTEMPT.c.quiz_question_id == quiz_question_id)
        .order_by(ATTEMPT.c.points.desc(), ATTEMPT.c.answered_at, ATTEMPT.c.learner_id)
    )
    return [
        FinalAnswer(
            int(row.learner_id),
            str(row.display_name),
            str(row.user_id),
            bool(row.leaderboard_hidden),
            int(row.choice),
            bool(row.correct),
            int(row.points),
            row.answered_at,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Standing:
    display_name: str
    points: int
    correct: int


def standings(conn: Connection, session_id: int) -> list[Standing]:
    """Total points per learner in a session, best first; ties to the earlier finisher."""
    rows = conn.execute(
        sa.select(
            LEARNER.c.display_name,
            sa.func.sum(ATTEMPT.c.points).label("points"),
            sa.func.sum(sa.case((ATTEMPT.c.correct, 1), else_=0)).label("correct"),
            sa.func.max(ATTEMPT.c.answered_at).label("last"),
        )
        .join(LEARNER, LEARNER.c.id == ATTEMPT.c.learner_id)
        .join(QUIZ_QUESTION, QUIZ_QUESTION.c.id == ATTEMPT.c.quiz_question_id)
        .where(QUIZ_QUESTION.c.session_id == session_id, ATTEMPT.c.final.is_(True))
        .group_by(ATTEMPT.c.learner_id, LEARNER.c.display_name)
        .order_by(sa.desc("points"), "last")
    )
    return [Standing(str(r.display_name), int(r.points or 0), int(r.correct or 0)) for r in rows]
