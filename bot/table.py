"""The shape of the command table: one row per command and per button action."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.actions import Action
from bot.context import Context, Role
from bot.grammar import ParsedCommand
from bot.reply import Reply
from bot.services import Services

CommandHandler = Callable[[Services, Context, ParsedCommand], Awaitable[list[Reply]]]
ActionHandler = Callable[[Services, Context, Action], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class CommandSpec:
    """A command: who may run it, what it takes, and how /help shows it."""

    name: str
    handler: CommandHandler
    summary: str
    example: str
    role: Role = Role.MEMBER
    options: tuple[str, ...] = ()
    max_args: int = 0


@dataclass(frozen=True)
class ActionSpec:
    """A button action: the name before the first ':' of its id."""

    name: str
    handler: ActionHandler
    role: Role = Role.MEMBER
