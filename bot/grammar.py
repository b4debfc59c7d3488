"""The one command grammar every text surface shares.

    /command [subcommand] [positional...] [key=value] [key="value with spaces"]

Shell-style quoting (shlex). Discord maps its slash-command options onto the
same `ParsedCommand`, so handlers never see the surface.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

_OPTION = re.compile(r"^([a-z][a-z0-9_-]*)=(.*)$", re.DOTALL)
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


class GrammarError(ValueError):
    """Text that is not a well-formed command; the message says what is wrong."""


@dataclass(frozen=True)
class ParsedCommand:
    """A command split into its name, positional words and key=value options."""

    name: str
    args: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)


def parse_command(text: str) -> ParsedCommand:
    """Parse one line; raises GrammarError with a specific message."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        raise GrammarError("Commands start with / (try /help).")
    try:
        words = shlex.split(stripped[1:])
    except ValueError as exc:
        raise GrammarError(f"Could not read that command: {exc} (check your quotes).") from None
    if not words:
        raise GrammarError("Type a command after the / (try /help).")
    name, *rest = words
    name = name.lower()
    if not _NAME.match(name):
        raise GrammarError(f"{name!r} is not a command name (try /help).")
    args: list[str] = []
    options: dict[str, str] = {}
    for word in rest:
        match = _OPTION.match(word)
        if match is None:
            args.append(word)
            continue
        key = match.group(1).replace("_", "-")
        if key in options:
            raise GrammarError(f"Option {key!r} is given twice.")
        options[key] = match.group(2)
    return ParsedCommand(name=name, args=tuple(args), options=options)
