"""Bad input: one clear line back, nothing changed; bad settings stop start-up with one line."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Connection

from bot import strings
from bot.app import Core
from bot.clock import ManualClock
from bot.reply import Reply
from bot.study.cards import epoch
from storage.database import Database
from storage.models import QUESTION
from tests.helpers import Chat, context, run_studybot, snapshot

# --- helpers -------------------------------------------------------------------------------


def assert_one_clear_line(replies: list[Reply], *words: str) -> str:
    """A single ephemeral error reply whose body is one line naming the problem."""
    assert len(replies) == 1, replies
    reply = replies[0]
    assert reply.error, reply
    assert reply.ephemeral, reply
    assert not reply.buttons, reply
    body = reply.body.strip()
    assert body, reply
    assert "\n" not in body, body
    assert body != strings.INTERNAL_ERROR, "a user mistake is reported as our failure"
    for word in words:
        assert word.lower() in body.lower(), (word, body)
    return body


async def _question_id(database: Database, item_id: str) -> int:
    def work(conn: Connection) -> int:
        found = conn.execute(sa.select(QUESTION.c.id).where(QUESTION.c.item_id == item_id))
        return int(found.scalar_one())

    return await database.read(work)


async def _said(core: Core, database: Database, text: str, *words: str) -> str:
    """Type `text`; assert one clear error line and an unchanged database."""
    before = await snapshot(database)
    replies = await Chat(core, context()).say(text)
    body = assert_one_clear_line(replies, *words)
    assert await snapshot(database) == before, f"{text!r} changed the database"
    return body


async def _pressed(core: Core, database: Database, action_id: str, *words: str) -> str:
    """Press a (forged) button id; assert one clear error line and an unchanged database."""
    before = await snapshot(database)
    replies = await core.dispatcher.press(context(), action_id)
    body = assert_one_clear_line(replies, *words)
    assert await snapshot(database) == before, f"{action_id!r} changed the database"
    return body


# --- commands ----------------------------------------------------------------------------


async def test_unknown_command(core: Core, database: Database) -> None:
    await _said(core, database, "/nope", "unknown command", "/nope", "/help")


async def test_unknown_option_names_the_option_and_the_command(
    core: Core, database: Database
) -> None:
    body = await _said(core, database, "/study colour=red", "colour", "/study")
    assert "topic" in body and "exam" in body  # says what is allowed


async def test_words_after_a_command_that_takes_none(core: Core, database: Database) -> None:
    await _said(core, database, "/undo please", "/undo")


async def test_unreadable_command_line(core: Core, database: Database) -> None:
    await _said(core, database, '/study topic="terminology', "quot")


async def test_unknown_timezone(core: Core, database: Database) -> None:
    await _said(core, database, "/settings timezone=Mars/Olympus", "timezone", "Mars/Olympus")


async def test_timezone_that_names_a_region_not_a_zone(core: Core, database: Database) -> None:
    """ "Europe" is a folder of the tz database, not a zone: it must read as unknown, not crash."""
    await _said(core, database, "/settings timezone=Europe", "timezone", "Europe")


async def test_new_cards_out_of_range(core: Core, database: Database) -> None:
    await _said(core, database, "/settings new=500", "new", "500", "200")


@pytest.mark.parametrize(
    "value",
    ["abc", "-1", "1.5", "²", "9" * 5000],
    ids=["letters", "negative", "fraction", "superscript", "5000-digits"],
)
async def test_new_cards_not_a_whole_number(core: Core, database: Database, value: str) -> None:
    """Every malformed number gets the same plain sentence, never a Python error text."""
    body = await _said(core, database, f"/settings new={value}", "new", "whole number")
    assert "int()" not in body and "literal" not in body


async def test_new_cards_given_twice_under_both_names(core: Core, database: Database) -> None:
    """new= and new-per-day= are one setting: two values for it are refused, not guessed."""
    await _said(core, database, "/settings new=5 new-per-day=6", "new")


async def test_retention_out_of_range(core: Core, database: Database) -> None:
    await _said(core, database, "/settings retention=2", "retention", "2", "0.97")


async def test_settings_are_all_or_nothing(core: Core, database: Database) -> None:
    """A valid timezone next to a bad number is not saved either."""
    chat = Chat(core, context())
    await chat.say("/study")  # the learner row exists, so a partial save would show
    await _said(core, database, "/settings timezone=Europe/London new=abc", "new", "abc")
    await chat.say("/settings")
    shown = {field.name: field.value for field in chat.replies[0].fields}
    assert shown[strings.SETTING_TIMEZONE] == "UTC (default)"
    assert shown[strings.SETTING_NEW] == "20"


async def test_unknown_topic(core: Core, database: Database) -> None:
    body = await _said(core, database, "/study topic=astrology", "topic", "astrology")
    assert "terminology" in body  # names the topics there are


async def test_unknown_exam(core: Core, database: Database) -> None:
    body = await _said(core, database, "/study exam=XYZ", "exam", "XYZ")
    assert "CPC" in body


async def test_undo_with_nothing_to_undo(core: Core, database: Database) -> None:
    await _said(core, database, "/undo", "nothing to undo")


async def test_undo_twice_after_one_grade(core: Core, database: Database) -> None:
    chat = Chat(core, context())
    await chat.say("/study")
    await chat.press("Show answer")
    await chat.press("Good")
    await chat.say("/undo")
    assert not chat.replies[0].error
    await _said(core, database, "/undo", "nothing to undo")


# --- buttons -----------------------------------------------------------------------------


async def test_forged_choice_out_of_range(
    core: Core, database: Database, clock: ManualClock
) -> None:
    qid = await _question_id(database, "fx.mcq.1")
    stamp = epoch(clock.now())
    await _pressed(core, database, f"st.pick:{qid}:0:{stamp}:7", "button")
    await _pressed(core, database, f"st.pick:{qid}:0:{stamp}:-1", "button")
    tf = await _question_id(database, "fx.tf.1")
    await _pressed(core, database, f"st.pick:{tf}:0:{stamp}:2", "button")


async def test_forged_rating_out_of_range(
    core: Core, database: Database, clock: ManualClock
) -> None:
    qid = await _question_id(database, "fx.card.1")
    stamp = epoch(clock.now())
    await _pressed(core, database, f"st.rate:{qid}:0:{stamp}:9", "button")
    await _pressed(core, database, f"st.rate:{qid}:0:{stamp}:0", "button")


@pytest.mark.parametrize(
    "action_id",
    [
        "",
        "garbage",
        ":",
        "::::",
        "st.rate",
        "st.rate:abc:0:0:3",
        "st.show:1:x:0",
        "nope.nothing:1:2",
        "x" * 101,
        "st.rate:1:0:1767625200:3:" + "9" * 90,
    ],
)
async def test_garbage_or_too_long_action_id(
    core: Core, database: Database, action_id: str
) -> None:
    await _pressed(core, database, action_id, "button")


@pytest.mark.parametrize(
    "template",
    [
        "st.show:{big}:0:{stamp}",
        "st.pick:{big}:0:{stamp}:0",
        "st.rate:{qid}:0:{big}:3",
        "st.show:{qid}:0:-{big}",
        "st.unsuspend:{big}",
        "st.show:{int32}:0:{stamp}",
        "st.rate:{qid}:0:{year_10000}:3",
        "st.show:{qid}:0:{year_36812}",
    ],
)
async def test_absurd_numbers_in_a_button_id(
    core: Core, database: Database, clock: ManualClock, template: str
) -> None:
    """Numbers no real button carries (a question id past any integer column, a shown-at
    stamp far outside the calendar) are a forged button, not our failure."""
    chat = Chat(core, context())
    await chat.say("/study")  # the learner exists, so handlers get as far as the database
    qid = await _question_id(database, "fx.card.1")
    action_id = template.format(
        big=10**30,
        int32=2**31,  # one past the largest id an INTEGER column holds
        year_10000=253_402_300_800,  # the first second past datetime's range
        year_36812=2**40 - 1,
        qid=qid,
        stamp=epoch(clock.now()),
    )
    await _pressed(core, database, action_id, "button")


# --- start-up ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """Run the documented console command with only the given settings, from tmp_path."""
    return run_studybot(tmp_path, "run", stdin="/study\n", timeout=60, **settings)


def _assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


@pytest.mark.parametrize(
    ("settings", "named", "given"),
    [
        ({"DATABASE_URL": "notaurl"}, "DATABASE_URL", "notaurl"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL", "mysql"),
        ({"DATABASE_URL": "sqlite://"}, "DATABASE_URL", "SQLite file"),
        ({"DEFAULT_TIMEZONE": "Nowhere/Land"}, "DEFAULT_TIMEZONE", "Nowhere/Land"),
        ({"DEFAULT_TIMEZONE": "Europe"}, "DEFAULT_TIMEZONE", "Europe"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL", "WARNING"),
        (
            {"DATABASE_URL": "sqlite:///./s.db", "DEFAULT_TIMEZONE": "Nowhere/Land"},
            "DEFAULT_TIMEZONE",
            "Nowhere/Land",
        ),
        ({"DATABASE_URL": "sqlite:///./s.db", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL", "DEBUG"),
    ],
)
def test_bad_setting_stops_start_up_with_one_line(
    tmp_path: Path, settings: dict[str, str], named: str, given: str
) -> None:
    """The line names the setting and what is wrong with it (the value, or what to use)."""
    _assert_refused(_start(tmp_path, **settings), named, given)
    assert list(tmp_path.iterdir()) == [], "a database was created despite a bad setting"


def test_bad_database_url_says_why(tmp_path: Path) -> None:
    line = _assert_refused(_start(tmp_path, DATABASE_URL="mysql://x/y"), "DATABASE_URL")
    assert "mysql" in line and "sqlite" in line and "postgresql" in line


def test_port_out_of_range_in_database_url(tmp_path: Path) -> None:
    """A typo in the port is a bad setting, not a crash."""
    url = "postgresql+asyncpg://u:secretpw@127.0.0.1:99999/db"
    line = _assert_refused(_start(tmp_path, DATABASE_URL=url), "DATABASE_URL")
    assert "secretpw" not in line


def test_unreachable_database_server_says_so_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://u:secretpw@127.0.0.1:{_free_port()}/db"
    line = _assert_refused(_start(tmp_path, DATABASE_URL=url), "Cannot reach the database")
    assert "127.0.0.1" in line
    assert "secretpw" not in line


def test_unopenable_database_says_so(
    tmp_path: Path, dialect: str, request: pytest.FixtureRequest
) -> None:
    """SQLite in a folder that does not exist; PostgreSQL with a database that does not."""
    if dialect == "sqlite":
        url = f"sqlite:///{tmp_path}/missing/folder/s.db"
    else:
        admin: str = request.getfixturevalue("postgres_url")
        base = sa.engine.make_url(admin).set(
            username="nobody_here", password="secretpw", database="no_such_db"
        )
        url = base.render_as_string(hide_password=False)
    line = _assert_refused(_start(tmp_path, DATABASE_URL=url), "Cannot reach the database")
    assert "secretpw" not in line
    assert list(tmp_path.iterdir()) == []
