"""The bodies of scheduled jobs, each taking `now` so tests drive them with a clock.

Exactly once is a database fact: a daily post is claimed by inserting the channel's
(local date) challenge row, a weekly board or a reminder by inserting a
SCHEDULE_CLAIM row, a reveal by a conditional update; only the winner posts. A
process only claims work for platforms it has an Outbox for, so a Discord process
and a Slack process can share one database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.challenge import flow, render, store, streaks
from bot.config_cmd import workspace_zone
from bot.outbox import MessageRef, Outbox
from bot.reply import Reply
from bot.schedule.times import latest_occurrence, stored_clock
from bot.scores.leaderboard import Period, load_board
from bot.scores.progress import due_today
from bot.services import Services
from bot.studyday import zone
from storage.models import CLAIM, LEARNER
from storage.upsert import insert_ignore

log = logging.getLogger(__name__)
PAUSE_AFTER_FAILURES = 3
WEEKLY_WINDOW = timedelta(hours=12)
REMINDER_WINDOW = timedelta(hours=2)


@dataclass(frozen=True)
class PostOutcome:
    """What a daily-post job did: posted, exists (another run or process has it),
    window-closed, inactive, no-questions, failed or no-outbox."""

    status: str
    challenge_id: int | None = None


@dataclass
class _Claimed:
    status: str
    reveals: list[flow.Revealed]
    item: store.ChallengeItem | None = None


@dataclass
class ScheduledWork:
    """Daily posts, reveals, weekly boards and reminders, through each platform's Outbox."""

    services: Services
    outboxes: dict[str, Outbox] = field(default_factory=dict)

    @property
    def platforms(self) -> list[str]:
        return sorted(self.outboxes)

    # -- daily challenge -------------------------------------------------------------

    async def post_daily(self, subscription_id: int, now: datetime) -> PostOutcome:
        """Post the channel's challenge for the local date whose time has come, unless it
        exists or its window has closed; reveals the channel's closed challenge first."""
        default_tz = self.services.default_timezone
        platforms = self.platforms

        def work(conn: Connection) -> _Claimed:
            sub = store.subscription_by_id(conn, subscription_id)
            if sub is None or sub.status != store.ACTIVE:
                return _Claimed("inactive", [])
            if sub.platform not in platforms:
                return _Claimed("no-outbox", [])
            reveals = [
                revealed
                for challenge_id in store.due_reveals(conn, now, sub.platform, sub.channel)
                if (revealed := flow.reveal(conn, challenge_id, now, default_tz)) is not None
            ]
            day, due_at = latest_occurrence(sub.post_time, sub.zone, now)
            closes_at = sub.closes_at(day, due_at)  # a late post keeps the window's end
            if now >= closes_at:
                return _Claimed("window-closed", reveals)
            return self._claim(conn, sub, day, now, closes_at, reveals)

        claimed = await self.services.database.write(work, background=True)
        for revealed in claimed.reveals:
            await self._post_reveal(revealed)
        if claimed.item is None:
            return PostOutcome(claimed.status)
        return await self._post_challenge(claimed.item, now)

    def _claim(
        self,
        conn: Connection,
        sub: store.Subscription,
        day: date,
        now: datetime,
        closes_at: datetime,
        reveals: list[flow.Revealed],
    ) -> _Claimed:
        question = store.pick_question(conn, sub, day)
        if question is None:
            return _Claimed("no-questions", reveals)
        workspace_tz = workspace_zone(conn, sub.workspace_id, self.services.default_timezone)
        score_day = now.astimezone(workspace_tz).date()
        challenge_id = store.claim(conn, sub, day, score_day, question, now, closes_at)
        if challenge_id is None:
            return _Claimed("exists", reveals)
        return _Claimed("claimed", reveals, store.load_challenge(conn, challenge_id))

    async def _post_challenge(self, item: store.ChallengeItem, now: datetime) -> PostOutcome:
        try:
            ref = await self.outboxes[item.platform].post(item.channel, render.post(item))
        except Exception as exc:  # any refusal is recorded for /challenge status
            await self._failed(item.subscription_id, exc, now, failed_challenge=item.id)
            return PostOutcome("failed", item.id)

        def done(conn: Connection) -> None:
            store.set_message(conn, item.id, ref.message_id)
            store.record_success(conn, item.subscription_id)

        await self.services.database.write(done, background=True)
        return PostOutcome("posted", item.id)

    async def _failed(
        self, subscription_id: int, exc: Exception, now: datetime, failed_challenge: int = 0
    ) -> None:
        error = str(exc) or type(exc).__name__
        log.warning("Posting for subscription %d failed: %s", subscription_id, error)

        def work(conn: Connection) -> bool:
            if failed_challenge:
                store.mark_failed(conn, failed_challenge)
            return store.record_failure(conn, subscription_id, error, now, PAUSE_AFTER_FAILURES)

        if await self.services.database.write(work, background=True):
            self.services.signals.schedule_changed()

    async def _post_reveal(self, revealed: flow.Revealed) -> None:
        item = revealed.item
        outbox = self.outboxes.get(item.platform)
        if outbox is None:  # pragma: no cover - reveals are claimed per platform
            return
        try:
            await outbox.post(item.channel, render.reveal(item, revealed.scored, revealed.streaks))
        except Exception as exc:
            await self._failed(item.subscription_id, exc, self.services.clock.now())
            return
        if item.message_id:
            try:
                await outbox.edit(
                    MessageRef(item.channel, item.message_id), render.closed_post(item)
                )
            except Exception:  # the reveal is out; a stale button only says "closed"
                log.info("Could not close the buttons of challenge %d", item.id)

    async def reveal_due(self, now: datetime) -> int:
        """Reveal every challenge (on our platforms) whose window has closed."""
        platforms = self.platforms
        default_tz = self.services.default_timezone

        def find(conn: Connection) -> list[int]:
            return [
                challenge_id
                for platform in platforms
                for challenge_id in store.due_reveals(conn, now, platform)
            ]

        made = 0
        for challenge_id in await self.services.database.read(find):

            def work(conn: Connection, challenge: int = challenge_id) -> flow.Revealed | None:
                return flow.reveal(conn, challenge, now, default_tz)

            revealed = await self.services.database.write(work, background=True)
            if revealed is not None:
                made += 1
                await self._post_reveal(revealed)
        return made

    # -- weekly leaderboard ----------------------------------------------------------

    async def post_weekly(self, subscription_id: int, now: datetime) -> bool:
        """Post last week's top ten once per channel per week; True when this call did."""
        default_tz = self.services.default_timezone
        platforms = self.platforms

        def work(conn: Connection) -> tuple[store.Subscription, Reply] | None:
            sub = store.subscription_by_id(conn, subscription_id)
            if (
                sub is None
                or sub.status != store.ACTIVE
                or sub.platform not in platforms
                or sub.weekly_day is None
                or sub.weekly_time is None
            ):
                return None
            _, due_at = latest_occurrence(sub.weekly_time, sub.zone, now, sub.weekly_day)
            if now - due_at >= WEEKLY_WINDOW:
                return None
            tz = workspace_zone(conn, sub.workspace_id, default_tz)
            today = now.astimezone(tz).date()
            monday = streaks.week_of(today)
            period = Period("week", monday - timedelta(days=7), monday - timedelta(days=1))
            claim = {
                "kind": "weekly",
                "target": f"{sub.platform}:{sub.channel}"[:100],
                "period": period.first,
                "claimed_at": now,
            }
            if not insert_ignore(conn, CLAIM, claim):
                return None
            board = load_board(conn, sub.workspace_id, None, period, None)
            ids = [entry.learner_id for entry in board.top]
            current = streaks.current_streaks(conn, sub.workspace_id, ids, today)
            return sub, render.weekly(period, board.top, current, tz.key)

        found = await self.services.database.write(work, background=True)
        if found is None:
            return False
        sub, reply = found
        try:
            await self.outboxes[sub.platform].post(sub.channel, reply)
        except Exception as exc:
            await self._failed(sub.id, exc, now)
            return False
        return True

    # -- review reminders ------------------------------------------------------------

    async def send_reminders(self, now: datetime) -> int:
        """DM each learner whose reminder time has come (within two hours) and who has
        reviews due, at most once per local day; returns how many were sent."""
        platforms = self.platforms
        default_tz = self.services.default_timezone

        def work(conn: Connection) -> list[tuple[str, str, int]]:
            rows = conn.execute(
                sa.select(
                    LEARNER.c.id,
                    LEARNER.c.platform,
                    LEARNER.c.user_id,
                    LEARNER.c.timezone,
                    LEARNER.c.reminder_time,
                ).where(LEARNER.c.reminder_time.is_not(None), LEARNER.c.platform.in_(platforms))
            )
            sends: list[tuple[str, str, int]] = []
            for row in rows.all():
                try:
                    tz = zone(row.timezone or default_tz)
                    at = stored_clock(row.reminder_time)
                except ValueError:
                    continue
                day, due_at = latest_occurrence(at, tz, now)
                if now - due_at >= REMINDER_WINDOW:
                    continue
                count = due_today(conn, int(row.id), now, tz)
                if not count:
                    continue
                claim = {
                    "kind": "reminder",
                    "target": str(row.id),
                    "period": day,
                    "claimed_at": now,
                }
                if insert_ignore(conn, CLAIM, claim):
                    sends.append((str(row.platform), str(row.user_id), count))
            return sends

        sent = 0
        for platform, user, count in await self.services.database.write(work, background=True):
            try:
                await self.outboxes[platform].dm(user, render.reminder(count))
                sent += 1
            except Exception:
                log.warning("Could not DM a review reminder on %s", platform)
        return sent

    # -- after a restart -------------------------------------------------------------

    async def catch_up(self, now: datetime) -> None:
        """Reveal what closed while we were down, then make each post whose window is
        still open (each once: the claims decide). Windows are checked here first, so
        a restart with thousands of subscriptions writes only for the few it owes."""
        await self.reveal_due(now)
        subscriptions = await self.services.database.read(store.active_subscriptions)
        for sub in subscriptions:
            if sub.platform not in self.outboxes:
                continue
            day, due_at = latest_occurrence(sub.post_time, sub.zone, now)
            if now < sub.closes_at(day, due_at):
                await self.post_daily(sub.id, now)
            if sub.weekly_day is not None and sub.weekly_time is not None:
                _, weekly_at = latest_occurrence(sub.weekly_time, sub.zone, now, sub.weekly_day)
                if now - weekly_at < WEEKLY_WINDOW:
                    await self.post_weekly(sub.id, now)
