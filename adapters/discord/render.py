"""Turn a neutral `Reply` into the keyword arguments discord.py's send calls take.

Pure: no network and no client. `render` builds discord.py objects (`View()` needs a
running event loop, so call it from async code); `render_components` returns the same
button layout as plain Discord JSON so the limits can be checked without a loop.

Over-long text is cut to fit with a trailing "…" (a reply must always be sendable);
replies no Discord message can hold (too many buttons, bad custom ids) raise
`RenderError`, because they are bugs in the caller, not user input.
"""

from __future__ import annotations

import io
import re
from typing import Any

import discord

from bot.reply import Button, ButtonStyle, Field, Reply

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
LABEL_MAX = 80
CUSTOM_ID_MAX = 100
ROWS_MAX = 5
BUTTONS_PER_ROW = 5
BUTTONS_MAX = ROWS_MAX * BUTTONS_PER_ROW

IMAGE_FILENAME = "image.png"
ERROR_COLOUR = discord.Colour.red()
NEUTRAL_COLOUR = discord.Colour.blue()
ELLIPSIS = "…"
# Discord rejects empty field names/values and label-less buttons; this shows as blank.
BLANK = "\u200b"

_STYLES: dict[ButtonStyle, discord.ButtonStyle] = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.SECONDARY: discord.ButtonStyle.secondary,
    ButtonStyle.SUCCESS: discord.ButtonStyle.success,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}

_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)


class RenderError(ValueError):
    """The reply cannot be shown on Discord at all; the calling code must change."""


def neutralise_mentions(text: str) -> str:
    """Break @everyone/@here with a zero-width space so they can never ping.

    Embeds do not ping and the bot sets AllowedMentions.none(); this is the third guard,
    for when the text ends up in `content` some day.
    """
    return _MASS_MENTION.sub(lambda m: "@" + BLANK + m.group(1), text)


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, marking the cut with "…"."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + ELLIPSIS


def render(reply: Reply) -> dict[str, Any]:
    """Keyword arguments for `InteractionResponse.send_message` and `Webhook.send`.

    `Messageable.send` (a plain channel) has no `ephemeral`: pop it before calling.
    """
    layout = button_layout(reply)
    embed = _embed(reply)
    kwargs: dict[str, Any] = {"embed": embed, "ephemeral": reply.ephemeral}
    if layout:
        view = discord.ui.View(timeout=None)
        for row_index, row in enumerate(layout):
            for button in row:
                view.add_item(
                    discord.ui.Button(
                        style=_STYLES[button.style],
                        label=_label(button),
                        custom_id=button.action_id,
                        row=row_index,
                    )
                )
        kwargs["view"] = view
    if reply.image is not None:
        kwargs["file"] = discord.File(io.BytesIO(reply.image), filename=IMAGE_FILENAME)
        embed.set_image(url=f"attachment://{IMAGE_FILENAME}")
    return kwargs


def render_components(reply: Reply) -> list[dict[str, Any]]:
    """The message's button rows as raw Discord component JSON (what `render`'s View sends)."""
    return [
        {
            "type": 1,
            "components": [
                {
                    "type": 2,
                    "style": _STYLES[button.style].value,
                    "disabled": False,
                    "label": _label(button),
                    "custom_id": button.action_id,
                }
                for button in row
            ],
        }
        for row in button_layout(reply)
    ]


def button_layout(reply: Reply) -> list[list[Button]]:
    """Rows of at most 5 buttons, at most 5 rows; keeps the reply's rows when they fit.

    Raises RenderError for more than 25 buttons or an unusable action id.
    """
    _check_buttons(reply.all_buttons)
    rows: list[list[Button]] = []
    for row in reply.buttons:
        buttons = list(row)
        rows.extend(
            buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)
        )
    if len(rows) <= ROWS_MAX:
        return rows
    # Too many short rows: pack left to right instead (25 buttons always fit).
    flat = reply.all_buttons
    return [flat[i : i + BUTTONS_PER_ROW] for i in range(0, len(flat), BUTTONS_PER_ROW)]


def _check_buttons(buttons: list[Button]) -> None:
    """Reject what Discord would refuse: the caller has to split the reply instead."""
    if len(buttons) > BUTTONS_MAX:
        raise RenderError(
            f"reply has {len(buttons)} buttons; a Discord message holds at most "
            f"{BUTTONS_MAX} ({ROWS_MAX} rows of {BUTTONS_PER_ROW})"
        )
    seen: set[str] = set()
    for button in buttons:
        action_id = button.action_id
        if not action_id:
            raise RenderError(f"button {button.label!r} has an empty action_id (custom_id 1-100)")
        if len(action_id) > CUSTOM_ID_MAX:
            raise RenderError(
                f"button {button.label[:40]!r} has an action_id of {len(action_id)} characters; "
                f"Discord custom_id allows at most {CUSTOM_ID_MAX}"
            )
        if action_id in seen:
            raise RenderError(
                f"action_id {action_id!r} is used by more than one button; "
                "Discord custom_ids must be unique within a message"
            )
        seen.add(action_id)


def _label(button: Button) -> str:
    """Button text within Discord's 80 characters, never empty."""
    return truncate(button.label, LABEL_MAX) or BLANK


def _embed(reply: Reply) -> discord.Embed:
    """One embed inside every per-part limit and the 6,000 character total.

    The total is spent in order of importance: title, body, footer, then fields.
    """
    budget = EMBED_TOTAL_MAX
    title = truncate(neutralise_mentions(reply.title), min(TITLE_MAX, budget))
    budget -= len(title)
    description = truncate(neutralise_mentions(reply.body), min(DESCRIPTION_MAX, budget))
    budget -= len(description)
    footer = truncate(neutralise_mentions(reply.footer), min(FOOTER_MAX, budget))
    budget -= len(footer)

    embed = discord.Embed(
        title=title or None,
        description=description or None,
        colour=ERROR_COLOUR if reply.error else NEUTRAL_COLOUR,
    )
    for field in _capped_fields(reply.fields):
        if budget < 2:  # a field needs at least one character of name and of value
            break
        name = truncate(neutralise_mentions(field.name) or BLANK, min(FIELD_NAME_MAX, budget - 1))
        budget -= len(name)
        value = truncate(neutralise_mentions(field.value) or BLANK, min(FIELD_VALUE_MAX, budget))
        budget -= len(value)
        embed.add_field(name=name, value=value, inline=field.inline)
    if footer:
        embed.set_footer(text=footer)
    if not (title or description or embed.fields or footer or reply.image is not None):
        embed.description = BLANK  # Discord refuses an empty embed
    return embed


def _capped_fields(fields: tuple[Field, ...]) -> list[Field]:
    """At most 25 fields; when some are dropped the last one says how many."""
    if len(fields) <= FIELDS_MAX:
        return list(fields)
    hidden = len(fields) - (FIELDS_MAX - 1)
    return [*fields[: FIELDS_MAX - 1], Field(ELLIPSIS, f"{hidden} more not shown", inline=False)]
