"""Persistence: SQLModel tables, engines, the transaction runner and Alembic migrations."""
