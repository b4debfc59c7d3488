"""/leaderboard: points from the SCORE_DAY rollup over a period, in a channel or a server.

Days, weeks (Monday first) and months are the workspace's, starting at midnight in its
timezone, the same days `add_points` files points under. One statement sums the
period's rollup rows per learner (one grouped pass, no attempt is ever scanned) and
returns only the learners on the top ten's scores and on the caller's score; ties go
to whoever reached the score first, looked up for those few learners alone.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.challenge.streaks import current_streaks
from bot.config_cmd import workspace_zone
from bot.context import Context
from bot.errors import UserError
from bot.grammar import ParsedCommand
from bot.learners import find_learner, find_workspace_id
from bot.reply import Reply
from bot.scores import strings
from bot.services import Services
from storage.models import LEARNER, SCORE_DAY

PERIODS = ("today", "week", "month", "all")
SCOPES = ("channel", "server")
TOP = 10


@dataclass(frozen=True)
class Period:
    """Inclusive workspace-local days; None for all time."""

    name: str
    first: date | None
    last: date | None

    @property
    def label(self) -> str:
        if self.first is None or self.last is None:
            return strings.PERIOD_ALL
        if self.name == "today":
            return strings.PERIOD_TODAY.format(day=self.first)
        if self.name == "week":
            return strings.PERIOD_WEEK.format(start=self.first, end=self.last)
        return strings.PERIOD_MONTH.format(start=self.first)


def period_for(name: str, today: date) -> Period:
    """today; week = Monday..Sunday around today; month = the calendar month; all."""
    if name == "today":
        return Period(name, today, today)
    if name == "week":
        monday = today - timedelta(days=today.weekday())
        return Period(name, monday, monday + timedelta(days=6))
    if name == "month":
        days = calendar.monthrange(today.year, today.month)[1]
        return Period(name, today.replace(day=1), today.replace(day=days))
    return Period(name, None, None)


@dataclass(frozen=True)
class Entry:
    rank: int
    learner_id: int
    name: str
    hidden: bool
    points: int


@dataclass(frozen=True)
class Board:
    top: list[Entry]
    me: Entry | None  # the caller, wherever they rank; None with no points


def _filters(table: sa.FromClause, by_channel: bool, bounded: bool) -> list[sa.ColumnElement[bool]]:
    """Rows of the board: this workspace (and channel), this period, and only rows with
    points, so a later wrong answer never counts as reaching a score later."""
    where = [table.c.workspace_id == sa.bindparam("workspace"), table.c.points > 0]
    if by_channel:
        where.append(table.c.channel == sa.bindparam("channel"))
    if bounded:
        where.append(table.c.day.between(sa.bindparam("first"), sa.bindparam("last")))
    return where


@lru_cache(maxsize=8)
def _board_statement(by_channel: bool, bounded: bool) -> sa.Select[Any]:
    """Built once per shape. One grouped pass sums everyone's points; only the learners
    on or above the tenth-best score, and those on the caller's score, come back, each
    with when they reached it (an indexed probe), so the tie-break is paid for a handful
    of learners. `ahead` counts everyone above the caller's score; `cut` is the
    tenth-best score (NULL with fewer than ten learners)."""
    totals = (
        sa.select(SCORE_DAY.c.learner_id, sa.func.sum(SCORE_DAY.c.points).label("points"))
        .where(*_filters(SCORE_DAY, by_channel, bounded))
        .group_by(SCORE_DAY.c.learner_id)
        .cte("totals")
    )
    mine = (
        sa.select(totals.c.points)
        .where(totals.c.learner_id == sa.bindparam("me"))
        .scalar_subquery()
    )
    cut = (
        sa.select(totals.c.points)
        .order_by(totals.c.points.desc())
        .limit(1)
        .offset(TOP - 1)
        .scalar_subquery()
    )
    ahead = sa.select(sa.func.count()).where(totals.c.points > mine).scalar_subquery()
    days = SCORE_DAY.alias("days")
    reached = (
        sa.select(sa.func.max(days.c.reached_at))
        .where(days.c.learner_id == totals.c.learner_id, *_filters(days, by_channel, bounded))
        .scalar_subquery()
    )
    return (
        sa.select(
            totals.c.learner_id,
            totals.c.points,
            reached.label("reached"),
            cut.label("cut"),
            ahead.label("ahead"),
            LEARNER.c.display_name,
            LEARNER.c.leaderboard_hidden,
        )
        .join(LEARNER, LEARNER.c.id == totals.c.learner_id)
        .where(sa.or_(totals.c.points >= sa.func.coalesce(cut, 0), totals.c.points == mine))
    )


def _entry(rank: int, row: Any) -> Entry:
    return Entry(
        rank,
        int(row.learner_id),
        str(row.display_name or ""),
        bool(row.leaderboard_hidden),
        int(row.points),
    )


def load_board(
    conn: Connection,
    workspace_id: int,
    channel: str | None,
    period: Period,
    me: int | None,
) -> Board:
    """The top ten and the caller's own entry; `channel` None means the whole workspace.
    Ranks are exact: everyone on or above the tenth-best score comes back, and so does
    everyone on the caller's score; within a score, whoever reached it first is ahead."""
    params: dict[str, Any] = {"workspace": workspace_id, "me": -1 if me is None else me}
    if channel is not None:
        params["channel"] = channel
    if period.first is not None:
        params["first"], params["last"] = period.first, period.last
    rows = list(
        conn.execute(_board_statement(channel is not None, period.first is not None), params)
    )
    if not rows:
        return Board([], None)
    order = sorted(rows, key=lambda row: (-row.points, row.reached, row.learner_id))
    cut = rows[0].cut
    leaders = [
        _entry(rank, row)
        for rank, row in enumerate(order, start=1)
        if cut is None or row.points >= cut
    ]
    mine = next((entry for entry in leaders if entry.learner_id == me), None)
    if mine is None and cut is not None:  # the caller, if anywhere, is below the cut
        tied = [row for row in order if row.points < cut]  # those on the caller's score
        mine = next(
            (
                _entry(int(row.ahead) + place, row)
                for place, row in enumerate(tied, start=1)
                if row.learner_id == me
            ),
            None,
        )
    return Board([entry for entry in leaders if entry.rank <= TOP], mine)


def _choice(options: dict[str, str], option: str, choices: tuple[str, ...], default: str) -> str:
    value = options.get(option, default).strip().lower()
    if value not in choices:
        raw = options[option]
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        raise UserError(
            strings.BOARD_BAD_OPTION.format(
                option=option, choices=", ".join(choices), value=repr(shown)
            )
        )
    return value


def parse_options(options: dict[str, str], ctx: Context) -> tuple[str, str]:
    """(period, scope), or one UserError naming every bad option and its choices."""
    problems: list[str] = []
    found: list[str] = []
    defaults = ("week", "server" if ctx.is_dm else "channel")
    wanted = zip(("period", "scope"), (PERIODS, SCOPES), defaults, strict=True)
    for option, choices, default in wanted:
        try:
            found.append(_choice(options, option, choices, default))
        except UserError as exc:
            problems.append(exc.message)
    if problems:
        raise UserError(" ".join(problems))
    return found[0], found[1]


def _name(entry: Entry) -> str:
    if entry.hidden:
        return strings.BOARD_HIDDEN_NAME
    return entry.name.strip() or strings.BOARD_NO_NAME


def board_reply(
    board: Board,
    period: Period,
    scope: str,
    zone_name: str,
    streaks: dict[int, int] | None = None,
) -> Reply:
    """`streaks`: daily-challenge streaks by learner id, shown beside the names."""
    mine = board.me.learner_id if board.me is not None else None
    streaks = streaks or {}
    lines = [
        strings.BOARD_LINE.format(rank=entry.rank, name=_name(entry), points=entry.points)
        + (
            strings.BOARD_STREAK.format(days=streaks[entry.learner_id])
            if streaks.get(entry.learner_id, 0) > 1
            else ""
        )
        + (strings.BOARD_YOU_MARK if entry.learner_id == mine else "")
        for entry in board.top
    ]
    if not lines:
        lines.append(strings.BOARD_EMPTY)
    if board.me is None:
        lines += ["", strings.BOARD_YOU_NONE]
    elif board.me.rank > TOP:
        lines += ["", strings.BOARD_YOU.format(rank=board.me.rank, points=board.me.points)]
    scope_label = strings.SCOPE_CHANNEL if scope == "channel" else strings.SCOPE_SERVER
    return Reply(
        title=strings.BOARD_TITLE.format(period=period.label, scope=scope_label),
        body="\n".join(lines),
        footer=strings.BOARD_FOOTER.format(zone=zone_name),
        ephemeral=True,
    )


async def leaderboard_command(
    services: Services, ctx: Context, command: ParsedCommand
) -> list[Reply]:
    """/leaderboard [period=today|week|month|all] [scope=channel|server]"""
    if not ctx.workspace:
        raise UserError(strings.BOARD_NEEDS_SERVER)
    period_name, scope = parse_options(command.options, ctx)
    if scope == "channel" and ctx.is_dm:
        raise UserError(strings.BOARD_NEEDS_CHANNEL)
    now = services.clock.now()

    def work(conn: Connection) -> Reply:
        workspace_id = find_workspace_id(conn, ctx)
        tz = workspace_zone(conn, workspace_id, services.default_timezone)
        period = period_for(period_name, now.astimezone(tz).date())
        if workspace_id is None:
            return board_reply(Board([], None), period, scope, tz.key)
        me = find_learner(conn, ctx, services.default_timezone).id
        channel = ctx.channel if scope == "channel" else None
        board = load_board(conn, workspace_id, channel, period, me)
        ids = [entry.learner_id for entry in board.top]
        today = now.astimezone(tz).date()
        return board_reply(
            board, period, scope, tz.key, current_streaks(conn, workspace_id, ids, today)
        )

    return [await services.database.read(work)]
