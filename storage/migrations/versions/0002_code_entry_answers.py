"""code entry answers: accepted alternatives, code set and sequencing per question

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:23:12
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("accepted_json", sa.String(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("code_set", sa.String(length=16), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("sequence", sa.String(length=8), nullable=False, server_default="ordered")
        )


def downgrade() -> None:
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_column("sequence")
        batch_op.drop_column("code_set")
        batch_op.drop_column("accepted_json")
