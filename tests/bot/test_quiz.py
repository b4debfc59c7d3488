"""Channel and DM quizzes through the real core, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.actions import decode, encode
from bot.app import Core, build_core
from bot.clock import ManualClock
from bot.context import Role
from bot.outbox import MessageRef
from bot.quiz import store
from bot.reply import Button, Reply
from storage.database import Database, open_database
from storage.models import ATTEMPT, REVIEW_STATE
from tests.helpers import Chat, context, count, snapshot


@dataclass
class RecordingOutbox:
    """The Outbox port as a platform would see it: what was posted, in order."""

    posts: list[tuple[str, Reply]] = field(default_factory=list)

    async def post(self, channel: str, reply: Reply) -> MessageRef:
        self.posts.append((channel, reply))
        return MessageRef(channel, str(len(self.posts)))

    async def edit(self, ref: MessageRef, reply: Reply) -> None:
        self.posts.append((ref.channel, reply))

    async def dm(self, user: str, reply: Reply) -> MessageRef:
        self.posts.append((f"dm:{user}", reply))
        return MessageRef(f"dm:{user}", str(len(self.posts)))


def channel_chat(core: Core, user: str, role: Role = Role.MEMBER) -> Chat:
    return Chat(core, context(user, dm=False, role=role))


def outbox_for(core: Core) -> RecordingOutbox:
    outbox = RecordingOutbox()
    core.quiz.outboxes["test"] = outbox
    return outbox


def quiz_question_id(reply: Reply) -> int:
    return decode(reply.all_buttons[0].action_id).int_arg(0)


async def correct_choice(database: Database, qq_id: int) -> int:
    def work(conn: Connection) -> int:
        item = store.load_item(conn, qq_id)
        assert item is not None
        return item.correct_choice

    return await database.read(work)


async def attempts(database: Database) -> list[dict[str, Any]]:
    def work(conn: Connection) -> list[dict[str, Any]]:
        rows = conn.execute(sa.select(ATTEMPT).order_by(ATTEMPT.c.id))
        return [dict(row._mapping) for row in rows]

    return await database.read(work)


async def test_full_quiz_with_three_learners(
    core: Core, database: Database, clock: ManualClock
) -> None:
    outbox = outbox_for(core)
    ana, bob, cy = (channel_chat(core, name) for name in ("ana", "bob", "cy"))
    await ana.say("/quiz topic=terminology.word-building count=2 seconds=30")
    first = ana.replies[-1]
    assert first.title == "Quiz · question 1 of 2" and not first.ephemeral
    qq = quiz_question_id(first)
    right = await correct_choice(database, qq)
    wrong = (right + 1) % len(first.all_buttons)

    await ana.click(first.all_buttons[right])  # at once: full speed bonus
    assert ana.replies[0].ephemeral and "You can change it" in ana.replies[0].body
    clock.advance(timedelta(seconds=15))
    await bob.click(first.all_buttons[wrong])
    await bob.click(first.all_buttons[right])  # changed his mind, half the time left
    clock.advance(timedelta(seconds=5))
    await cy.click(first.all_buttons[wrong])
    clock.advance(timedelta(seconds=10))  # the deadline
    late = await channel_chat(core, "dee").click(first.all_buttons[right])
    assert late[0].ephemeral and "closed" in late[0].body

    assert await core.quiz.run_due() == 1
    channel, reveal = outbox.posts[0]
    assert channel == "general" and reveal.title == "Question 1 of 2: the answer"
    assert "Right: Ana (+150), Bob (+125)" in reveal.body
    letters = ("A", "B", "C", "D") if len(first.all_buttons) == 4 else ("True", "False")
    assert f"{letters[wrong]} 1" in reveal.body and f"{letters[right]} 2" in reveal.body
    second = outbox.posts[1][1]
    assert second.title == "Quiz · question 2 of 2"

    rows = await attempts(database)
    assert len(rows) == 3 and all(row["final"] for row in rows)
    assert sorted(row["points"] for row in rows) == [0, 125, 150]

    qq2 = quiz_question_id(second)
    right2 = await correct_choice(database, qq2)
    await cy.click(second.all_buttons[right2])
    clock.advance(timedelta(seconds=30))
    assert await core.quiz.run_due() == 1
    standings = outbox.posts[-1][1]
    assert standings.title == "Quiz over: standings"
    lines = standings.body.splitlines()
    # A tie goes to whoever reached the score first: Ana, on question 1.
    assert lines[0].startswith("1. Ana: 150 points") and lines[1].startswith("2. Cy: 150 points")
    assert lines[2].startswith("3. Bob: 125 points")
    assert await core.quiz.run_due() == 0  # nothing left to reveal


async def test_double_click_counts_once(core: Core, database: Database) -> None:
    ana = channel_chat(core, "ana")
    await ana.say("/quiz count=1")
    button = ana.replies[-1].all_buttons[0]
    results = await asyncio.gather(ana.click(button), ana.click(button))
    assert await count(database, "attempt") == 1
    texts = sorted(reply[0].body for reply in results)
    assert "already answered" in texts[0] and "You can change it" in texts[1]


async def test_stop_by_starter_or_moderator_only(core: Core, database: Database) -> None:
    outbox_for(core)
    ana, bystander = channel_chat(core, "ana"), channel_chat(core, "bob")
    await ana.say("/quiz count=2")
    again = await bystander.say("/quiz")
    assert again[0].error and "already running" in again[0].body
    refused = await bystander.say("/quiz stop")
    assert refused[0].error and "starter or a moderator" in refused[0].body
    assert await count(database, "quiz_session", "status = 'running'") == 1
    await ana.say("/quiz stop")
    assert ana.replies[-1].title == "Quiz stopped by Ana: standings"
    assert await count(database, "quiz_session", "status = 'running'") == 0

    await ana.say("/quiz count=2")
    moderator = channel_chat(core, "mo", Role.MODERATOR)
    await moderator.say("/quiz stop")
    assert moderator.replies[-1].title == "Quiz stopped by Mo: standings"


async def _restarted(database_url: str, clock: ManualClock) -> tuple[Core, RecordingOutbox]:
    database = await open_database(database_url)
    core = build_core(database, clock, "UTC")
    return core, outbox_for(core)


async def test_restart_before_and_after_a_deadline(
    database_url: str, core: Core, clock: ManualClock
) -> None:
    ana = channel_chat(core, "ana")
    await ana.say("/quiz count=2 seconds=30")
    await core.close()  # the process dies with question 1 open

    clock.advance(timedelta(seconds=10))  # back before the deadline
    revived, outbox = await _restarted(database_url, clock)
    try:
        assert await revived.quiz.run_due() == 0  # keeps its original deadline
        clock.advance(timedelta(seconds=20))
        assert await revived.quiz.run_due() == 1
        assert [reply.title for _, reply in outbox.posts] == [
            "Question 1 of 2: the answer",
            "Quiz · question 2 of 2",
        ]
    finally:
        await revived.close()

    clock.advance(timedelta(minutes=10))  # down across question 2's deadline
    revived, outbox = await _restarted(database_url, clock)
    try:
        assert await revived.quiz.run_due() == 1  # revealed at once on start
        assert outbox.posts[-1][1].title == "Quiz over: standings"
    finally:
        await revived.close()


async def test_two_engines_race_to_reveal_once(
    database_url: str, core: Core, clock: ManualClock
) -> None:
    ana = channel_chat(core, "ana")
    await ana.say("/quiz count=1 seconds=10")
    await ana.click(ana.replies[-1].all_buttons[0])
    clock.advance(timedelta(seconds=11))
    other, other_outbox = await _restarted(database_url, clock)
    mine = outbox_for(core)
    try:
        made = await asyncio.gather(core.quiz.run_due(), other.quiz.run_due())
    finally:
        await other.close()
    assert sorted(made) == [0, 1]
    reveals = [r for _, r in mine.posts + other_outbox.posts if r.title.endswith("the answer")]
    assert len(reveals) == 1


async def test_misses_become_lapses_or_new_due_cards(
    core: Core, database: Database, clock: ManualClock
) -> None:
    outbox = outbox_for(core)
    ana = Chat(core, context("ana"))  # studies both quiz cards first, in a DM
    await ana.say("/study topic=terminology.word-building")
    await ana.press("A")  # a wrong mcq choice: the mcq card is now in her queue
    await ana.press("Next card")
    await ana.press("True")
    await ana.press("Easy")
    in_queue = await count(database, "review_state")
    channel = channel_chat(core, "ana")
    await channel.say("/quiz topic=terminology.word-building count=2 seconds=10")
    question = channel.replies[-1]
    for _ in range(2):  # a wrong answer to each question
        right = await correct_choice(database, quiz_question_id(question))
        await channel.click(question.all_buttons[(right + 1) % len(question.all_buttons)])
        clock.advance(timedelta(seconds=10))
        await core.quiz.run_due()
        question = outbox.posts[-1][1]
    quiz_logs = await count(database, "review_log", "source = 'quiz' AND rating = 1")
    assert quiz_logs == 2  # both were already in her queue: two lapses (Again)
    assert await count(database, "review_state") == in_queue

    bob = channel_chat(core, "bob")
    await bob.say("/quiz topic=terminology.word-building count=1 seconds=10")
    qq = quiz_question_id(bob.replies[-1])
    right = await correct_choice(database, qq)
    await bob.click(bob.replies[-1].all_buttons[(right + 1) % len(bob.replies[-1].all_buttons)])
    clock.advance(timedelta(seconds=10))
    await core.quiz.run_due()

    def bob_cards(conn: Connection) -> list[Any]:
        return list(
            conn.execute(
                sa.select(REVIEW_STATE.c.due, REVIEW_STATE.c.reps).where(
                    REVIEW_STATE.c.learner_id
                    == sa.select(ATTEMPT.c.learner_id)
                    .where(ATTEMPT.c.quiz_question_id == qq)
                    .scalar_subquery()
                )
            )
        )

    cards = await database.read(bob_cards)
    assert len(cards) == 1 and cards[0].reps == 0 and cards[0].due <= clock.now()
    await Chat(core, context("bob")).say("/study")  # it is due now in his own queue


async def test_dm_quiz_is_self_paced(core: Core, database: Database) -> None:
    ana = Chat(core, context("ana"))
    await ana.say("/quiz count=2")
    assert ana.replies[-1].footer == "Answer when you are ready"
    await ana.click(ana.replies[-1].all_buttons[0])
    assert ana.replies[0].title == "Question 1 of 2: the answer"
    assert ana.replies[1].title == "Quiz · question 2 of 2"
    await ana.click(ana.replies[-1].all_buttons[0])
    assert ana.replies[-1].title == "Quiz over: standings"
    assert "of 2 right" in ana.replies[-1].body
    assert await count(database, "quiz_session", "status = 'finished'") == 1


async def test_bad_input_changes_nothing(core: Core, database: Database) -> None:
    ana = channel_chat(core, "ana")
    before = await snapshot(database)
    for text, words in (
        ("/quiz topic=nowhere", "nowhere"),
        ("/quiz count=0", "count"),
        ("/quiz count=1000", "count"),
        ("/quiz seconds=5", "seconds"),
        ("/quiz seconds=301", "seconds"),
        ("/quiz exam=XYZ", "XYZ"),
        ("/quiz pause", "pause"),
        ("/quiz stop", "No quiz"),
    ):
        replies = await ana.say(text)
        assert replies[0].error and words in replies[0].body, (text, replies[0].body)
    ghost = await ana.click(Button("A", encode("qz.a", 987654, 0)))  # no such question
    assert ghost[0].error
    assert await snapshot(database) == before


async def test_two_hundred_learners_answer_at_once(
    core: Core, database: Database, clock: ManualClock
) -> None:
    """Released together at a barrier, 200 learners answer one question: 200 attempts."""
    outbox = outbox_for(core)
    starter = channel_chat(core, "starter")
    await starter.say("/quiz count=1 seconds=60")
    question = starter.replies[-1]
    right = await correct_choice(database, quiz_question_id(question))
    buttons = question.all_buttons
    barrier = asyncio.Barrier(200)

    async def learner(number: int) -> list[Reply]:
        chat = channel_chat(core, f"learner{number:03d}")
        await barrier.wait()
        choice = right if number % 2 == 0 else (right + 1) % len(buttons)
        return await chat.click(buttons[choice])

    replies = await asyncio.gather(*(learner(n) for n in range(200)))
    assert all("You can change it" in r[0].body for r in replies)
    assert await count(database, "attempt") == 200
    assert await count(database, "attempt", "correct") == 100
    clock.advance(timedelta(seconds=60))
    assert await core.quiz.run_due() == 1
    assert await count(database, "attempt", "final AND points = 150") == 100
    assert "Answers:" in outbox.posts[0][1].body and " 100" in outbox.posts[0][1].body

    def total(conn: Connection) -> int:
        return int(conn.execute(sa.text("SELECT sum(points) FROM score_day")).scalar_one())

    assert await database.read(total) == 100 * 150
