"""The port through which timed and scheduled work speaks outward.

Each adapter implements it; the core never knows which platform it talks to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.reply import Reply


@dataclass(frozen=True)
class MessageRef:
    """Enough to find a posted message again (to edit it)."""

    channel: str
    message_id: str


class OutboxError(Exception):
    """The platform refused a post (no access, channel gone); the message says why and is
    shown to moderators in /challenge status."""


class Outbox(Protocol):
    """Post to a channel, edit a posted message, or DM a user."""

    async def post(self, channel: str, reply: Reply) -> MessageRef: ...

    async def edit(self, ref: MessageRef, reply: Reply) -> None: ...

    async def dm(self, user: str, reply: Reply) -> MessageRef: ...
