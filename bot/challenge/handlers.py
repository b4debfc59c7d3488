"""/challenge subscribe | unsubscribe | status | now, and the answer buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import Connection

from bot.actions import Action, ActionIdError
from bot.challenge import answers, flow, render, store, strings
from bot.config_cmd import workspace_zone
from bot.context import Context
from bot.errors import StaleClick, UserError
from bot.grammar import ParsedCommand
from bot.learners import ensure_learner, ensure_workspace, find_workspace_id
from bot.quiz.handlers import remember_name
from bot.reply import Field, Reply
from bot.schedule.times import (
    WEEKDAYS,
    TimeFormatError,
    clock_text,
    duration_text,
    next_occurrence,
    parse_clock,
    parse_duration,
    parse_weekly,
)
from bot.services import Services
from bot.study.handlers import check_topic
from bot.studyday import zone

SUBCOMMANDS = ("subscribe", "unsubscribe", "status", "now")
DEFAULT_TIME = time(9, 0)
DEFAULT_CLOSE_AFTER = 12 * 60
DEFAULT_WEEKLY = (0, time(9, 0))
_UNSET = object()


@dataclass(frozen=True)
class Requested:
    """What /challenge subscribe asked for; None means "keep (or default)"."""

    post_time: time | None
    timezone: str | None
    topic: str | None
    close_after: int | None
    weekly: tuple[int, time] | object | None  # _UNSET: not given


def parse_subscribe(options: dict[str, str]) -> Requested:
    """Validate every option first; one message naming each problem, nothing changed."""
    problems: list[str] = []
    post_time = timezone = topic = close_after = None
    weekly: tuple[int, time] | object | None = _UNSET
    try:
        if "time" in options:
            post_time = parse_clock(options["time"], "time")
    except TimeFormatError as exc:
        problems.append(str(exc))
    if "timezone" in options:
        try:
            timezone = zone(options["timezone"].strip()).key
        except ValueError as exc:
            problems.append(strings.BAD_TIMEZONE.format(problem=exc))
    if "topic" in options:
        topic = options["topic"].strip().lower()
    try:
        if "close-after" in options:
            close_after = parse_duration(
                options["close-after"], "close-after", *strings.CLOSE_AFTER_RANGE
            )
    except TimeFormatError as exc:
        problems.append(str(exc))
    try:
        if "weekly" in options:
            weekly = parse_weekly(options["weekly"])
    except TimeFormatError as exc:
        problems.append(str(exc))
    if problems:
        raise UserError(" ".join([*problems, strings.NOTHING_CHANGED]))
    return Requested(post_time, timezone, topic, close_after, weekly)


def _weekly_choice(
    asked: tuple[int, time] | object | None, current: store.Subscription | None
) -> tuple[int | None, time | None]:
    """The weekly board asked for; else the current one; else Monday 09:00."""
    if isinstance(asked, tuple):
        return asked
    if asked is None:
        return None, None
    if current is None:
        return DEFAULT_WEEKLY
    return current.weekly_day, current.weekly_time


def _need_channel(ctx: Context) -> None:
    if ctx.is_dm or not ctx.workspace:
        raise UserError(strings.NEEDS_CHANNEL)


async def challenge_command(
    services: Services, ctx: Context, command: ParsedCommand
) -> list[Reply]:
    """Moderators only (the command table says so)."""
    _need_channel(ctx)
    word = command.args[0].lower() if command.args else "status"
    if word not in SUBCOMMANDS:
        raise UserError(strings.USAGE.format(word=command.args[0][:20]))
    if word != "subscribe" and command.options:
        raise UserError(strings.OPTIONS_ONLY_SUBSCRIBE.format(options=", ".join(command.options)))
    if word == "subscribe":
        return [await _subscribe(services, ctx, parse_subscribe(command.options))]
    if word == "unsubscribe":
        return [await _unsubscribe(services, ctx)]
    if word == "now":
        return await _now(services, ctx)
    return [await _status(services, ctx)]


async def _subscribe(services: Services, ctx: Context, asked: Requested) -> Reply:
    now = services.clock.now()

    def work(conn: Connection) -> Reply:
        workspace_id = ensure_workspace(conn, ctx, now)
        assert workspace_id is not None
        current = store.subscription_for(conn, ctx.platform, ctx.channel)
        topic = asked.topic if asked.topic is not None else (current.topic if current else "")
        check_topic(conn, topic)
        if not store.has_quiz_items(conn, workspace_id, topic):
            raise UserError(strings.NO_QUESTIONS.format(topic=topic or "any topic"))
        if asked.timezone is not None:
            timezone = asked.timezone
        elif current is not None:
            timezone = current.timezone
        else:
            timezone = workspace_zone(conn, workspace_id, services.default_timezone).key
        weekly_day, weekly_time = _weekly_choice(asked.weekly, current)
        post_time = asked.post_time or (current.post_time if current else DEFAULT_TIME)
        close_after = asked.close_after or (
            current.close_after_minutes if current else DEFAULT_CLOSE_AFTER
        )
        store.save_subscription(
            conn,
            {
                "platform": ctx.platform,
                "workspace_id": workspace_id,
                "channel": ctx.channel,
                "post_time": clock_text(post_time),
                "timezone": timezone,
                "topic": topic,
                "close_after_minutes": close_after,
                "weekly_day": weekly_day,
                "weekly_time": None if weekly_time is None else clock_text(weekly_time),
            },
            now,
        )
        sub = store.subscription_for(conn, ctx.platform, ctx.channel)
        assert sub is not None
        lead = strings.SUBSCRIBED if current is None else strings.RESUBSCRIBED
        return status_reply(conn, sub, now, lead)

    reply = await services.database.write(work)
    services.signals.schedule_changed()
    return reply


async def _unsubscribe(services: Services, ctx: Context) -> Reply:
    now = services.clock.now()

    def work(conn: Connection) -> Reply:
        sub = store.subscription_for(conn, ctx.platform, ctx.channel)
        if sub is None or sub.status == store.OFF:
            raise UserError(strings.ALREADY_OFF)
        store.set_status(conn, sub.id, store.OFF, now)
        return Reply(body=strings.UNSUBSCRIBED, ephemeral=True)

    reply = await services.database.write(work)
    services.signals.schedule_changed()
    return reply


async def _status(services: Services, ctx: Context) -> Reply:
    now = services.clock.now()

    def work(conn: Connection) -> Reply:
        sub = store.subscription_for(conn, ctx.platform, ctx.channel)
        if sub is None:
            raise UserError(strings.NOT_SUBSCRIBED)
        return status_reply(conn, sub, now, "")

    return await services.database.read(work)


def _when(instant: datetime, zone_name: str) -> str:
    return instant.astimezone(zone(zone_name)).strftime("%a %d %b %Y %H:%M")


def status_reply(conn: Connection, sub: store.Subscription, now: datetime, lead: str) -> Reply:
    if sub.status == store.ACTIVE:
        state = strings.STATUS_ACTIVE
    elif sub.status == store.PAUSED:
        state = strings.STATUS_PAUSED.format(failures=sub.failures)
    else:
        state = strings.STATUS_OFF
    fields = [
        Field(strings.STATUS_STATE, state, inline=False),
        Field(
            strings.STATUS_SCHEDULE,
            strings.STATUS_SCHEDULE_VALUE.format(
                time=clock_text(sub.post_time),
                zone=sub.timezone,
                close_after=duration_text(sub.close_after_minutes),
            ),
        ),
        Field(strings.STATUS_TOPIC, sub.topic or strings.STATUS_ANY_TOPIC),
    ]
    if sub.status == store.ACTIVE:
        upcoming = next_occurrence(sub.post_time, sub.zone, now, inclusive=False)
        day = upcoming.astimezone(sub.zone).date()
        if store.exists_for(conn, sub.platform, sub.channel, day):
            upcoming = next_occurrence(sub.post_time, sub.zone, upcoming, inclusive=False)
        value = strings.STATUS_NEXT_VALUE.format(
            local=_when(upcoming, sub.timezone),
            zone=sub.timezone,
            utc=upcoming.astimezone(zone("UTC")).strftime("%a %d %b %H:%M"),
        )
    else:
        value = strings.STATUS_NONE
    fields.append(Field(strings.STATUS_NEXT, value, inline=False))
    weekly = strings.STATUS_WEEKLY_OFF
    if sub.weekly_day is not None and sub.weekly_time is not None:
        weekly = strings.STATUS_WEEKLY_VALUE.format(
            day=WEEKDAYS[sub.weekly_day].title(),
            time=clock_text(sub.weekly_time),
            zone=sub.timezone,
        )
    fields.append(Field(strings.STATUS_WEEKLY, weekly))
    last = store.last_post(conn, sub.id)
    fields.append(
        Field(
            strings.STATUS_LAST,
            strings.STATUS_NONE
            if last is None
            else strings.STATUS_LAST_VALUE.format(
                local=_when(last.posted_at, sub.timezone), zone=sub.timezone, state=last.status
            ),
            inline=False,
        )
    )
    if sub.last_error and sub.last_error_at is not None:
        fields.append(
            Field(
                strings.STATUS_ERROR,
                strings.STATUS_ERROR_VALUE.format(
                    when=_when(sub.last_error_at, sub.timezone), error=sub.last_error
                ),
                inline=False,
            )
        )
    return Reply(title=strings.STATUS_TITLE, body=lead, fields=tuple(fields), ephemeral=True)


async def _now(services: Services, ctx: Context) -> list[Reply]:
    """Post today's challenge here as the reply, unless today's exists."""
    now = services.clock.now()
    default_tz = services.default_timezone

    def work(conn: Connection) -> list[Reply]:
        sub = store.subscription_for(conn, ctx.platform, ctx.channel)
        if sub is None or sub.status == store.OFF:
            raise UserError(strings.NOT_SUBSCRIBED)
        day = now.astimezone(sub.zone).date()
        replies = [
            render.reveal(revealed.item, revealed.scored, revealed.streaks)
            for challenge_id in store.due_reveals(conn, now, sub.platform, sub.channel)
            if (revealed := flow.reveal(conn, challenge_id, now, default_tz)) is not None
        ]
        question = store.pick_question(conn, sub, day)
        if question is None:
            raise UserError(strings.NO_QUESTIONS.format(topic=sub.topic or "any topic"))
        score_day = now.astimezone(workspace_zone(conn, sub.workspace_id, default_tz)).date()
        challenge_id = store.claim(
            conn, sub, day, score_day, question, now, sub.closes_at(day, now)
        )
        if challenge_id is None:
            raise UserError(strings.ALREADY_TODAY.format(day=day))
        item = store.load_challenge(conn, challenge_id)
        assert item is not None
        return [*replies, render.post(item)]

    return await services.database.write(work)


async def answer_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """An answer button: one answer per learner, changeable until the close."""
    challenge_id, choice = action.int_arg(0), action.int_arg(1)
    now = services.clock.now()

    def work(conn: Connection) -> Reply:
        item = store.load_challenge(conn, challenge_id)
        if item is None:
            raise ActionIdError("No such challenge.")
        if not 0 <= choice < len(item.labels):
            raise ActionIdError(f"Choice {choice} is out of range.")
        if find_workspace_id(conn, ctx) != item.workspace_id:
            raise ActionIdError("Challenge from another workspace.")
        if not item.is_open(now):
            raise StaleClick(strings.CLOSED)
        learner = ensure_learner(conn, ctx, now, services.default_timezone)
        assert learner.id is not None
        remember_name(conn, learner.id, ctx)
        before = answers.previous_choice(conn, item.id, learner.id)
        answers.record_answer(conn, item, learner.id, choice, now)
        closes = render.closing_time(item)
        text = (
            strings.YOUR_ANSWER
            if before is None
            else strings.YOUR_ANSWER_SAME
            if before == choice
            else strings.YOUR_ANSWER_CHANGED
        )
        return Reply(
            body=text.format(choice=item.choice_text(choice), closes=closes, zone=item.timezone),
            ephemeral=True,
        )

    return [await services.database.write(work)]
