"""Console input -> what to do: a console verb, or text for the core. Pure."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from bot.context import Role


@dataclass(frozen=True)
class SwitchUser:
    name: str
    role: Role


@dataclass(frozen=True)
class GoDm:
    pass


@dataclass(frozen=True)
class GoChannel:
    name: str


@dataclass(frozen=True)
class Press:
    number: int


@dataclass(frozen=True)
class Wait:
    seconds: float


@dataclass(frozen=True)
class Quit:
    pass


@dataclass(frozen=True)
class ToCore:
    text: str


@dataclass(frozen=True)
class Problem:
    message: str


@dataclass(frozen=True)
class Nothing:
    pass


ConsoleInput = SwitchUser | GoDm | GoChannel | Press | Wait | Quit | ToCore | Problem | Nothing

VERB_HELP = (
    "Console: `/as NAME [role=member|moderator|admin]` who is typing · `/dm` · "
    "`/channel NAME` · a number or `/press N` clicks a button of the last message · "
    "`/wait SECONDS` · `/quit`"
)
_MAX_WAIT = 3600.0


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def translate(line: str) -> ConsoleInput:
    """Decide what one typed line means."""
    text = line.strip()
    if not text or text.startswith("#"):
        return Nothing()
    bare = _number(text)
    if bare is not None:
        return Press(bare)
    if not text.startswith("/"):
        return ToCore(text)
    try:
        words = shlex.split(text[1:])
    except ValueError as exc:
        return Problem(f"Could not read that line: {exc}.")
    if not words:
        return ToCore(text)
    verb, args = words[0].lower(), words[1:]
    if verb in ("quit", "exit"):
        return Quit()
    if verb == "dm":
        return GoDm()
    if verb == "channel":
        if len(args) != 1:
            return Problem("Usage: /channel NAME (for example /channel general).")
        return GoChannel(args[0].lstrip("#").lower())
    if verb == "as":
        return _switch_user(args)
    if verb == "press":
        number = _number(args[0]) if len(args) == 1 else None
        if number is None:
            return Problem("Usage: /press N, where N is a button number shown in brackets.")
        return Press(number)
    if verb == "wait":
        return _wait(args)
    return ToCore(text)


def _switch_user(args: list[str]) -> ConsoleInput:
    names = [arg for arg in args if not arg.startswith("role=")]
    roles = [arg.removeprefix("role=") for arg in args if arg.startswith("role=")]
    if len(names) != 1 or len(roles) > 1:
        return Problem("Usage: /as NAME [role=member|moderator|admin].")
    try:
        role = Role.parse(roles[0]) if roles else Role.MEMBER
    except ValueError as exc:
        return Problem(str(exc))
    return SwitchUser(names[0], role)


def _wait(args: list[str]) -> ConsoleInput:
    try:
        seconds = float(args[0]) if len(args) == 1 else -1.0
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= _MAX_WAIT:
        return Problem("Usage: /wait SECONDS, from 0 to 3600.")
    return Wait(seconds)
