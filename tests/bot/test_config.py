"""/config: a workspace's timezone and quiz defaults, moderators only, all or nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import Connection

from bot.app import Core
from bot.config_cmd import quiz_defaults, workspace_zone
from bot.context import Context, Role
from bot.learners import find_workspace_id
from bot.reply import Reply
from storage.database import Database
from storage.models import WORKSPACE
from tests.helpers import Chat, context, snapshot


def mod(role: Role = Role.MODERATOR) -> Context:
    return context("mo", dm=False, role=role)


def shown(reply: Reply) -> dict[str, str]:
    return {field.name: field.value for field in reply.fields}


async def say(core: Core, text: str, who: Context | None = None) -> Reply:
    replies = await Chat(core, who or mod()).say(text)
    assert len(replies) == 1, replies
    return replies[0]


async def stored(database: Database) -> tuple[tuple[int, int], str, str | None]:
    """What the quiz engine and leaderboards will read."""

    def work(conn: Connection) -> tuple[tuple[int, int], str, str | None]:
        workspace_id = find_workspace_id(conn, context(dm=False))
        settings = conn.scalar(
            sa.select(WORKSPACE.c.settings_json).where(WORKSPACE.c.id == workspace_id)
        )
        zone = workspace_zone(conn, workspace_id, "Europe/Paris")
        return quiz_defaults(conn, workspace_id), zone.key, settings

    return await database.read(work)


async def test_a_member_is_refused_by_the_role_check(core: Core, database: Database) -> None:
    before = await snapshot(database)
    reply = await say(core, "/config quiz-count=20", mod(Role.MEMBER))
    assert reply.error and reply.body == "/config needs the moderator role; you are member."
    assert await snapshot(database) == before
    admin = await say(core, "/config", mod(Role.ADMIN))
    assert not admin.error


async def test_defaults_are_shown_with_their_provenance(core: Core, database: Database) -> None:
    reply = await say(core, "/config")
    assert reply.ephemeral and not reply.error
    assert shown(reply) == {
        "Timezone (leaderboard days)": "UTC (default)",
        "Quiz questions": "10 (default)",
        "Quiz seconds per question": "30 (default)",
    }
    assert await stored(database) == ((10, 30), "Europe/Paris", None)  # no row yet


async def test_a_moderator_sets_values_and_sees_where_each_comes_from(
    core: Core, database: Database
) -> None:
    reply = await say(core, "/config timezone=America/Los_Angeles quiz-count=25")
    assert reply.body.startswith("Saved.")
    assert shown(reply) == {
        "Timezone (leaderboard days)": "America/Los_Angeles (workspace)",
        "Quiz questions": "25 (workspace)",
        "Quiz seconds per question": "30 (default)",
    }
    assert await stored(database) == ((25, 30), "America/Los_Angeles", '{"quiz_count": 25}')

    await say(core, "/config quiz-seconds=300 quiz-count=2")
    reply = await say(core, "/config", context("someone", dm=False))  # members cannot even look
    assert reply.error
    reply = await say(core, "/config")
    assert shown(reply)["Quiz questions"] == "2 (workspace)"
    assert shown(reply)["Quiz seconds per question"] == "300 (workspace)"
    assert (await stored(database))[0] == (2, 300)

    reply = await say(core, "/config quiz-count=default timezone=default")
    assert shown(reply) == {
        "Timezone (leaderboard days)": "UTC (default)",
        "Quiz questions": "10 (default)",
        "Quiz seconds per question": "300 (workspace)",
    }
    assert await stored(database) == ((10, 300), "Europe/Paris", '{"quiz_seconds": 300}')


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("/config quiz-count=1", ["quiz-count", "2 to 50", "'1'"]),
        ("/config quiz-count=51", ["quiz-count", "2 to 50"]),
        ("/config quiz-seconds=9", ["quiz-seconds", "10 to 300"]),
        ("/config quiz-seconds=301", ["quiz-seconds", "10 to 300"]),
        ("/config quiz-count=ten", ["quiz-count", "'ten'"]),
        ("/config quiz-count=-5", ["quiz-count"]),
        ("/config quiz-count=12.5", ["quiz-count"]),
        ("/config timezone=Mars/Olympus", ["timezone", "Mars/Olympus", "IANA"]),
        ("/config timezone=Europe", ["timezone", "Europe"]),
        # One bad value spoils the good ones: nothing is written.
        ("/config timezone=Asia/Tokyo quiz-count=0", ["quiz-count", "Nothing was changed"]),
        ("/config timezone=Nowhere quiz-seconds=5", ["timezone", "quiz-seconds"]),
        ("/config quiz-time=20", ["quiz-time", "quiz-count, quiz-seconds"]),
    ],
)
async def test_bad_values_change_nothing(
    core: Core, database: Database, text: str, words: list[str]
) -> None:
    await say(core, "/config timezone=America/Chicago quiz-count=12")
    before = await snapshot(database)
    reply = await say(core, text)
    assert reply.error and reply.ephemeral and "\n" not in reply.body
    for word in words:
        assert word in reply.body, (word, reply.body)
    assert await snapshot(database) == before
    assert (await stored(database))[:2] == ((12, 30), "America/Chicago")


async def test_config_belongs_to_a_server(core: Core, database: Database) -> None:
    before = await snapshot(database)
    reply = await say(core, "/config quiz-count=20", context("mo", dm=True, role=Role.ADMIN))
    assert reply.error and "server" in reply.body
    assert await snapshot(database) == before


async def test_unreadable_stored_settings_fall_back_to_defaults(
    core: Core, database: Database
) -> None:
    await say(core, "/config quiz-count=40")

    def spoil(conn: Connection) -> None:
        conn.execute(
            WORKSPACE.update().values(
                settings_json='{"quiz_count": 500, "quiz_seconds": "x", "theme": "dark"}'
            )
        )

    await database.write(spoil)
    reply = await say(core, "/config")
    assert shown(reply)["Quiz questions"] == "10 (default)"
    assert (await stored(database))[0] == (10, 30)
    await say(core, "/config quiz-seconds=45")  # other keys are kept
    assert '"theme": "dark"' in str((await stored(database))[2])
