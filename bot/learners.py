"""Learners and workspaces: looked up on reads, created on the first write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.context import Context
from bot.studyday import zone
from storage.models import LEARNER, WORKSPACE
from storage.upsert import insert_ignore

DEFAULT_NEW_PER_DAY = 20
DEFAULT_RETENTION = 0.9


@dataclass(frozen=True)
class LearnerProfile:
    """A learner's settings; `id` is None until they first grade something."""

    id: int | None
    timezone: str
    timezone_is_default: bool
    new_per_day: int
    retention: float
    study_topic: str
    study_exam: str
    reminder_time: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)


def fuzz_seed(ctx: Context) -> str:
    """Identifies the person for deterministic fuzz, even before their learner row exists."""
    return f"{ctx.platform}:{ctx.user}"


def _profile(row: Any, default_tz: str) -> LearnerProfile:
    if row is None:
        return LearnerProfile(
            None, default_tz, True, DEFAULT_NEW_PER_DAY, DEFAULT_RETENTION, "", ""
        )
    mapping = row._mapping
    timezone = mapping["timezone"]
    return LearnerProfile(
        id=int(mapping["id"]),
        timezone=str(timezone or default_tz),
        timezone_is_default=timezone is None,
        new_per_day=int(mapping["new_per_day"]),
        retention=float(mapping["desired_retention"]),
        study_topic=str(mapping["study_topic"]),
        study_exam=str(mapping["study_exam"]),
        reminder_time=str(mapping["reminder_time"] or ""),
    )


_SELECT_LEARNER = sa.select(
    LEARNER.c.id,
    LEARNER.c.timezone,
    LEARNER.c.new_per_day,
    LEARNER.c.desired_retention,
    LEARNER.c.study_topic,
    LEARNER.c.study_exam,
    LEARNER.c.reminder_time,
).where(LEARNER.c.platform == sa.bindparam("platform"), LEARNER.c.user_id == sa.bindparam("user"))


def _who(ctx: Context) -> dict[str, str]:
    return {"platform": ctx.platform, "user": ctx.user}


def find_learner(conn: Connection, ctx: Context, default_tz: str) -> LearnerProfile:
    """The caller's profile; defaults when they have never studied."""
    row = (conn.execute(_SELECT_LEARNER, _who(ctx))).first()
    return _profile(row, default_tz)


def ensure_learner(
    conn: Connection, ctx: Context, now: datetime, default_tz: str
) -> LearnerProfile:
    """The caller's profile, creating the row on first use (safe under concurrency)."""
    row = (conn.execute(_SELECT_LEARNER, _who(ctx))).first()
    if row is None:
        insert_ignore(
            conn,
            LEARNER,
            {
                "platform": ctx.platform,
                "user_id": ctx.user,
                "display_name": ctx.display_name[:100],
                "new_per_day": DEFAULT_NEW_PER_DAY,
                "desired_retention": DEFAULT_RETENTION,
                "study_topic": "",
                "study_exam": "",
                "created_at": now,
            },
        )
        row = (conn.execute(_SELECT_LEARNER, _who(ctx))).first()
    return _profile(row, default_tz)


def find_workspace_id(conn: Connection, ctx: Context) -> int | None:
    """The workspace row for the caller's guild/team, if it exists yet."""
    if not ctx.workspace:
        return None
    return (
        conn.execute(
            sa.select(WORKSPACE.c.id).where(
                WORKSPACE.c.platform == ctx.platform, WORKSPACE.c.external_id == ctx.workspace
            )
        )
    ).scalar_one_or_none()


def ensure_workspace(conn: Connection, ctx: Context, now: datetime) -> int | None:
    """The workspace row id, created on first use; None outside any workspace."""
    if not ctx.workspace:
        return None
    found = find_workspace_id(conn, ctx)
    if found is not None:
        return found
    insert_ignore(
        conn,
        WORKSPACE,
        {
            "platform": ctx.platform,
            "external_id": ctx.workspace,
            "name": "",
            "settings_json": "{}",
            "created_at": now,
        },
    )
    return find_workspace_id(conn, ctx)


def learner_by_id(conn: Connection, learner_id: int, default_tz: str) -> tuple[LearnerProfile, str]:
    """A learner's profile and fuzz seed, for work done on their behalf (quiz misses)."""
    row = conn.execute(
        sa.select(
            LEARNER.c.id,
            LEARNER.c.platform,
            LEARNER.c.user_id,
            LEARNER.c.timezone,
            LEARNER.c.new_per_day,
            LEARNER.c.desired_retention,
            LEARNER.c.study_topic,
            LEARNER.c.study_exam,
            LEARNER.c.reminder_time,
        ).where(LEARNER.c.id == learner_id)
    ).one()
    return _profile(row, default_tz), f"{row.platform}:{row.user_id}"
