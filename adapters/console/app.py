"""The console chat: who is typing, where, and the last buttons shown.

`ConsoleApp.send(line)` drives the real core and returns what was printed, so
tests and scripts use the same path as a person at the keyboard.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from dataclasses import dataclass, field
from typing import TextIO

from adapters.console import render, translate
from adapters.console.outbox import ConsoleOutbox
from bot.app import Core
from bot.context import Context, Role
from bot.reply import Button, Reply

PLATFORM = "console"
WORKSPACE = "console"
GREETING = (
    "StudyBot console. You are {user} ({role}) in a direct message with the bot.\n"
    "Type /study to start, /help for every command, /quit to leave."
)


@dataclass
class ConsoleApp:
    """One terminal chat session over a running core."""

    core: Core
    out: TextIO = field(default_factory=lambda: sys.stdout)
    color: bool = False
    echo: bool = False
    user: str = "you"
    role: Role = Role.ADMIN
    channel: str = ""
    last_buttons: list[Button] = field(default_factory=list)
    awaiting_input: Button | None = None
    outbox: ConsoleOutbox = field(init=False)

    def __post_init__(self) -> None:
        self.outbox = ConsoleOutbox(self._show)

    @property
    def where(self) -> str:
        return f"#{self.channel}" if self.channel else "dm"

    def context(self) -> Context:
        return Context(
            platform=PLATFORM,
            workspace="" if not self.channel else WORKSPACE,
            channel=self.channel or f"dm:{self.user}",
            user=self.user.lower(),
            display_name=self.user,
            is_dm=not self.channel,
            role=self.role,
        )

    def greet(self) -> None:
        self._print(GREETING.format(user=self.user, role=self.role.name.lower()))

    def _print(self, text: str) -> None:
        self.out.write(text + "\n\n")
        self.out.flush()

    def _show(self, heading: str, reply: Reply) -> None:
        text = render.render(reply, color=self.color)
        self._print(f"[{heading}]\n{text}" if heading else text)
        if reply.buttons:
            self.last_buttons = reply.all_buttons

    def _show_all(self, replies: list[Reply]) -> None:
        for reply in replies:
            self._show("", reply)

    async def send(self, line: str) -> bool:
        """Handle one typed line; False when the user asked to quit."""
        if self.echo and line.strip():
            self._print(f"{self.user}@{self.where}> {line.strip()}")
        if self.awaiting_input is not None:
            button, self.awaiting_input = self.awaiting_input, None
            if not line.strip().startswith("/"):
                self._show_all(
                    await self.core.dispatcher.press(self.context(), button.action_id, line.strip())
                )
                return True
            self._print("(input cancelled)")
        action = translate.translate(line)
        match action:
            case translate.Nothing():
                pass
            case translate.Quit():
                return False
            case translate.Problem(message):
                self._print(f"! {message}")
            case translate.SwitchUser(name, role):
                self.user, self.role = name, role
                self._print(f"You are now {name} ({role.name.lower()}) in {self.where}.")
            case translate.GoDm():
                self.channel = ""
                self._print(f"{self.user} is now in a direct message with the bot.")
            case translate.GoChannel(name):
                self.channel = name
                self._print(f"{self.user} is now in #{name}.")
            case translate.Press(number):
                await self._press(number)
            case translate.Wait(seconds):
                await asyncio.sleep(seconds)
            case translate.ToCore(text):
                self._show_all(await self.core.dispatcher.handle_text(self.context(), text))
        return True

    async def _press(self, number: int) -> None:
        if not self.last_buttons:
            self._print("! There are no buttons to press yet.")
            return
        if not 1 <= number <= len(self.last_buttons):
            self._print(f"! Choose a button from 1 to {len(self.last_buttons)}.")
            return
        button = self.last_buttons[number - 1]
        self._print(f"(pressed {button.label})")
        if button.input_label:
            self.awaiting_input = button
            self._print(
                f"{button.input_label}: type it on the next line (or a /command to cancel)."
            )
            return
        self._show_all(await self.core.dispatcher.press(self.context(), button.action_id))

    async def run(self, stream: TextIO) -> None:
        """Read lines until EOF or /quit; each line is handled before the next is read."""
        self.greet()
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        interactive = stream.isatty()

        def reader() -> None:
            for line in stream:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            loop.call_soon_threadsafe(lines.put_nowait, None)

        threading.Thread(target=reader, name="console-stdin", daemon=True).start()
        self.core.outboxes[PLATFORM] = self.outbox
        timers = loop.create_task(self.core.quiz.run_forever(), name="quiz-timers")
        await self.core.scheduler.start()
        try:
            while True:
                if interactive:
                    self.out.write(f"{self.user}@{self.where}> ")
                    self.out.flush()
                line = await lines.get()
                if line is None or not await self.send(line):
                    break
        finally:
            timers.cancel()
            self.core.scheduler.shutdown()
        self._print("Bye.")
