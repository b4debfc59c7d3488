"""daily challenges, weekly boards, streaks and review reminders

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 23:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "challenge_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("post_time", sa.String(length=8), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("close_after_minutes", sa.Integer(), nullable=False),
        sa.Column("weekly_day", sa.Integer(), nullable=True),
        sa.Column("weekly_time", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=False),
        sa.Column("last_error_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "channel"),
    )
    with op.batch_alter_table("challenge_subscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_challenge_subscription_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "daily_challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("score_day", sa.Date(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("question_revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("posted_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revealed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"]),
        sa.ForeignKeyConstraint(["subscription_id"], ["challenge_subscription.id"]),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "channel", "local_date"),
    )
    with op.batch_alter_table("daily_challenge", schema=None) as batch_op:
        batch_op.create_index("ix_daily_challenge_open", ["status", "closes_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_daily_challenge_subscription_id"), ["subscription_id"], unique=False
        )

    op.create_table(
        "schedule_claim",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("claimed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "target", "period"),
    )
    op.create_table(
        "challenge_streak",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("best", sa.Integer(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("freeze_week", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["learner_id"], ["learner.id"]),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"]),
        sa.PrimaryKeyConstraint("workspace_id", "learner_id"),
    )
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("challenge_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            "uq_attempt_challenge_learner", ["challenge_id", "learner_id"]
        )
        batch_op.create_foreign_key(
            "fk_attempt_challenge", "daily_challenge", ["challenge_id"], ["id"]
        )
    with op.batch_alter_table("learner", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminder_time", sa.String(length=5), nullable=True))
    with op.batch_alter_table("quiz_session", schema=None) as batch_op:
        batch_op.alter_column("starter_learner_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("quiz_session", schema=None) as batch_op:
        batch_op.alter_column("starter_learner_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("learner", schema=None) as batch_op:
        batch_op.drop_column("reminder_time")
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_constraint("fk_attempt_challenge", type_="foreignkey")
        batch_op.drop_constraint("uq_attempt_challenge_learner", type_="unique")
        batch_op.drop_column("challenge_id")
    op.drop_table("challenge_streak")
    op.drop_table("schedule_claim")
    with op.batch_alter_table("daily_challenge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_daily_challenge_subscription_id"))
        batch_op.drop_index("ix_daily_challenge_open")
    op.drop_table("daily_challenge")
    with op.batch_alter_table("challenge_subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_challenge_subscription_workspace_id"))
    op.drop_table("challenge_subscription")
