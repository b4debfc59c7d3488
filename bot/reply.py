"""The neutral reply every use case returns; adapters render it for their platform."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ButtonStyle(Enum):
    """Visual weight of a button; every platform has these four."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    """A clickable action. `action_id` carries all the state a click needs (see bot.actions)."""

    label: str
    action_id: str
    style: ButtonStyle = ButtonStyle.SECONDARY
    input_label: str = ""
    """When set, pressing asks the user for one line of text first (a Discord or Slack
    modal, the console's next line), delivered with the click."""


@dataclass(frozen=True)
class Field:
    """A short name/value pair shown beside the body (Discord embed field, Slack section field)."""

    name: str
    value: str
    inline: bool = True


@dataclass(frozen=True)
class Reply:
    """What the core says back.

    `body` uses a small markdown subset both platforms render: **bold**, *italic*,
    `code`, line breaks and "- " bullets. `buttons` is a list of rows.
    `ephemeral` means only the caller sees it.
    """

    title: str = ""
    body: str = ""
    fields: tuple[Field, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    ephemeral: bool = False
    image: bytes | None = None
    footer: str = ""
    error: bool = False

    @property
    def all_buttons(self) -> list[Button]:
        """Buttons in reading order, as the console numbers them."""
        return [button for row in self.buttons for button in row]


def rows(*buttons: Button, per_row: int = 5) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out left to right, at most `per_row` a row (Discord allows five)."""
    flat = list(buttons)
    return tuple(tuple(flat[i : i + per_row]) for i in range(0, len(flat), per_row))


def error_reply(message: str) -> Reply:
    """One clear sentence, shown only to the caller."""
    return Reply(body=message, ephemeral=True, error=True)
