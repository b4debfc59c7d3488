"""Shared pieces for challenge tests: an Outbox that records (or refuses), a small pack
of compliance questions, and a moderator who subscribes a channel."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.actions import decode
from bot.app import Core
from bot.challenge import store
from bot.context import Role
from bot.outbox import MessageRef, OutboxError
from bot.reply import Reply
from questions.importer import import_pack
from questions.loader import load_pack
from tests.helpers import Chat, context

NEW_YORK = ZoneInfo("America/New_York")
POOL_TOPIC = "compliance.privacy"
POOL_SIZE = 5
_ANSWERS = "ABCDA"


@dataclass
class RecordingOutbox:
    """The Outbox port as a platform sees it; `refuse` makes every call fail."""

    posts: list[tuple[str, Reply]] = field(default_factory=list)
    edits: list[tuple[MessageRef, Reply]] = field(default_factory=list)
    dms: list[tuple[str, Reply]] = field(default_factory=list)
    refuse: str = ""

    async def post(self, channel: str, reply: Reply) -> MessageRef:
        if self.refuse:
            raise OutboxError(self.refuse)
        self.posts.append((channel, reply))
        return MessageRef(channel, f"m{len(self.posts)}")

    async def edit(self, ref: MessageRef, reply: Reply) -> None:
        self.edits.append((ref, reply))

    async def dm(self, user: str, reply: Reply) -> MessageRef:
        if self.refuse:
            raise OutboxError(self.refuse)
        self.dms.append((user, reply))
        return MessageRef(f"dm:{user}", f"d{len(self.dms)}")

    def titled(self, start: str) -> list[Reply]:
        return [reply for _, reply in self.posts if reply.title.startswith(start)]

    @property
    def challenges(self) -> list[Reply]:
        return [reply for _, reply in self.posts if reply.buttons]

    @property
    def reveals(self) -> list[Reply]:
        return [reply for _, reply in self.posts if reply.title.endswith("the answer")]


def local(day: date, at: time, tz: ZoneInfo = NEW_YORK) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def challenge_id(reply: Reply) -> int:
    return decode(reply.all_buttons[0].action_id).int_arg(0)


def write_pool_pack(folder: Path) -> Path:
    """Five privacy questions with unlike prompts, so the pool can run out."""
    subjects = [
        "the minimum necessary standard",
        "a notice of privacy practices",
        "a business associate agreement",
        "the breach notification deadline",
        "an accounting of disclosures",
    ]
    lines = [
        "pack:",
        "  id: pool",
        "  title: Challenge pool",
        "  version: 1",
        "  origin: hand",
        "  source: StudyBot tests",
        "  licence: CC BY 4.0",
        "items:",
    ]
    for number, subject in enumerate(subjects, start=1):
        lines += [
            f"  - id: pool.{number}",
            "    kind: mcq",
            f"    topic: {POOL_TOPIC}",
            "    exams: [CPC]",
            f'    prompt: "Question {number}: which statement about {subject} is right?"',
            f'    choices: ["{subject} one", "{subject} two", "{subject} three", "{subject} four"]',
            f"    answer: {_ANSWERS[number - 1]}",
            f'    explanation: "Because of {subject}."',
            '    reference: "45 CFR 164"',
        ]
    path = folder / "pool.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def add_pool(core: Core) -> None:
    """Import the pool (idempotent: importing it again changes nothing)."""
    with tempfile.TemporaryDirectory() as folder:
        pack = load_pack(write_pool_pack(Path(folder)))
    await import_pack(core.database, pack, core.services.clock.now())


def moderator(core: Core, channel: str = "general") -> Chat:
    return Chat(core, replace(context("mod", dm=False, role=Role.MODERATOR), channel=channel))


def member(core: Core, user: str) -> Chat:
    return Chat(core, context(user, dm=False))


async def subscription(core: Core, channel: str = "general") -> store.Subscription:
    def work(conn: Connection) -> store.Subscription | None:
        return store.subscription_for(conn, "test", channel)

    found = await core.database.read(work)
    assert found is not None, "the channel is not subscribed"
    return found


def recording(core: Core) -> RecordingOutbox:
    outbox = RecordingOutbox()
    core.outboxes["test"] = outbox
    return outbox
