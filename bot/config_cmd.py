"""/config: a workspace's timezone and quiz defaults, set by its moderators.

The timezone decides where leaderboard days, weeks and months begin; the quiz
defaults are what /quiz uses when no count or seconds are given. Values live on the
WORKSPACE row (`timezone`, and `settings_json` keys "quiz_count" and "quiz_seconds");
a missing or unreadable value falls back to the default, so a bad row never breaks
a quiz.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.context import Context
from bot.errors import UserError
from bot.grammar import ParsedCommand
from bot.learners import ensure_workspace, find_workspace_id
from bot.reply import Field, Reply
from bot.scores import strings
from bot.services import Services
from bot.studyday import zone
from storage.models import WORKSPACE

DEFAULT_QUIZ_COUNT = 10
DEFAULT_QUIZ_SECONDS = 30
QUIZ_COUNT_RANGE = (2, 50)
QUIZ_SECONDS_RANGE = (10, 300)
RESET = "default"
_WHOLE = re.compile(r"^[0-9]{1,4}$")
# option name -> (settings_json key, allowed range)
_NUMBERS: dict[str, tuple[str, tuple[int, int]]] = {
    "quiz-count": ("quiz_count", QUIZ_COUNT_RANGE),
    "quiz-seconds": ("quiz_seconds", QUIZ_SECONDS_RANGE),
}
_DEFAULTS = {"quiz_count": DEFAULT_QUIZ_COUNT, "quiz_seconds": DEFAULT_QUIZ_SECONDS}


@dataclass(frozen=True)
class Setting:
    """A value and where it comes from: "default" or "workspace"."""

    value: str
    source: str


@dataclass(frozen=True)
class WorkspaceConfig:
    timezone: Setting
    quiz_count: Setting
    quiz_seconds: Setting


def _settings(raw: str | None) -> dict[str, Any]:
    """settings_json as a dict; anything unreadable counts as empty."""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _stored_number(settings: dict[str, Any], key: str, bounds: tuple[int, int]) -> int | None:
    value = settings.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and bounds[0] <= value <= bounds[1]:
        return value
    return None


def _stored_zone(name: str | None) -> str | None:
    if not name:
        return None
    try:
        zone(name)
    except ValueError:
        return None
    return name


def _row(conn: Connection, workspace_id: int | None) -> tuple[str | None, dict[str, Any]]:
    if workspace_id is None:
        return None, {}
    row = conn.execute(
        sa.select(WORKSPACE.c.timezone, WORKSPACE.c.settings_json).where(
            WORKSPACE.c.id == workspace_id
        )
    ).first()
    if row is None:
        return None, {}
    return row.timezone, _settings(row.settings_json)


def quiz_defaults(conn: Connection, workspace_id: int | None) -> tuple[int, int]:
    """(question count, seconds per question) for a quiz started without them."""
    _, settings = _row(conn, workspace_id)
    count = _stored_number(settings, "quiz_count", QUIZ_COUNT_RANGE)
    seconds = _stored_number(settings, "quiz_seconds", QUIZ_SECONDS_RANGE)
    return (
        DEFAULT_QUIZ_COUNT if count is None else count,
        DEFAULT_QUIZ_SECONDS if seconds is None else seconds,
    )


def workspace_zone(conn: Connection, workspace_id: int | None, default_tz: str) -> ZoneInfo:
    """The workspace's timezone (leaderboard days start at its midnight), else the default."""
    name, _ = _row(conn, workspace_id)
    return zone(_stored_zone(name) or default_tz)


def load_config(conn: Connection, workspace_id: int | None, default_tz: str) -> WorkspaceConfig:
    """Every setting with its provenance, for display."""
    name, settings = _row(conn, workspace_id)
    stored_zone = _stored_zone(name)
    numbers: dict[str, Setting] = {}
    for key, bounds in _NUMBERS.values():
        value = _stored_number(settings, key, bounds)
        numbers[key] = (
            Setting(str(_DEFAULTS[key]), strings.CONFIG_FROM_DEFAULT)
            if value is None
            else Setting(str(value), strings.CONFIG_FROM_WORKSPACE)
        )
    timezone = (
        Setting(default_tz, strings.CONFIG_FROM_DEFAULT)
        if stored_zone is None
        else Setting(stored_zone, strings.CONFIG_FROM_WORKSPACE)
    )
    return WorkspaceConfig(timezone, numbers["quiz_count"], numbers["quiz_seconds"])


def _quoted(value: str) -> str:
    return repr(value if len(value) <= 20 else value[:20] + "…")


@dataclass(frozen=True)
class Changes:
    """Validated changes; None in a field means "leave it", RESET means "back to default"."""

    timezone: str | None
    numbers: dict[str, int | None]  # settings_json key -> value, None = remove

    def __bool__(self) -> bool:
        return self.timezone is not None or bool(self.numbers)


def parse_changes(options: dict[str, str]) -> Changes:
    """Validate every option before anything is written; every problem in one message."""
    problems: list[str] = []
    timezone: str | None = None
    if "timezone" in options:
        raw = options["timezone"].strip()
        if raw.lower() == RESET:
            timezone = RESET
        else:
            try:
                zone(raw)
                timezone = raw
            except ValueError as exc:
                problems.append(strings.CONFIG_BAD_TIMEZONE.format(problem=exc))
    numbers: dict[str, int | None] = {}
    for option, (key, (low, high)) in _NUMBERS.items():
        if option not in options:
            continue
        raw = options[option].strip()
        if raw.lower() == RESET:
            numbers[key] = None
        elif _WHOLE.match(raw) and low <= int(raw) <= high:
            numbers[key] = int(raw)
        else:
            problems.append(
                strings.CONFIG_BAD_NUMBER.format(
                    option=option, low=low, high=high, value=_quoted(raw)
                )
            )
    if problems:
        raise UserError(" ".join([*problems, strings.CONFIG_NOTHING_CHANGED]))
    return Changes(timezone, numbers)


def apply_changes(conn: Connection, workspace_id: int, changes: Changes) -> None:
    """Write validated changes; other keys in settings_json are kept."""
    row = conn.execute(
        sa.select(WORKSPACE.c.settings_json)
        .where(WORKSPACE.c.id == workspace_id)
        .with_for_update()  # PostgreSQL: no lost update between two moderators
    ).one()
    settings = _settings(row.settings_json)
    for key, value in changes.numbers.items():
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
    values: dict[str, Any] = {"settings_json": json.dumps(settings, sort_keys=True)}
    if changes.timezone is not None:
        values["timezone"] = None if changes.timezone == RESET else changes.timezone
    conn.execute(WORKSPACE.update().where(WORKSPACE.c.id == workspace_id).values(**values))


def _shown(setting: Setting) -> str:
    return strings.CONFIG_VALUE.format(value=setting.value, source=setting.source)


def config_reply(config: WorkspaceConfig, lead: str) -> Reply:
    return Reply(
        title=strings.CONFIG_TITLE,
        body=(lead + "\n\n" if lead else "") + strings.CONFIG_HELP,
        fields=(
            Field(strings.CONFIG_TIMEZONE, _shown(config.timezone)),
            Field(strings.CONFIG_COUNT, _shown(config.quiz_count)),
            Field(strings.CONFIG_SECONDS, _shown(config.quiz_seconds)),
        ),
        ephemeral=True,
    )


async def config_command(services: Services, ctx: Context, command: ParsedCommand) -> list[Reply]:
    """/config [timezone=...] [quiz-count=...] [quiz-seconds=...] (moderators)."""
    if not ctx.workspace:
        raise UserError(strings.CONFIG_NEEDS_SERVER)
    changes = parse_changes(command.options)
    default_tz = services.default_timezone

    def show(conn: Connection) -> Reply:
        return config_reply(load_config(conn, find_workspace_id(conn, ctx), default_tz), "")

    def change(conn: Connection) -> Reply:
        workspace_id = ensure_workspace(conn, ctx, services.clock.now())
        assert workspace_id is not None
        apply_changes(conn, workspace_id, changes)
        return config_reply(load_config(conn, workspace_id, default_tz), strings.CONFIG_SAVED)

    if changes:
        return [await services.database.write(change)]
    return [await services.database.read(show)]
