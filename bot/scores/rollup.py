"""The leaderboard rollup: points per workspace x channel x learner x local day.

Written in the same transaction that makes points final (a quiz reveal, a challenge
close), so a leaderboard is a small indexed sum, never a scan of every attempt.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import SCORE_DAY


def add_points(
    conn: Connection,
    *,
    workspace_id: int,
    channel: str,
    learner_id: int,
    day: date,
    points: int,
    correct: bool,
    at: datetime,
) -> None:
    """Add one final answer's points to its day; `reached_at` moves only when points grow
    (leaderboard ties go to whoever reached the score first)."""
    values = {
        "workspace_id": workspace_id,
        "channel": channel,
        "learner_id": learner_id,
        "day": day,
        "points": points,
        "correct": int(correct),
        "answered": 1,
        "reached_at": at,
    }
    insert: Any = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(SCORE_DAY)
    statement = insert.values(**values)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["workspace_id", "channel", "learner_id", "day"],
        set_={
            "points": SCORE_DAY.c.points + excluded.points,
            "correct": SCORE_DAY.c.correct + excluded.correct,
            "answered": SCORE_DAY.c.answered + excluded.answered,
            "reached_at": sa.case(
                (excluded.points > 0, excluded.reached_at), else_=SCORE_DAY.c.reached_at
            ),
        },
    )
    conn.execute(statement)
