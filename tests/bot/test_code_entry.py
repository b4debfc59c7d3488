"""Code-entry cards in study: typed codes are checked like a code book, never fuzzily."""

from __future__ import annotations

import io

from adapters.console.app import ConsoleApp
from bot.app import Core
from storage.database import Database
from tests.helpers import Chat, context, count, snapshot


async def test_typed_codes_grade_the_card(core: Core, database: Database) -> None:
    chat = Chat(core, context())
    await chat.say("/study topic=icd10cm")
    assert "Code it" in chat.replies[0].body
    assert [b.label for b in chat.buttons] == ["Type the code", "I don't know"]

    await chat.type_into("Type the code", "e11.22")
    assert "missing N18.31" in chat.text and "The answer is **E11.22, N18.31**" in chat.text
    assert "Graded **Again**" in chat.text
    assert await count(database, "review_log", "rating = 1") == 1

    await chat.press("Next card")  # learning ahead brings the failed card back
    await chat.type_into("Type the code", "N18.31, E11.22")
    assert "wrong sequence" in chat.text
    assert await count(database, "review_log", "rating = 1") == 2

    await chat.press("Next card")
    await chat.type_into("Type the code", "e11 .22  n18.31")
    assert "is correct" in chat.text
    assert [b.label.split(" · ")[0] for b in chat.buttons] == ["Hard", "Good", "Easy"]
    await chat.press("Good")
    assert "Graded **Good**" in chat.replies[0].body
    assert await count(database, "review_log") == 3


async def test_one_wrong_character_is_wrong_with_a_hint(core: Core, database: Database) -> None:
    chat = Chat(core, context())
    await chat.say("/study topic=icd10cm")
    await chat.type_into("Type the code", "E11.22, N18.32")
    assert "missing N18.31" in chat.text and "N18.32 should not be there" in chat.text
    assert "Graded **Again**" in chat.text


async def test_empty_answer_changes_nothing(core: Core, database: Database) -> None:
    chat = Chat(core, context())
    await chat.say("/study topic=icd10cm")
    before = await snapshot(database)
    replies = await chat.type_into("Type the code", "   ")
    assert replies[0].error and "Type a code" in replies[0].body
    assert await snapshot(database) == before


async def test_dont_know_shows_the_answer(core: Core, database: Database) -> None:
    chat = Chat(core, context())
    await chat.say("/study topic=icd10cm")
    await chat.press("I don't know")
    assert "The answer is **E11.22, N18.31**" in chat.text and "additional code" in chat.text
    assert await count(database, "review_log", "rating = 1") == 1


async def test_console_asks_for_the_code_on_the_next_line(core: Core, database: Database) -> None:
    out = io.StringIO()
    app = ConsoleApp(core, out=out)
    for line in ("/study topic=icd10cm", "1", "E11.22 N18.31", "2"):
        assert await app.send(line)
    text = out.getvalue()
    assert "Your code(s), separated by commas: type it on the next line" in text
    assert "E11.22, N18.31 is correct." in text
    assert "Graded Good" in text
    assert await count(database, "review_log", "rating = 3") == 1
