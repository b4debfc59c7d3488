"""Alembic migrations for StudyBot's tables."""
