"""INSERT ... ON CONFLICT DO NOTHING for both dialects: uniqueness decides, not Python."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite


@lru_cache(maxsize=32)
def _statement(table: sa.Table, dialect: str) -> Any:
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def insert_ignore(conn: Connection, table: sa.Table, values: dict[str, Any]) -> bool:
    """Insert one row unless it conflicts with a unique key; True when this call inserted it."""
    result = conn.execute(_statement(table, conn.dialect.name), values)
    return bool(result.rowcount)
