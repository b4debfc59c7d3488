"""/stats on a hand-computed history: quiz accuracy by topic, reviews due today, the
study-day streak and the weakest topics with their drill buttons."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.actions import decode
from bot.app import Core
from bot.clock import ManualClock
from bot.context import Context
from bot.learners import find_learner
from bot.reply import Reply
from bot.scores.stats import drill_id, drill_topic
from storage.database import Database
from storage.models import ATTEMPT, LEARNER, QUESTION, REVIEW_STATE
from tests.helpers import Chat, context

NY = ZoneInfo("America/New_York")


def ny(day: int, hour: int, minute: int = 0, month: int = 1, year: int = 2026) -> datetime:
    """A New York wall-clock time, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=NY).astimezone(UTC)


async def question_ids(database: Database) -> dict[str, int]:
    def work(conn: Connection) -> dict[str, int]:
        rows = conn.execute(sa.select(QUESTION.c.item_id, QUESTION.c.id))
        return {str(row.item_id): int(row.id) for row in rows}

    return await database.read(work)


async def learner_id(database: Database, who: Context) -> int:
    def work(conn: Connection) -> int:
        found = find_learner(conn, who, "UTC").id
        assert found is not None
        return found

    return await database.read(work)


def add_question(conn: Connection, item_id: str, topic: str) -> int:
    values: dict[str, Any] = {
        "item_id": item_id,
        "pack_id": "fixture",
        "position": 9999,
        "kind": "flashcard",
        "topic": topic,
        "exams": "CPC",
        "prompt": f"Prompt {item_id}",
        "answer": "Answer",
        "reference": "Test.",
        "content_hash": item_id,
    }
    inserted = conn.execute(QUESTION.insert().values(**values)).inserted_primary_key
    assert inserted is not None
    return int(inserted[0])


def answers(
    conn: Connection,
    learner: int,
    question: int,
    right: int,
    wrong: int,
    at: datetime,
    final: bool = True,
) -> None:
    rows = [
        {
            "learner_id": learner,
            "channel": "",
            "source": "quiz",
            "question_id": question,
            "choice": 0,
            "correct": number < right,
            "points": 100 if number < right else 0,
            "answered_at": at,
            "final": final,
        }
        for number in range(right + wrong)
    ]
    conn.execute(ATTEMPT.insert(), rows)


async def study_one(chat: Chat, rating: str) -> None:
    """Show the card on screen and rate it, as a learner does."""
    await chat.press("Show answer")
    await chat.press(rating)
    assert chat.replies[0].body.startswith(f"Graded **{rating}**"), chat.text


def fields(reply: Reply) -> dict[str, str]:
    return {field.name: field.value for field in reply.fields}


async def build_history(core: Core, database: Database, clock: ManualClock) -> Chat:
    """Ana, in New York (study days start at 4 am there):

    - Mon 5 Jan 10:00: card 1 Easy (due 8 days later).
    - Tue 6 Jan 10:00: card 2 Good, then /undo: that day keeps no activity.
    - Wed 7 Jan 10:00: card 2 Easy.
    - Thu 8 Jan: quiz answers only (inserted below).
    - Sat 10 Jan 03:30, still Friday's study day: cards 3, 4, 5 Good (due in 10 minutes);
      card 5 then suspended.
    - Card 1 moved to Sun 11 Jan 03:59 (before her day ends), card 2 to 04:00 (after).
    """
    chat = Chat(core, context("ana"))
    await chat.say("/settings timezone=America/New_York")
    clock.set(ny(5, 10))
    await chat.say("/study")
    await study_one(chat, "Easy")
    clock.set(ny(6, 10))
    await chat.say("/study")
    await study_one(chat, "Good")
    await chat.say("/undo")
    assert chat.replies[0].body.startswith("Undid **Good**")
    clock.set(ny(7, 10))
    await chat.say("/study")
    await study_one(chat, "Easy")
    clock.set(ny(10, 3, 30))
    await chat.say("/study")
    for _ in range(3):
        await study_one(chat, "Good")

    ids = await question_ids(database)
    ana = await learner_id(database, chat.ctx)

    def work(conn: Connection) -> None:
        for item, due in (("fx.card.1", ny(11, 3, 59)), ("fx.card.2", ny(11, 4))):
            conn.execute(
                REVIEW_STATE.update()
                .where(REVIEW_STATE.c.learner_id == ana, REVIEW_STATE.c.question_id == ids[item])
                .values(due=due)
            )
        conn.execute(
            REVIEW_STATE.update()
            .where(REVIEW_STATE.c.learner_id == ana, REVIEW_STATE.c.question_id == ids["fx.card.5"])
            .values(suspended=True)
        )
        heart = add_question(conn, "fx.extra.heart", "anatomy.cardiovascular")
        gut = add_question(conn, "fx.extra.gut", "anatomy.digestive")
        thursday = ny(8, 12)
        answers(conn, ana, ids["fx.mcq.1"], right=1, wrong=2, at=thursday)
        answers(conn, ana, ids["fx.tf.1"], right=0, wrong=1, at=thursday)  # word-building 1/4
        answers(conn, ana, ids["fx.card.6"], right=2, wrong=1, at=thursday)  # root 2/3
        answers(conn, ana, ids["fx.code.1"], right=1, wrong=7, at=thursday)  # codes 1/8
        answers(conn, ana, heart, right=0, wrong=2, at=thursday)  # too few to rank
        answers(conn, ana, gut, right=5, wrong=0, at=thursday)  # fourth weakest
        # Not counted: older than 30 days, still open in a quiz, someone else's.
        answers(conn, ana, ids["fx.card.6"], right=0, wrong=5, at=ny(1, 12, month=12, year=2025))
        answers(conn, ana, ids["fx.mcq.1"], right=0, wrong=3, at=thursday, final=False)
        bob = conn.execute(
            LEARNER.insert().values(
                platform="test", user_id="bob", display_name="Bob", created_at=thursday
            )
        ).inserted_primary_key
        assert bob is not None
        answers(conn, int(bob[0]), ids["fx.code.1"], right=0, wrong=9, at=thursday)

    await database.write(work)
    return chat


async def test_stats_on_a_hand_computed_history(
    core: Core, database: Database, clock: ManualClock
) -> None:
    chat = await build_history(core, database, clock)
    clock.set(ny(10, 15))  # Saturday afternoon: nothing studied yet today
    await chat.say("/stats")
    reply = chat.replies[0]
    assert reply.title == "Your study stats"
    body = reply.body.splitlines()
    assert body[:6] == [
        "**Quiz accuracy by topic, last 30 days**",
        "- Cardiovascular system: 0/2 correct (0%)",
        "- Digestive system: 5/5 correct (100%)",
        "- Finding the ICD-10-CM code: 1/8 correct (13%)",
        "- Combining forms and roots: 2/3 correct (67%)",
        "- Word building: 1/4 correct (25%)",
    ]
    assert body[-3:] == [
        "1. Finding the ICD-10-CM code: 13%",
        "2. Word building: 25%",
        "3. Combining forms and roots: 67%",
    ]
    # Cards 3 and 4 (overdue) and card 1 (03:59 tomorrow, before her day ends);
    # not card 2 (04:00, tomorrow's study day) nor card 5 (suspended).
    # Streak: Friday (the 03:30 reviews), Thursday (quiz answers), Wednesday; Tuesday's
    # only grade was undone.
    assert fields(reply) == {"Reviews due today": "3", "Study streak": "3 day(s)"}
    assert [(b.label, b.action_id) for b in reply.all_buttons] == [
        ("Drill: Finding the ICD-10-CM code", "st.drill:icd10cm.codes"),
        ("Drill: Word building", "st.drill:terminology.word-building"),
        ("Drill: Combining forms and roots", "st.drill:terminology.root"),
    ]

    clock.set(ny(11, 15))  # Sunday: nothing Saturday or Sunday, so the streak is over
    await chat.say("/stats")
    assert fields(chat.replies[0]) == {"Reviews due today": "4", "Study streak": "0 day(s)"}


async def test_a_drill_button_studies_that_topic(
    core: Core, database: Database, clock: ManualClock
) -> None:
    chat = await build_history(core, database, clock)
    clock.set(ny(10, 15))
    await chat.say("/stats")
    await chat.press("Drill: Word building")
    card = chat.replies[0]
    assert card.title == "Multiple choice · terminology.word-building"
    assert "inflammation of the liver" in card.body

    def work(conn: Connection) -> tuple[str, str]:
        row = conn.execute(
            sa.select(LEARNER.c.study_topic, LEARNER.c.study_exam).where(LEARNER.c.user_id == "ana")
        ).one()
        return str(row.study_topic), str(row.study_exam)

    assert await database.read(work) == ("terminology.word-building", "")
    await chat.say("/study")  # the next /study without a topic goes back to everything
    assert chat.replies[0].title.startswith(("Flashcard", "Multiple", "True", "Code"))


async def test_a_newcomer_sees_empty_stats_and_a_channel_keeps_them_private(
    core: Core, database: Database
) -> None:
    chat = Chat(core, context("newbie", dm=False))
    await chat.say("/stats")
    reply = chat.replies[0]
    assert reply.ephemeral and not reply.error and not reply.buttons
    assert "No quiz answers in the last 30 days." in reply.body
    assert "Answer at least 3 quiz questions on a topic" in reply.body
    assert fields(reply) == {"Reviews due today": "0", "Study streak": "0 day(s)"}


async def test_a_topic_that_cannot_travel_in_a_button_id_travels_as_a_digest(
    database: Database,
) -> None:
    longest = "terminology." + "x" * 52  # 64 characters, the column's limit, fits as is
    assert drill_id(longest) == f"st.drill:{longest}" and len(drill_id(longest)) == 73
    odd = "terminology:odd"  # ":" separates id parts, so it cannot travel raw

    def work(conn: Connection) -> str:
        add_question(conn, "fx.extra.odd", odd)
        action_id = drill_id(odd)
        assert action_id.startswith("st.drill:~") and len(action_id) <= 100
        assert drill_id(odd) == action_id  # stable across processes and restarts
        return drill_topic(conn, decode(action_id))

    assert await database.write(work) == odd
