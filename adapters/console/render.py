"""Reply -> terminal text. Pure: buttons are numbered for /press."""

from __future__ import annotations

import re

from bot.reply import Reply

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_CODE = re.compile(r"`([^`]+)`")


def _markup(text: str, color: bool) -> str:
    if color:
        return _BOLD.sub("\033[1m\\1\033[0m", text)
    return _BOLD.sub(r"\1", text)


def render(reply: Reply, *, color: bool = False) -> str:
    """The whole reply as text, buttons last as [1] Label  [2] Label."""
    lines: list[str] = []
    if reply.title:
        lines.append(_markup(f"**{reply.title}**", color))
    if reply.body:
        body = _CODE.sub(r"\1", reply.body) if not color else reply.body
        lines.append(_markup(("! " if reply.error else "") + body, color))
    for field in reply.fields:
        lines.append(_markup(f"{field.name}: {field.value}", color))
    if reply.image is not None:
        lines.append(f"(image, {len(reply.image)} bytes)")
    if reply.footer:
        lines.append(f"-- {reply.footer}")
    number = 0
    for row in reply.buttons:
        labels = []
        for button in row:
            number += 1
            labels.append(f"[{number}] {button.label}")
        lines.append("  ".join(labels))
    return "\n".join(lines)
