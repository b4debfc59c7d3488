"""/help: every command the caller may run, each with an example."""

from __future__ import annotations

from collections.abc import Sequence

from bot import strings
from bot.context import Context
from bot.reply import Reply
from bot.table import CommandSpec


def help_reply(ctx: Context, commands: Sequence[CommandSpec], extra: Sequence[str] = ()) -> Reply:
    """One line per command: name, what it does, an example."""
    lines = [
        f"**/{spec.name}**: {spec.summary}\n  e.g. `{spec.example}`"
        for spec in commands
        if ctx.role >= spec.role
    ]
    return Reply(
        title=strings.HELP_TITLE,
        body="\n".join([*lines, *extra]),
        footer=strings.HELP_FOOTER,
        ephemeral=True,
    )
