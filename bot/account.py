"""/settings and /forget-me: the learner's own settings and data."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import Connection

from bot import strings
from bot.actions import Action, encode
from bot.context import Context
from bot.errors import UserError
from bot.grammar import ParsedCommand
from bot.learners import LearnerProfile, ensure_learner, find_learner
from bot.reply import Button, ButtonStyle, Field, Reply, rows
from bot.schedule.times import TimeFormatError, clock_text, parse_clock
from bot.services import Services
from bot.studyday import zone
from storage.models import (
    ATTEMPT,
    CLAIM,
    LEARNER,
    QUIZ_SESSION,
    REVIEW_LOG,
    REVIEW_STATE,
    SCORE_DAY,
    STREAK,
)

FORGET = "me.forget"
_WHOLE = re.compile(r"^[0-9]{1,3}$")
_DECIMAL = re.compile(r"^[0-9]?\.[0-9]{1,4}$|^[01]$")
NEW_RANGE = (0, 200)
RETENTION_RANGE = (0.80, 0.97)


def _quoted(value: str) -> str:
    """What the user typed, cut short so a pasted novel does not come back."""
    return value if len(value) <= 20 else value[:20] + "…"


def _parse_changes(options: dict[str, str]) -> dict[str, object]:
    """Validate every option before anything is written (all or nothing)."""
    changes: dict[str, object] = {}
    if "timezone" in options:
        zone(options["timezone"].strip())  # raises ValueError with the message
        changes["timezone"] = options["timezone"].strip()
    if "new" in options:
        raw = options["new"].strip()
        if not _WHOLE.match(raw) or not NEW_RANGE[0] <= int(raw) <= NEW_RANGE[1]:
            raise UserError(strings.BAD_NEW.format(value=repr(_quoted(raw))))
        changes["new_per_day"] = int(raw)
    if "retention" in options:
        raw = options["retention"].strip()
        value = float(raw) if _DECIMAL.match(raw) else -1.0
        if not RETENTION_RANGE[0] <= value <= RETENTION_RANGE[1]:
            raise UserError(strings.BAD_RETENTION.format(value=repr(_quoted(raw))))
        changes["desired_retention"] = value
    if "reminders" in options:
        raw = options["reminders"].strip()
        if raw.lower() == "off":
            changes["reminder_time"] = None
        else:
            try:
                changes["reminder_time"] = clock_text(parse_clock(raw, "reminders"))
            except TimeFormatError:
                raise UserError(strings.BAD_REMINDERS.format(value=repr(_quoted(raw)))) from None
    return changes


def _settings_reply(learner: LearnerProfile, lead: str) -> Reply:
    timezone = (
        strings.SETTING_DEFAULT.format(value=learner.timezone)
        if learner.timezone_is_default
        else learner.timezone
    )
    return Reply(
        title=strings.SETTINGS_TITLE,
        body=(lead + "\n\n" if lead else "") + strings.SETTINGS_HELP,
        fields=(
            Field(strings.SETTING_TIMEZONE, timezone),
            Field(strings.SETTING_NEW, str(learner.new_per_day)),
            Field(strings.SETTING_RETENTION, f"{learner.retention:.2f}"),
            Field(
                strings.SETTING_REMINDERS,
                strings.SETTING_REMINDERS_AT.format(time=learner.reminder_time)
                if learner.reminder_time
                else strings.SETTING_REMINDERS_OFF,
            ),
        ),
        ephemeral=True,
    )


async def settings_command(services: Services, ctx: Context, command: ParsedCommand) -> list[Reply]:
    """/settings [timezone=...] [new=...] [retention=...]"""
    if "new" in command.options and "new-per-day" in command.options:
        raise UserError(strings.NEW_TWICE)
    options = {("new" if key == "new-per-day" else key): v for key, v in command.options.items()}
    try:
        changes = _parse_changes(options)
    except ValueError as exc:
        raise UserError(str(exc)) from None

    def work(conn: Connection) -> Reply:
        if not changes:
            learner = find_learner(conn, ctx, services.default_timezone)
            return _settings_reply(learner, "")
        learner = ensure_learner(conn, ctx, services.clock.now(), services.default_timezone)
        conn.execute(LEARNER.update().where(LEARNER.c.id == learner.id).values(**changes))
        learner = find_learner(conn, ctx, services.default_timezone)
        return _settings_reply(learner, strings.SETTINGS_SAVED)

    if changes:
        return [await services.database.write(work)]
    return [await services.database.read(work)]


async def forget_command(services: Services, ctx: Context, command: ParsedCommand) -> list[Reply]:
    """/forget-me: ask first; the Confirm button does the deleting."""
    return [
        Reply(
            body=strings.FORGET_ASK,
            buttons=rows(
                Button(strings.FORGET_CONFIRM, encode(FORGET, "yes"), ButtonStyle.DANGER),
                Button(strings.FORGET_CANCEL, encode(FORGET, "no"), ButtonStyle.SECONDARY),
            ),
            ephemeral=True,
        )
    ]


def delete_learner(conn: Connection, learner_id: int) -> None:
    """Every row about one learner, children first. Quizzes they started stay (others
    answered them) but no longer name their starter."""
    conn.execute(ATTEMPT.delete().where(ATTEMPT.c.learner_id == learner_id))
    conn.execute(SCORE_DAY.delete().where(SCORE_DAY.c.learner_id == learner_id))
    conn.execute(STREAK.delete().where(STREAK.c.learner_id == learner_id))
    conn.execute(
        CLAIM.delete().where(CLAIM.c.kind == "reminder", CLAIM.c.target == str(learner_id))
    )
    conn.execute(
        QUIZ_SESSION.update()
        .where(QUIZ_SESSION.c.starter_learner_id == learner_id)
        .values(starter_learner_id=None)
    )
    conn.execute(REVIEW_LOG.delete().where(REVIEW_LOG.c.learner_id == learner_id))
    conn.execute(REVIEW_STATE.delete().where(REVIEW_STATE.c.learner_id == learner_id))
    conn.execute(LEARNER.delete().where(LEARNER.c.id == learner_id))


async def forget_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """Confirm or cancel /forget-me; it always acts on the clicker's own data."""
    if action.args[:1] != ("yes",):
        return [Reply(body=strings.FORGET_CANCELLED, ephemeral=True)]

    def work(conn: Connection) -> bool:
        learner_id = conn.scalar(
            sa.select(LEARNER.c.id).where(
                LEARNER.c.platform == ctx.platform, LEARNER.c.user_id == ctx.user
            )
        )
        if learner_id is None:
            return False
        delete_learner(conn, int(learner_id))
        return True

    deleted = await services.database.write(work)
    return [Reply(body=strings.FORGET_DONE if deleted else strings.FORGET_NOTHING, ephemeral=True)]
