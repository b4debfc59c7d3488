"""Turn a neutral `Reply` into Block Kit JSON for chat.postMessage / postEphemeral / respond.

Pure: plain dicts in and out, no client. Over-long text is split or cut with "…" so a
reply is always sendable; replies no Slack message can hold (bad action ids, more than
50 rows of buttons) raise `RenderError`, because they are bugs in the caller.

User text is escaped (&, <, >) so it can never form <!everyone>, <!here> or <@U123>.
Blocks cannot carry image bytes: the bytes come back under "image_png" for the adapter
to upload with files_upload_v2 (pop the key before calling the Web API).
"""

from __future__ import annotations

import re
from typing import Any

from bot.reply import Button, ButtonStyle, Reply

HEADER_MAX = 150
SECTION_TEXT_MAX = 3000
FIELD_TEXT_MAX = 2000
FIELDS_PER_SECTION = 10
CONTEXT_TEXT_MAX = 3000
BUTTON_TEXT_MAX = 75
ACTION_ID_MAX = 255
ACTIONS_PER_BLOCK = 25
BLOCKS_MAX = 50
FALLBACK_MAX = 3000

ELLIPSIS = "…"
BLANK = "\u200b"  # Slack refuses empty text objects
IMAGE_NOTE = ":frame_with_picture: An image is attached below."
ERROR_MARK = ":warning: "

# Slack has no green button: SUCCESS shares "primary"; SECONDARY is the unstyled default.
_STYLES: dict[ButtonStyle, str] = {
    ButtonStyle.PRIMARY: "primary",
    ButtonStyle.SUCCESS: "primary",
    ButtonStyle.DANGER: "danger",
}

# Code spans first, so nothing inside backticks is touched; then **bold**, then *italic*
# (the italic star must hug the word, so "2 * 3 * 4" stays arithmetic).
_INLINE = re.compile(
    r"(?P<code>`[^`\n]+`)|\*\*(?P<bold>.+?)\*\*|\*(?P<italic>[^*\s](?:[^*\n]*[^*\s])?)\*"
)
_BULLET = re.compile(r"^(\s*)- ", re.MULTILINE)
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


class RenderError(ValueError):
    """The reply cannot be shown on Slack at all; the calling code must change."""


def escape(text: str) -> str:
    """Slack's three control characters, so user text cannot become a mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    """The Reply markdown subset in Slack's dialect (not yet escaped; see `escape`)."""
    return _BULLET.sub(r"\1• ", _inline(text, plain=False))


def to_plain(text: str) -> str:
    """The Reply markdown subset with its markers removed, for the notification text."""
    return _BULLET.sub(r"\1• ", _inline(text, plain=True))


def render(reply: Reply) -> dict[str, Any]:
    """`{"text", "blocks", "response_type"}` (+ `"image_png"`) for one Slack message."""
    actions = _actions(reply)
    title, body = to_plain(reply.title), reply.body
    if reply.error and body:  # Block Kit has no colour: mark errors in words instead
        body = ERROR_MARK + body
    elif reply.error:
        title = "⚠️ " + title
    header = [_header(title)] if title.strip() else []
    sections = [_section(chunk) for chunk in split_sections(to_mrkdwn(body))]
    fields = _field_sections(reply)
    image = [_context(IMAGE_NOTE)] if reply.image is not None else []
    footer = [_context(to_mrkdwn(reply.footer))] if reply.footer.strip() else []

    total = len(header) + len(sections) + len(fields) + len(image) + len(actions) + len(footer)
    notice: list[dict[str, Any]] = []
    if total > BLOCKS_MAX:
        room = BLOCKS_MAX - len(actions) - 1  # one block for the notice
        header, room = _take(header, room)
        image, room = _take(image, room)
        footer, room = _take(footer, room)
        fields, room = _take(fields, room)
        kept, _ = _take(sections, room)
        hidden = total - len(actions) - len(header + image + footer + fields + kept)
        sections = kept
        if len(actions) < BLOCKS_MAX:
            notice = [_context(f"{ELLIPSIS} Too long for Slack: {hidden} more parts not shown.")]

    blocks = header + sections + fields + image + actions + footer + notice
    result: dict[str, Any] = {
        "text": _fallback(reply),
        "blocks": blocks,
        "response_type": "ephemeral" if reply.ephemeral else "in_channel",
    }
    if reply.image is not None:
        result["image_png"] = reply.image
    return result


def split_sections(mrkdwn: str, limit: int = SECTION_TEXT_MAX) -> list[str]:
    """Escaped section texts of at most `limit` characters, cut at paragraphs when possible."""
    pieces: list[str] = []
    for paragraph in mrkdwn.split("\n\n"):
        if paragraph.strip():
            pieces.extend(_split_long(paragraph, limit))
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n\n{piece}" if current else piece
        if _escaped_len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return [escape(chunk) for chunk in chunks]


def fit(text: str, limit: int) -> str:
    """Escape `text` and cut it to `limit` characters with "…", never inside an entity."""
    if _escaped_len(text) <= limit:
        return escape(text)
    return escape(text[: _prefix_len(text, limit - 1)]) + ELLIPSIS


def _inline(text: str, *, plain: bool) -> str:
    """Rewrite bold/italic (recursively, so "**a *b***" works); code spans pass through."""

    def replace(match: re.Match[str]) -> str:
        if match["code"] is not None:
            return match["code"][1:-1] if plain else match["code"]
        if match["bold"] is not None:
            inner = _inline(match["bold"], plain=plain)
            return inner if plain else f"*{inner}*"
        return match["italic"] if plain else f"_{match['italic']}_"

    return _INLINE.sub(replace, text)


def _cut(text: str, limit: int) -> str:
    """Plain text (not escaped: Slack does not parse plain_text) cut to `limit` with "…"."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def _escaped_len(text: str) -> int:
    """Length of `text` once escaped, without building the string."""
    return len(text) + 4 * text.count("&") + 3 * (text.count("<") + text.count(">"))


def _prefix_len(text: str, limit: int) -> int:
    """Longest prefix of `text` whose escaped form fits in `limit` characters."""
    used = 0
    for index, char in enumerate(text):
        used += len(_ESCAPES.get(char, char))
        if used > limit:
            return index
    return len(text)


def _split_long(paragraph: str, limit: int) -> list[str]:
    """Split one paragraph at line breaks, then spaces, then anywhere, to fit `limit`."""
    parts: list[str] = []
    rest = paragraph
    while _escaped_len(rest) > limit:
        cut = _prefix_len(rest, limit)
        head = rest[:cut]
        space = max(head.rfind("\n"), head.rfind(" "))
        if space > 0:
            cut = space
        if rest[:cut].strip():
            parts.append(rest[:cut])
        rest = rest[cut:].lstrip("\n ") if space > 0 else rest[cut:]
    if rest.strip():
        parts.append(rest)
    return parts


def _take(blocks: list[dict[str, Any]], room: int) -> tuple[list[dict[str, Any]], int]:
    """Keep as many leading blocks as `room` allows; return them and the room left."""
    kept = blocks[: max(room, 0)]
    return kept, room - len(kept)


def _header(title: str) -> dict[str, Any]:
    """Title as a header block (plain text: mentions and markup are not parsed there)."""
    text = {"type": "plain_text", "text": _cut(title, HEADER_MAX), "emoji": True}
    return {"type": "header", "text": text}


def _section(text: str) -> dict[str, Any]:
    """A mrkdwn section around already escaped text."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(mrkdwn: str) -> dict[str, Any]:
    """A small grey line (footer, notes)."""
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": fit(mrkdwn, CONTEXT_TEXT_MAX)}],
    }


def _field_sections(reply: Reply) -> list[dict[str, Any]]:
    """Fields as "*name*\\nvalue", ten to a section (Slack's limit)."""
    texts: list[dict[str, Any]] = []
    for field in reply.fields:
        name, value = to_mrkdwn(field.name).strip(), to_mrkdwn(field.value)
        raw = f"*{name}*\n{value}" if name else value
        if raw.strip():
            texts.append({"type": "mrkdwn", "text": fit(raw, FIELD_TEXT_MAX)})
    return [
        {"type": "section", "fields": texts[i : i + FIELDS_PER_SECTION]}
        for i in range(0, len(texts), FIELDS_PER_SECTION)
    ]


def _actions(reply: Reply) -> list[dict[str, Any]]:
    """One actions block per button row (long rows re-flow); raises for impossible ids."""
    _check_ids(reply.all_buttons)
    blocks: list[dict[str, Any]] = []
    for row in reply.buttons:
        for i in range(0, len(row), ACTIONS_PER_BLOCK):
            elements = [_button(button) for button in row[i : i + ACTIONS_PER_BLOCK]]
            blocks.append({"type": "actions", "elements": elements})
    if len(blocks) > BLOCKS_MAX:
        raise RenderError(
            f"reply needs {len(blocks)} actions blocks for its button rows; "
            f"a Slack message holds at most {BLOCKS_MAX} blocks"
        )
    return blocks


def _check_ids(buttons: list[Button]) -> None:
    """Reject action ids Slack would refuse or could not tell apart."""
    seen: set[str] = set()
    for button in buttons:
        action_id = button.action_id
        if not action_id:
            raise RenderError(f"button {button.label!r} has an empty action_id (Slack needs 1-255)")
        if len(action_id) > ACTION_ID_MAX:
            raise RenderError(
                f"button {button.label[:40]!r} has an action_id of {len(action_id)} characters; "
                f"Slack allows at most {ACTION_ID_MAX}"
            )
        if action_id in seen:
            raise RenderError(
                f"action_id {action_id!r} is used by more than one button; "
                "Slack needs them unique so a click can be told apart"
            )
        seen.add(action_id)


def _button(button: Button) -> dict[str, Any]:
    """A Block Kit button whose value repeats the action id (all the state a click needs)."""
    label = _cut(button.label, BUTTON_TEXT_MAX)
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label or BLANK, "emoji": True},
        "action_id": button.action_id,
        "value": button.action_id,
    }
    if button.style in _STYLES:
        element["style"] = _STYLES[button.style]
    return element


def _fallback(reply: Reply) -> str:
    """Plain notification text: what a phone or screen reader shows instead of blocks."""
    parts = [to_plain(reply.title), to_plain(reply.body)]
    parts += [f"{to_plain(f.name)}: {to_plain(f.value)}" for f in reply.fields]
    parts.append(to_plain(reply.footer))
    text = "\n".join(part for part in parts if part.strip())
    if not text:
        text = " · ".join(b.label for b in reply.all_buttons) or (
            "Image attached" if reply.image is not None else BLANK
        )
    return fit(text, FALLBACK_MAX)
