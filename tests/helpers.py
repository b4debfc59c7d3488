"""Test helpers: a chat driver over the real dispatcher, and database snapshots."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.app import Core
from bot.config import Settings
from bot.context import Context, Role
from bot.reply import Button, Reply
from storage.database import Database

_INTERVAL = re.compile(r"^(\d+(?:\.\d+)?)(m|h|d|mo|y)$")


def context(user: str = "ana", *, dm: bool = True, role: Role = Role.MEMBER) -> Context:
    return Context(
        platform="test",
        workspace="" if dm else "ws1",
        channel=f"dm:{user}" if dm else "general",
        user=user,
        display_name=user.title(),
        is_dm=dm,
        role=role,
    )


@dataclass
class Chat:
    """One user talking to the core, remembering the last buttons like a chat client."""

    core: Core
    ctx: Context
    replies: list[Reply] = field(default_factory=list)

    async def say(self, text: str) -> list[Reply]:
        self.replies = await self.core.dispatcher.handle_text(self.ctx, text)
        return self.replies

    @property
    def buttons(self) -> list[Button]:
        for reply in reversed(self.replies):
            if reply.buttons:
                return reply.all_buttons
        return []

    def button(self, label_start: str) -> Button:
        for button in self.buttons:
            if button.label.startswith(label_start):
                return button
        raise AssertionError(f"No button starting {label_start!r} in {self.buttons}")

    async def press(self, label_start: str) -> list[Reply]:
        return await self.click(self.button(label_start))

    async def click(self, button: Button, text: str = "") -> list[Reply]:
        self.replies = await self.core.dispatcher.press(self.ctx, button.action_id, text)
        return self.replies

    async def type_into(self, label_start: str, text: str) -> list[Reply]:
        """Press a button that asks for text, and type `text` into it."""
        button = self.button(label_start)
        assert button.input_label, f"{button.label!r} does not ask for text"
        return await self.click(button, text)

    @property
    def text(self) -> str:
        return "\n".join(f"{reply.title}\n{reply.body}" for reply in self.replies)


def parse_interval(label: str) -> tuple[float, str]:
    """'Good · 3d' -> (3.0, 'd')."""
    value = label.split(" · ")[1]
    match = _INTERVAL.match(value)
    assert match, f"unexpected interval label {label!r}"
    return float(match.group(1)), match.group(2)


UNITS = {
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "mo": timedelta(days=30.4375),
    "y": timedelta(days=365.25),
}


async def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: compare before and after to prove nothing changed."""

    def work(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
        tables = sa.inspect(conn).get_table_names()
        result: dict[str, list[tuple[Any, ...]]] = {}
        for name in sorted(tables):
            rows = conn.execute(sa.text(f"SELECT * FROM {name}"))
            result[name] = sorted((tuple(row) for row in rows), key=repr)
        return result

    return await database.read(work)


async def count(database: Database, table: str, where: str = "") -> int:
    def work(conn: Connection) -> int:
        sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return int((conn.execute(sa.text(sql))).scalar_one())

    return await database.read(work)


REPO_ROOT = Path(__file__).resolve().parents[1]
STUDYBOT_SETTINGS = {name.upper() for name in Settings.model_fields}


def run_studybot(
    cwd: Path, *args: str, stdin: str = "", timeout: float = 180, **settings: str
) -> subprocess.CompletedProcess[str]:
    """`studybot ARGS` as a real process from `cwd`, with only the given settings
    (none inherited from the machine), as a person would run it."""
    env = {key: value for key, value in os.environ.items() if key.upper() not in STUDYBOT_SETTINGS}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.update(settings)
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
