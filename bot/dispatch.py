"""The dispatcher: text or a button in, replies out. The one permission check lives here."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field, replace

from bot import strings
from bot.actions import ActionIdError, decode
from bot.context import Context
from bot.errors import UserError
from bot.grammar import GrammarError, ParsedCommand, parse_command
from bot.help import help_reply
from bot.reply import Reply, error_reply
from bot.services import Services
from bot.table import ActionSpec, CommandSpec

log = logging.getLogger(__name__)


@dataclass
class Dispatcher:
    """Routes commands and button clicks to the core's handlers."""

    services: Services
    commands: Sequence[CommandSpec]
    actions: Sequence[ActionSpec]
    help_extra: Sequence[str] = ()
    _commands: dict[str, CommandSpec] = field(init=False, repr=False)
    _actions: dict[str, ActionSpec] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._commands = {spec.name: spec for spec in self.commands}
        self._actions = {spec.name: spec for spec in self.actions}
        if len(self._commands) != len(self.commands) or len(self._actions) != len(self.actions):
            raise ValueError("Command and action names must be unique.")

    def command_names(self) -> list[str]:
        return sorted(self._commands)

    async def handle_text(self, ctx: Context, text: str) -> list[Reply]:
        """A line typed by a user (console, Slack /studybot ..., a DM)."""
        try:
            command = parse_command(text)
        except GrammarError as exc:
            return [error_reply(str(exc))]
        return await self.handle_command(ctx, command)

    async def handle_command(self, ctx: Context, command: ParsedCommand) -> list[Reply]:
        """An already-parsed command (Discord maps its options onto ParsedCommand)."""
        if command.name == "help":
            return [help_reply(ctx, self.commands, self.help_extra)]
        spec = self._commands.get(command.name)
        if spec is None:
            return [error_reply(strings.UNKNOWN_COMMAND.format(name=command.name))]
        if ctx.role < spec.role:
            return [
                error_reply(
                    strings.FORBIDDEN.format(
                        name=spec.name, role=spec.role.name.lower(), current=ctx.role.name.lower()
                    )
                )
            ]
        problem = _check_shape(spec, command)
        if problem:
            return [error_reply(problem)]
        return await self._run(spec.handler(self.services, ctx, command), f"/{spec.name}")

    async def press(self, ctx: Context, action_id: str, text: str = "") -> list[Reply]:
        """A button click, from any process, before or after any restart; `text` is what
        the user typed for a button that asks for input."""
        try:
            action = replace(decode(action_id), text=text)
        except ActionIdError:
            return [error_reply(strings.UNKNOWN_BUTTON)]
        spec = self._actions.get(action.name)
        if spec is None:
            return [error_reply(strings.UNKNOWN_BUTTON)]
        if ctx.role < spec.role:
            return [
                error_reply(
                    strings.FORBIDDEN_ACTION.format(
                        role=spec.role.name.lower(), current=ctx.role.name.lower()
                    )
                )
            ]
        return await self._run(spec.handler(self.services, ctx, action), action.name)

    async def _run(self, pending: Awaitable[list[Reply]], label: str) -> list[Reply]:
        try:
            replies = await pending
        except ActionIdError:
            return [error_reply(strings.UNKNOWN_BUTTON)]
        except UserError as exc:
            return [error_reply(exc.message)]
        except Exception:
            log.exception("Unexpected error in %s", label)
            return [error_reply(strings.INTERNAL_ERROR)]
        return replies


def _check_shape(spec: CommandSpec, command: ParsedCommand) -> str:
    """Unknown options and extra words are refused before the handler runs."""
    for option in command.options:
        if option not in spec.options:
            if not spec.options:
                return strings.NO_OPTIONS.format(name=spec.name, option=option)
            return strings.UNKNOWN_OPTION.format(
                option=option, name=spec.name, allowed=", ".join(spec.options)
            )
    if len(command.args) > spec.max_args:
        return strings.TOO_MANY_ARGS.format(
            name=spec.name, count=spec.max_args, given=len(command.args), example=spec.example
        )
    return ""
