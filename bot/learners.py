"""Learners and workspaces: looked up on reads, created on the first write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

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

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)


def fuzz_seed(ctx: Context) -> str:
    """Identifies the person for deterministic fuzz, even before their learner row exists."""
    return f"{ctx.platform}:{ctx.user}"


def _profile(row: sa.Row[tuple[object, ...]] | None, default_tz: str) -> LearnerProfile:
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
    )


def _select_learner(ctx: Context) -> sa.Select[tuple[object, ...]]:
    return sa.select(
        LEARNER.c.id,
        LEARNER.c.timezone,
        LEARNER.c.new_per_day,
        LEARNER.c.desired_retention,
        LEARNER.c.study_topic,
        LEARNER.c.study_exam,
    ).where(LEARNER.c.platform == ctx.platform, LEARNER.c.user_id == ctx.user)


async def find_learner(conn: AsyncConnection, ctx: Context, default_tz: str) -> LearnerProfile:
    """The caller's profile; defaults when they have never studied."""
    row = (await conn.execute(_select_learner(ctx))).first()
    return _profile(row, default_tz)


async def ensure_learner(
    conn: AsyncConnection, ctx: Context, now: datetime, default_tz: str
) -> LearnerProfile:
    """The caller's profile, creating the row on first use (safe under concurrency)."""
    row = (await conn.execute(_select_learner(ctx))).first()
    if row is None:
        await insert_ignore(
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
        row = (await conn.execute(_select_learner(ctx))).first()
    return _profile(row, default_tz)


async def find_workspace_id(conn: AsyncConnection, ctx: Context) -> int | None:
    """The workspace row for the caller's guild/team, if it exists yet."""
    if not ctx.workspace:
        return None
    return (
        await conn.execute(
            sa.select(WORKSPACE.c.id).where(
                WORKSPACE.c.platform == ctx.platform, WORKSPACE.c.external_id == ctx.workspace
            )
        )
    ).scalar_one_or_none()


async def ensure_workspace(conn: AsyncConnection, ctx: Context, now: datetime) -> int | None:
    """The workspace row id, created on first use; None outside any workspace."""
    if not ctx.workspace:
        return None
    found = await find_workspace_id(conn, ctx)
    if found is not None:
        return found
    await insert_ignore(
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
    return await find_workspace_id(conn, ctx)
