"""The console's Outbox: timed and scheduled posts are printed like any reply."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bot.outbox import MessageRef
from bot.reply import Reply


class ConsoleOutbox:
    """Prints posts, edits and DMs through the console's writer."""

    def __init__(self, show: Callable[[str, Reply], None]) -> None:
        self._show = show
        self._ids = itertools.count(1)

    async def post(self, channel: str, reply: Reply) -> MessageRef:
        self._show(f"#{channel}", reply)
        return MessageRef(channel, str(next(self._ids)))

    async def edit(self, ref: MessageRef, reply: Reply) -> None:
        self._show(f"#{ref.channel} (edited)", reply)

    async def dm(self, user: str, reply: Reply) -> MessageRef:
        self._show(f"DM to {user}", reply)
        return MessageRef(f"dm:{user}", str(next(self._ids)))
