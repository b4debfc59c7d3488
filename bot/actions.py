"""Button action ids: "<action>:<arg>:<arg>", at most 100 characters.

A click must be handleable by any process after any restart, so every piece of
state the handler needs is either in the id or in the database.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_ACTION_ID = 100
MAX_ID = 2**31 - 1  # database integer ids
MAX_STAMP = 253_402_300_799  # epoch seconds of 9999-12-31, the last datetime can hold
_SEPARATOR = ":"


class ActionIdError(ValueError):
    """An action id that cannot be decoded (stale client, tampering, or a bug)."""


@dataclass(frozen=True)
class Action:
    """A decoded action id."""

    name: str
    args: tuple[str, ...]
    text: str = ""

    def int_arg(self, index: int, maximum: int = MAX_ID) -> int:
        """Argument `index` as a whole number from 0 to `maximum`, or ActionIdError."""
        try:
            value = int(self.args[index])
        except (IndexError, ValueError):
            raise ActionIdError(f"Action {self.name!r} lacks a whole number at {index}.") from None
        if not 0 <= value <= maximum:
            raise ActionIdError(f"Action {self.name!r} has {value} at {index}, out of range.")
        return value


def encode(name: str, *args: object) -> str:
    """Build an action id; refuses separators inside parts and ids over 100 characters."""
    parts = [name, *(str(arg) for arg in args)]
    for part in parts:
        if _SEPARATOR in part or not part:
            raise ActionIdError(f"Action id part {part!r} is empty or contains {_SEPARATOR!r}.")
    action_id = _SEPARATOR.join(parts)
    if len(action_id) > MAX_ACTION_ID:
        raise ActionIdError(f"Action id is {len(action_id)} characters; the limit is 100.")
    return action_id


def decode(action_id: str) -> Action:
    """Split an action id back into its name and arguments."""
    if not action_id or len(action_id) > MAX_ACTION_ID:
        raise ActionIdError("Action id is empty or longer than 100 characters.")
    name, *args = action_id.split(_SEPARATOR)
    if not name:
        raise ActionIdError("Action id has no action name.")
    return Action(name=name, args=tuple(args))
