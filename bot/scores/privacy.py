"""/privacy leaderboard off|on: take the caller's name off leaderboards, or put it back.

Hidden learners keep their rank and points (the board stays honest); only the name
becomes "(hidden)". The choice belongs to the person, in every workspace.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.context import Context
from bot.errors import UserError
from bot.grammar import ParsedCommand
from bot.learners import ensure_learner
from bot.reply import Reply
from bot.scores import strings
from bot.services import Services
from storage.models import LEARNER

SUBJECT = "leaderboard"
_VALUES = {"off": True, "on": False}  # value -> hidden: "leaderboard off" hides the name


def _usage(given: str = "") -> UserError:
    gave = strings.PRIVACY_GAVE.format(value=repr(given[:40])) if given else ""
    return UserError(strings.PRIVACY_USAGE.format(gave=gave))


def parse_privacy(args: tuple[str, ...]) -> bool | None:
    """True to hide, False to show, None to only show the current choice."""
    if not args:
        return None
    if args[0].strip().lower() != SUBJECT:
        raise _usage(" ".join(args))
    if len(args) == 1:
        return None
    value = args[1].strip().lower()
    if value not in _VALUES:
        raise _usage(args[1])
    return _VALUES[value]


async def privacy_command(services: Services, ctx: Context, command: ParsedCommand) -> list[Reply]:
    """/privacy [leaderboard [on|off]]: without on/off, say what the current choice is."""
    hide = parse_privacy(command.args)

    def change(conn: Connection) -> bool:
        assert hide is not None
        learner = ensure_learner(conn, ctx, services.clock.now(), services.default_timezone)
        conn.execute(
            LEARNER.update().where(LEARNER.c.id == learner.id).values(leaderboard_hidden=hide)
        )
        return hide

    def show(conn: Connection) -> bool:
        hidden = conn.scalar(
            sa.select(LEARNER.c.leaderboard_hidden).where(
                LEARNER.c.platform == ctx.platform, LEARNER.c.user_id == ctx.user
            )
        )
        return bool(hidden)

    if hide is None:
        hidden = await services.database.read(show)
    else:
        hidden = await services.database.write(change)
    body = strings.PRIVACY_HIDDEN if hidden else strings.PRIVACY_SHOWN
    return [Reply(title=strings.PRIVACY_TITLE, body=body, ephemeral=True)]
