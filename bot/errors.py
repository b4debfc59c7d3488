"""Errors a user caused: shown as one sentence; the transaction is rolled back."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a request that cannot be met; `message` is what the user reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleClick(UserError):
    """A button for something that has already happened (double click, second device)."""
