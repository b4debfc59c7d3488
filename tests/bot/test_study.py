"""Study with FSRS through the real dispatcher, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.actions import decode
from bot.app import Core
from bot.clock import ManualClock
from bot.srs import format_interval
from storage.database import Database
from storage.models import REVIEW_STATE
from tests.helpers import Chat, context, count


async def _state(database: Database, question_id: int) -> dict[str, Any]:
    def work(conn: Connection) -> dict[str, Any]:
        row = (
            conn.execute(sa.select(REVIEW_STATE).where(REVIEW_STATE.c.question_id == question_id))
        ).one()
        return dict(row._mapping)

    return await database.read(work)


def _qid(chat: Chat) -> int:
    return decode(chat.buttons[0].action_id).int_arg(0)


async def test_show_reveal_grade_then_next_card(core: Core, database: Database) -> None:
    chat = Chat(core, context())
    await chat.say("/study")
    assert "brady-" in chat.text and "New card · 1 of 20" in chat.replies[0].footer
    await chat.press("Show answer")
    assert "Slow" in chat.text
    labels = [button.label for button in chat.buttons]
    assert [label.split(" · ")[0] for label in labels] == ["Again", "Hard", "Good", "Easy"]
    await chat.press("Good")
    assert chat.replies[0].body == "Graded **Good**: due again in 10m."
    assert "tachy-" in chat.replies[1].body
    assert await count(database, "review_log", "rating = 3 AND was_new") == 1


async def test_label_equals_applied_interval_for_every_rating(
    core: Core, database: Database, clock: ManualClock
) -> None:
    """Over many cards and review rounds, the interval on a button is the one applied."""
    chat = Chat(core, context())
    await chat.say("/settings new=200")
    ratings = ["Again", "Hard", "Good", "Easy"]
    seen_intervals: dict[str, set[timedelta]] = {rating: set() for rating in ratings}
    for round_number in range(12):
        await chat.say("/study topic=terminology.root")
        if not chat.buttons:
            clock.advance(timedelta(days=40))
            continue
        question_id = _qid(chat)
        await chat.press("Show answer")
        rating = ratings[round_number % 4]
        label = chat.button(rating).label
        await chat.press(rating)
        state = await _state(database, question_id)
        applied = state["due"] - clock.now()
        assert isinstance(applied, timedelta)
        assert label.split(" · ")[1] == format_interval(applied)
        seen_intervals[rating].add(applied)
        clock.advance(timedelta(minutes=1))
    assert await count(database, "review_log") == 12


async def test_fuzz_varies_across_cards_but_label_matches(
    core: Core, database: Database, clock: ManualClock
) -> None:
    chat = Chat(core, context())
    await chat.say("/settings new=200")
    easy_labels = []
    for _ in range(6):
        await chat.say("/study topic=terminology.root")
        question_id = _qid(chat)
        await chat.press("Show answer")
        label = chat.button("Easy").label
        easy_labels.append(label)
        await chat.press("Easy")
        state = await _state(database, question_id)
        assert label.split(" · ")[1] == format_interval(state["due"] - clock.now())
    assert len(set(easy_labels)) >= 2, easy_labels


async def test_double_click_counts_once(core: Core, database: Database) -> None:
    chat = Chat(core, context())
    await chat.say("/study")
    await chat.press("Show answer")
    good = chat.button("Good")
    first, second = await asyncio.gather(chat.click(good), chat.click(good))
    outcomes = sorted(reply[0].body for reply in (first, second))
    assert any("Graded **Good**" in body for body in outcomes)
    assert any("already graded" in body for body in outcomes)
    assert await count(database, "review_log") == 1
    again = await chat.click(good)
    assert again[0].error and "already graded" in again[0].body
    assert await count(database, "review_log") == 1


async def test_second_device_counts_once_on_an_existing_card(
    core: Core, database: Database, clock: ManualClock
) -> None:
    phone, laptop = Chat(core, context()), Chat(core, context())
    await phone.say("/study")
    await phone.press("Show answer")
    await phone.press("Good")
    clock.advance(timedelta(minutes=11))
    await phone.say("/study")
    await laptop.say("/study")
    assert _qid(phone) == _qid(laptop)
    await phone.press("Show answer")
    await laptop.press("Show answer")
    results = await asyncio.gather(phone.press("Good"), laptop.press("Easy"))
    assert sum("already graded" in r[0].body for r in results) == 1
    assert await count(database, "review_log") == 2


async def test_card_reshown_after_again_grades_again(core: Core, database: Database) -> None:
    chat = Chat(core, context())
    await chat.say("/study topic=terminology.root")
    first = _qid(chat)
    await chat.press("Show answer")
    stale_again = chat.button("Again")
    await chat.press("Again")
    # Every other new card is studied; the failed card comes back (learning ahead).
    for _ in range(5):
        await chat.press("Show answer")
        await chat.press("Good")
    assert _qid(chat) == first
    await chat.press("Show answer")
    await chat.press("Good")
    assert "Graded **Good**" in chat.replies[0].body
    stale = await chat.click(stale_again)
    assert "already graded" in stale[0].body
    assert await count(database, "review_log", f"question_id = {first}") == 2


async def test_due_reviews_come_first_most_overdue_first(
    core: Core, database: Database, clock: ManualClock
) -> None:
    chat = Chat(core, context())
    await chat.say("/study topic=terminology.root")
    order = []
    for _ in range(3):
        order.append(_qid(chat))
        await chat.press("Show answer")
        await chat.press("Easy")
        clock.advance(timedelta(hours=1))
    states = {qid: await _state(database, qid) for qid in order}
    latest_due = max(state["due"] for state in states.values())
    clock.set(latest_due + timedelta(days=1))
    await chat.say("/study topic=terminology.root")
    by_due = sorted(order, key=lambda qid: states[qid]["due"])
    assert _qid(chat) == by_due[0]
    assert "Review" in chat.replies[0].footer


async def test_mcq_wrong_grades_again_and_right_offers_three_grades(
    core: Core, database: Database
) -> None:
    chat = Chat(core, context())
    await chat.say("/study topic=terminology.word-building")
    assert "**A.** Hepatomegaly" in chat.replies[0].body
    await chat.press("A")
    assert "Not quite" in chat.text and "B. Hepatitis" in chat.text
    assert "Hepat/o plus -itis." in chat.text
    assert await count(database, "review_log", "rating = 1") == 1
    await chat.press("Next card")
    assert "True or false" in chat.replies[0].title
    await chat.press("True")
    assert "Correct" in chat.text
    assert [b.label.split(" · ")[0] for b in chat.buttons] == ["Hard", "Good", "Easy"]
    await chat.press("Easy")
    assert await count(database, "review_log", "rating = 4") == 1


async def _lapse(chat: Chat, clock: ManualClock, database: Database, question_id: int) -> None:
    state = await _state(database, question_id)
    clock.set(state["due"])
    await chat.say("/study")
    assert _qid(chat) == question_id
    await chat.press("Show answer")


async def test_leech_at_eight_lapses_then_unsuspend(
    core: Core, database: Database, clock: ManualClock
) -> None:
    chat = Chat(core, context())
    await chat.say("/settings new=1")
    await chat.say("/study")
    question_id = _qid(chat)
    await chat.press("Show answer")
    await chat.press("Easy")  # straight to Review
    for lapse in range(1, 9):
        await _lapse(chat, clock, database, question_id)
        await chat.press("Again")
        if lapse < 8:
            assert "leech" not in chat.text
            for _ in range(2):  # relearn back to Review
                state = await _state(database, question_id)
                if state["state"] == 2:
                    break
                clock.set(state["due"])
                await chat.say("/study")
                await chat.press("Show answer")
                await chat.press("Easy")
    assert "leech" in chat.text
    state = await _state(database, question_id)
    assert state["suspended"] is True and state["lapses"] == 8
    clock.advance(timedelta(days=30))
    await chat.say("/study")
    assert not chat.buttons or _qid(chat) != question_id
    await chat.say("/leeches")
    assert "8 lapses" in chat.text
    await chat.press("Unsuspend 1")
    assert "Unsuspended" in chat.text
    assert (await _state(database, question_id))["suspended"] is False
    await chat.say("/leeches")
    assert "no suspended cards" in chat.text


async def test_undo_restores_the_card_exactly(
    core: Core, database: Database, clock: ManualClock
) -> None:
    chat = Chat(core, context())
    await chat.say("/study")
    question_id = _qid(chat)
    await chat.press("Show answer")
    await chat.press("Good")
    before = await _state(database, question_id)
    clock.advance(timedelta(minutes=15))
    await chat.say("/study")
    await chat.press("Show answer")
    await chat.press("Easy")
    assert (await _state(database, question_id))["reps"] == 2
    await chat.say("/undo")
    assert "Undid **Easy**" in chat.replies[0].body
    assert await _state(database, question_id) == before
    await chat.say("/undo")
    assert "Undid **Good**" in chat.replies[0].body
    assert await count(database, "review_state") == 0
    assert await count(database, "review_log", "undone_at IS NULL") == 0
    await chat.say("/undo")
    assert "nothing to undo" in chat.replies[0].body


async def _new_count_available(chat: Chat) -> bool:
    await chat.say("/study")
    return "New card" in chat.replies[0].footer


async def test_new_limit_resets_at_4am_local_across_dst(
    core: Core, database: Database, clock: ManualClock
) -> None:
    chat = Chat(core, context())
    await chat.say("/settings timezone=America/New_York new=2")
    # Saturday 7 March 2026, 23:00 EST; DST starts Sunday 8 March at 02:00.
    clock.set(datetime(2026, 3, 8, 4, 0, tzinfo=UTC))
    for _ in range(2):
        await chat.say("/study")
        await chat.press("Show answer")
        await chat.press("Easy")
    assert not await _new_count_available(chat)
    assert "all 2 new cards for today" in chat.text
    clock.set(datetime(2026, 3, 8, 7, 59, tzinfo=UTC))  # 03:59 EDT
    assert not await _new_count_available(chat)
    clock.set(datetime(2026, 3, 8, 8, 0, tzinfo=UTC))  # 04:00 EDT, the new study day
    assert await _new_count_available(chat)


async def test_forget_me_leaves_no_row_of_the_learner(core: Core, database: Database) -> None:
    ana, bob = Chat(core, context("ana")), Chat(core, context("bob"))
    for chat in (ana, bob):
        await chat.say("/settings timezone=Europe/London")
        await chat.say("/study")
        await chat.press("Show answer")
        await chat.press("Good")
    await ana.say("/forget-me")
    await ana.press("Cancel")
    assert await count(database, "learner") == 2
    await ana.say("/forget-me")
    await ana.press("Delete my data")
    assert "deleted" in ana.text
    assert await count(database, "learner", "user_id = 'ana'") == 0
    assert await count(database, "learner") == 1
    bob_id = "(SELECT id FROM learner WHERE user_id = 'bob')"
    assert await count(database, "review_log") == await count(
        database, "review_log", f"learner_id = {bob_id}"
    )
    assert await count(database, "review_state") == 1


async def test_study_in_a_channel_is_ephemeral(core: Core) -> None:
    chat = Chat(core, context(dm=False))
    await chat.say("/study")
    assert chat.replies[0].ephemeral
    dm = Chat(core, context("cy"))
    await dm.say("/study")
    assert not dm.replies[0].ephemeral
