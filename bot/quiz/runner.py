"""Reveals timed questions when their deadline passes and posts what follows.

The database is the timer: `run_due` reveals every open question whose deadline
has passed, so a restart simply calls it again (a deadline still ahead keeps its
original time; one that passed while we were down is revealed at once). Each
reveal is claimed in the database, so two processes never reveal one twice.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from sqlalchemy import Connection

from bot.outbox import Outbox
from bot.quiz import flow, render, store
from bot.services import Services

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


@dataclass
class QuizRunner:
    """Posts reveals, next questions and standings through each platform's Outbox."""

    services: Services
    outboxes: dict[str, Outbox] = field(default_factory=dict)

    async def run_due(self) -> int:
        """Reveal everything that is due now; returns how many reveals this process made."""
        services = self.services
        now = services.clock.now()
        due = await services.database.read(lambda conn: store.due_reveals(conn, now))
        made = 0
        for quiz_question_id in due:

            def work(conn: Connection, qq: int = quiz_question_id) -> flow.Revealed | None:
                return flow.reveal(conn, qq, now, services.default_timezone)

            revealed = await services.database.write(work)
            if revealed is not None:
                made += 1
                await self._post(revealed)
        return made

    async def _post(self, revealed: flow.Revealed) -> None:
        item = revealed.item
        outbox = self.outboxes.get(item.platform)
        if outbox is None:
            log.warning(
                "No outbox for platform %s; quiz %d not posted.", item.platform, item.session_id
            )
            return
        try:
            await outbox.post(item.channel, render.reveal(item, revealed.answers))
            if revealed.next_item is not None:
                await outbox.post(item.channel, render.question(revealed.next_item))
            elif revealed.standings is not None:
                await outbox.post(item.channel, render.final_standings(revealed.standings))
        except Exception:
            log.exception("Posting to %s failed", item.channel)

    async def run_forever(self) -> None:
        """Reveal on time until cancelled; wakes at the next deadline or every second."""
        while True:
            try:
                await self.run_due()
                upcoming = await self.services.database.read(store.next_deadline)
            except Exception:
                log.exception("Quiz runner step failed; retrying")
                upcoming = None
            wait = POLL_SECONDS
            if upcoming is not None:
                wait = min(wait, max(0.0, (upcoming - self.services.clock.now()).total_seconds()))
            await asyncio.sleep(wait)
