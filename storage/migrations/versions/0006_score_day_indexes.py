"""score_day indexes: period boards and a learner's own total from the index alone

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 22:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("score_day", schema=None) as batch_op:
        batch_op.create_index(
            "ix_score_day_period", ["workspace_id", "day", "learner_id", "points", "reached_at"]
        )
        batch_op.create_index(
            "ix_score_day_learner", ["workspace_id", "learner_id", "day", "points", "reached_at"]
        )


def downgrade() -> None:
    with op.batch_alter_table("score_day", schema=None) as batch_op:
        batch_op.drop_index("ix_score_day_learner")
        batch_op.drop_index("ix_score_day_period")
