"""Scheduled work: local-time triggers, the APScheduler wiring, weekly boards, reminders."""
