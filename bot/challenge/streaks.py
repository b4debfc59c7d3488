"""Daily-challenge streaks: consecutive challenge days a learner answered, per workspace.

Days are the workspace's local days (the day a challenge's points count for). Only
days on which the workspace had a challenge revealed can break a streak: a day with
no challenge (downtime, a paused channel) is nobody's fault. Each Monday-to-Sunday
week covers one missed day by itself (the automatic freeze); a second miss in the
same week, or a miss when that week's freeze is spent, starts the streak over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import Connection

from storage.models import CHALLENGE, STREAK
from storage.upsert import insert_ignore


@dataclass(frozen=True)
class Streak:
    current: int = 0
    best: int = 0
    last_day: date | None = None
    freeze_week: date | None = None


def week_of(day: date) -> date:
    """The Monday that starts `day`'s week."""
    return day - timedelta(days=day.weekday())


def _bridge(streak: Streak, missed: Iterable[date]) -> Streak | None:
    """The streak after spending freezes on `missed` days, or None if it breaks."""
    freeze_week = streak.freeze_week
    for day in sorted(missed):
        week = week_of(day)
        if freeze_week == week:
            return None
        freeze_week = week
    return replace(streak, freeze_week=freeze_week)


def extend(streak: Streak, day: date, missed: Iterable[date]) -> Streak:
    """The streak after answering on `day`, with `missed` the challenge days since the
    last answered one; a day already counted changes nothing."""
    if streak.last_day is not None and day <= streak.last_day:
        return streak
    bridged = _bridge(streak, missed) if streak.current else None
    if bridged is None:
        current = 1
        bridged = replace(streak, freeze_week=streak.freeze_week)
    else:
        current = streak.current + 1
    return Streak(current, max(streak.best, current), day, bridged.freeze_week)


def alive(streak: Streak, missed: Iterable[date]) -> int:
    """The streak as it stands today: its count, or 0 if the misses since broke it."""
    if not streak.current:
        return 0
    return streak.current if _bridge(streak, missed) is not None else 0


def challenge_days(conn: Connection, workspace_id: int, after: date, before: date) -> list[date]:
    """Days strictly between `after` and `before` on which the workspace had a challenge
    revealed."""
    rows = conn.execute(
        sa.select(CHALLENGE.c.score_day)
        .where(
            CHALLENGE.c.workspace_id == workspace_id,
            CHALLENGE.c.status == "revealed",
            CHALLENGE.c.score_day > after,
            CHALLENGE.c.score_day < before,
        )
        .distinct()
    )
    return sorted(row.score_day for row in rows)


def load(
    conn: Connection, workspace_id: int, learner_ids: Iterable[int], lock: bool = False
) -> dict[int, Streak]:
    ids = list(learner_ids)
    if not ids:
        return {}
    query = sa.select(STREAK).where(
        STREAK.c.workspace_id == workspace_id, STREAK.c.learner_id.in_(ids)
    )
    rows = conn.execute(query.with_for_update() if lock else query)
    return {
        int(row.learner_id): Streak(int(row.current), int(row.best), row.last_day, row.freeze_week)
        for row in rows
    }


def record_day(
    conn: Connection, workspace_id: int, learner_ids: Iterable[int], day: date
) -> dict[int, int]:
    """Count `day` for each learner who answered; returns their streaks after it. Rows
    are created first and then locked, so two reveals at once (two channels, two
    processes) count each learner's day once."""
    ids = sorted(set(learner_ids))
    for learner_id in ids:
        insert_ignore(
            conn,
            STREAK,
            {"workspace_id": workspace_id, "learner_id": learner_id, "current": 0, "best": 0},
        )
    known = load(conn, workspace_id, ids, lock=True)
    result: dict[int, int] = {}
    for learner_id in ids:
        streak = known.get(learner_id, Streak())
        missed = (
            challenge_days(conn, workspace_id, streak.last_day, day)
            if streak.last_day is not None and streak.current
            else []
        )
        after = extend(streak, day, missed)
        result[learner_id] = after.current
        if after != streak:
            conn.execute(
                STREAK.update()
                .where(STREAK.c.workspace_id == workspace_id, STREAK.c.learner_id == learner_id)
                .values(
                    current=after.current,
                    best=after.best,
                    last_day=after.last_day,
                    freeze_week=after.freeze_week,
                )
            )
    return result


def current_streaks(
    conn: Connection, workspace_id: int, learner_ids: Iterable[int], today: date
) -> dict[int, int]:
    """Streaks as they stand on `today` (a day whose challenge is not revealed yet does
    not count against anyone)."""
    result: dict[int, int] = {}
    for learner_id, streak in load(conn, workspace_id, learner_ids).items():
        if streak.last_day is None:
            continue
        missed = challenge_days(conn, workspace_id, streak.last_day, today + timedelta(days=1))
        count = alive(streak, missed)
        if count:
            result[learner_id] = count
    return result
