"""The console adapter: the documented scripted session, and the console's own verbs."""

from __future__ import annotations

import io
import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from adapters.console.app import ConsoleApp
from adapters.console.translate import VERB_HELP
from bot.app import Core, build_core
from bot.clock import ManualClock
from bot.context import Role
from bot.registry import COMMANDS
from storage.database import Database
from tests.helpers import REPO_ROOT, STUDYBOT_SETTINGS, count, run_studybot

FRONT = r"^Flashcard · \S+\n(.+)\n-- New card · 1 of 20 new today\n\[1\] Show answer$"
RATINGS = r"^\[1\] Again · \S+  \[2\] Hard · \S+  \[3\] (Good · \S+)  \[4\] Easy · \S+$"
CONSOLE_VERBS = ("/as NAME", "/dm", "/channel NAME", "/press N", "/wait SECONDS", "/quit")


def _run_console(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    return run_studybot(
        tmp_path, "run", stdin=script, timeout=120, DATABASE_URL=f"sqlite:///{tmp_path}/s.db"
    )


def test_scripted_study_session(tmp_path: Path) -> None:
    """printf '/study\\n1\\n3\\n' | studybot run: a card, its answer, a grade, then Bye."""
    result = _run_console(tmp_path, "/study\n1\n3\n")
    out = result.stdout
    assert "Traceback" not in out + result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # The card, with its one button.
    front = re.search(FRONT, out, re.M)
    assert front, out
    prompt = front.group(1)
    # The answer, with rating buttons labelled by the interval each applies.
    assert "(pressed Show answer)" in out
    back = out.split("(pressed Show answer)")[1]
    assert prompt in back and "Answer: " in back
    buttons = re.search(RATINGS, out, re.M)
    assert buttons, out
    assert buttons.group(1) == "Good · 10m"
    assert "(pressed Good · 10m)" in out
    assert "Graded Good: due again in 10m." in out
    # After the grade comes the next card; EOF then ends the session politely.
    after = out.split("Graded Good: due again in 10m.")[1]
    assert "[1] Show answer" in after
    assert out.rstrip().endswith("Bye.")

    with sqlite3.connect(tmp_path / "s.db") as conn:
        logs = conn.execute("SELECT rating FROM review_log").fetchall()
        states = conn.execute("SELECT reps FROM review_state").fetchall()
    assert logs == [(3,)]
    assert states == [(1,)]


def test_console_help_and_quit_in_a_real_run(tmp_path: Path) -> None:
    """The documented /help lists the console verbs too; /quit leaves with exit code 0."""
    result = _run_console(tmp_path, "/help\n/quit\n/study\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for verb in CONSOLE_VERBS:
        assert verb in result.stdout, verb
    assert "Show answer" not in result.stdout  # nothing after /quit ran
    assert result.stdout.rstrip().endswith("Bye.")


# --- in process, on both dialects ---------------------------------------------------------


def _app(core: Core) -> tuple[ConsoleApp, io.StringIO]:
    out = io.StringIO()
    return ConsoleApp(core, out=out), out


async def _send(app: ConsoleApp, out: io.StringIO, line: str) -> str:
    """Send one line; what it printed."""
    start = out.tell()
    assert await app.send(line)
    return out.getvalue()[start:]


async def test_as_switches_user_and_role(core: Core, database: Database) -> None:
    app, out = _app(core)
    printed = await _send(app, out, "/as bob role=moderator")
    assert "You are now bob (moderator)" in printed
    assert app.context().user == "bob" and app.context().role is Role.MODERATOR
    await _send(app, out, "/study")
    await _send(app, out, "1")
    await _send(app, out, "3")
    assert await count(database, "learner", "user_id = 'bob' AND platform = 'console'") == 1
    assert await count(database, "learner") == 1
    printed = await _send(app, out, "/as carol")
    assert "You are now carol (member)" in printed
    printed = await _send(app, out, "/as dave role=king")
    assert printed.startswith("! ") and "king" in printed
    assert app.context().user == "carol"  # a refused switch changes nothing


async def test_channel_and_dm(core: Core) -> None:
    app, out = _app(core)
    app.echo = True
    await _send(app, out, "/as bob")
    printed = await _send(app, out, "/channel general")
    assert "bob is now in #general." in printed
    ctx = app.context()
    assert not ctx.is_dm and ctx.channel == "general" and ctx.workspace
    printed = await _send(app, out, "/study")
    assert printed.startswith("bob@#general> /study")
    printed = await _send(app, out, "/dm")
    assert "bob is now in a direct message with the bot." in printed
    assert app.context().is_dm
    printed = await _send(app, out, "/study")
    assert printed.startswith("bob@dm> /study")
    printed = await _send(app, out, "/channel")
    assert printed.startswith("bob@dm> /channel\n") and "Usage: /channel NAME" in printed


async def test_press_out_of_range_and_no_buttons_yet(core: Core, database: Database) -> None:
    app, out = _app(core)
    printed = await _send(app, out, "1")
    assert "! There are no buttons to press yet." in printed
    printed = await _send(app, out, "/press 2")
    assert "! There are no buttons to press yet." in printed
    await _send(app, out, "/study")
    printed = await _send(app, out, "/press 2")
    assert "! Choose a button from 1 to 1." in printed
    printed = await _send(app, out, "0")
    assert "! Choose a button from 1 to 1." in printed
    await _send(app, out, "/press 1")
    printed = await _send(app, out, "7")
    assert "! Choose a button from 1 to 4." in printed
    printed = await _send(app, out, "/press two")
    assert "Usage: /press N" in printed
    assert await count(database, "review_log") == 0  # no stray press graded anything


async def test_a_digit_that_is_not_0_to_9_does_not_end_the_session(core: Core) -> None:
    """ "²" and "①" count as digits to str.isdigit but not to int(): a typo, not a crash."""
    app, out = _app(core)
    await _send(app, out, "/study")
    for line in ("²", "①", "/press ²"):
        printed = await _send(app, out, line)
        assert printed.startswith("! "), (line, printed)
    printed = await _send(app, out, "1")
    assert "(pressed Show answer)" in printed


async def test_wait_and_quit(core: Core) -> None:
    app, out = _app(core)
    assert await _send(app, out, "/wait 0") == ""
    for bad in ("/wait", "/wait -1", "/wait soon", "/wait 99999", "/wait nan"):
        printed = await _send(app, out, bad)
        assert "Usage: /wait SECONDS" in printed, bad
    assert await app.send("/quit") is False
    assert await app.send("/exit") is False


async def test_help_lists_every_command_and_the_console_verbs(
    database: Database, clock: ManualClock
) -> None:
    """The console's /help, with the core wired as `studybot run` wires it."""
    core = build_core(database, clock, "UTC", help_extra=(VERB_HELP,))
    app, out = _app(core)
    printed = await _send(app, out, "/help")
    for spec in COMMANDS:
        assert f"/{spec.name}" in printed, spec.name
        assert spec.example in printed, spec.example
    for verb in CONSOLE_VERBS:
        assert verb in printed, verb


async def test_two_users_have_separate_queues(core: Core, database: Database) -> None:
    app, out = _app(core)
    await _send(app, out, "/as ana")
    first = await _send(app, out, "/study")
    assert "New card · 1 of 20 new today" in first
    await _send(app, out, "1")
    await _send(app, out, "3")  # ana grades one new card

    await _send(app, out, "/as bob")
    printed = await _send(app, out, "/study")
    assert "New card · 1 of 20 new today" in printed
    assert printed.split("\n")[1] == first.split("\n")[1]  # bob starts on the same first card
    for _ in range(3):  # bob grades three new cards
        await _send(app, out, "1")
        await _send(app, out, "3")

    await _send(app, out, "/as ana")
    printed = await _send(app, out, "/study")
    assert "New card · 2 of 20 new today" in printed
    assert await count(database, "review_log") == 4
    assert await count(database, "review_state") == 4


def test_ctrl_c_leaves_cleanly(tmp_path: Path) -> None:
    """Ctrl-C at the prompt says goodbye, exits 130 and prints no traceback."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in STUDYBOT_SETTINGS}
    env.update(PYTHONPATH=str(REPO_ROOT), DATABASE_URL=f"sqlite:///{tmp_path}/c.db")
    process = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "run"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    greeting = [process.stdout.readline() for _ in range(2)]  # blocks until the console is up
    assert "Type /study to start" in greeting[1]
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Bye." in err and "Traceback" not in out + err
