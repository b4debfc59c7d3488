"""study order index: new cards come in global position order (pack order, then place)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 20:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_pack_order")
        batch_op.create_index("ix_question_study_order", ["position", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_study_order")
        batch_op.create_index("ix_question_pack_order", ["pack_id", "position"], unique=False)
