"""Slack adapter (slack-bolt 1.30)."""
