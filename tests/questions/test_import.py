"""Packs: the bundled ones validate; imports are idempotent, revisioned and all or nothing."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from sqlalchemy import Connection

from bot.app import Core
from bot.clock import ManualClock
from questions.importer import import_pack, sync_bundled_packs
from questions.loader import PackInvalid, bundled_pack_paths, load_pack
from questions.schema import Kind
from storage.database import Database
from storage.models import QUESTION
from tests.helpers import Chat, context, count, snapshot

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "fixture.yaml"
LATER = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

Rows = dict[str, list[tuple[Any, ...]]]


def _fixture_data() -> dict[str, Any]:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    found = next(item for item in data["items"] if item["id"] == item_id)
    assert isinstance(found, dict)
    return found


async def _questions(database: Database) -> dict[str, dict[str, Any]]:
    def work(conn: Connection) -> dict[str, dict[str, Any]]:
        rows = conn.execute(sa.select(QUESTION))
        return {str(row.item_id): dict(row._mapping) for row in rows}

    return await database.read(work)


async def _without_imported_at(database: Database, rows: Rows) -> Rows:
    """A snapshot with pack.imported_at left out (the one column a re-import may touch)."""

    def columns(conn: Connection) -> list[str]:
        return [str(column["name"]) for column in sa.inspect(conn).get_columns("pack")]

    names = await database.read(columns)
    at = names.index("imported_at")
    result = dict(rows)
    result["pack"] = sorted((row[:at] + row[at + 1 :] for row in rows["pack"]), key=repr)
    return result


# --- bundled packs -------------------------------------------------------------------------


def test_every_bundled_pack_validates() -> None:
    paths = bundled_pack_paths()
    assert paths, "no bundled packs found"
    seen: dict[str, str] = {}  # ids are unique across all the packs, not only within one
    for path in paths:
        pack = load_pack(path, seen)
        assert pack.content.items, path


def test_terminology_pack_has_at_least_60_flashcards() -> None:
    (path,) = [path for path in bundled_pack_paths() if path.name == "terminology.yaml"]
    pack = load_pack(path)
    flashcards = [item for item in pack.content.items if item.kind is Kind.FLASHCARD]
    assert len(flashcards) >= 60


# --- idempotent import ---------------------------------------------------------------------


async def test_importing_a_pack_twice_changes_nothing(database: Database) -> None:
    (path,) = [path for path in bundled_pack_paths() if path.name == "terminology.yaml"]
    pack = load_pack(path)
    first = await import_pack(database, pack, LATER)
    assert first.added == len(pack.content.items) and first.changed

    before = await snapshot(database)
    same_time = await import_pack(database, pack, LATER)
    assert not same_time.changed
    assert (same_time.added, same_time.updated, same_time.retired) == (0, 0, 0)
    assert same_time.unchanged == len(pack.content.items)
    assert await snapshot(database) == before

    await import_pack(database, load_pack(path), LATER + timedelta(days=1))
    after = await snapshot(database)
    assert await _without_imported_at(database, after) == await _without_imported_at(
        database, before
    )


async def test_syncing_bundled_packs_twice_skips_the_second_time(database: Database) -> None:
    first = await sync_bundled_packs(database, LATER)
    assert all(result.changed for result in first)
    before = await snapshot(database)
    second = await sync_bundled_packs(database, LATER + timedelta(days=1))
    assert [result.skipped for result in second] == [True] * len(first)
    assert await snapshot(database) == before


async def test_changing_one_answer_bumps_only_that_items_revision(
    database: Database, tmp_path: Path
) -> None:
    before = await _questions(database)
    data = _fixture_data()
    _item(data, "fx.card.2")["answer"] = "Fast, rapid"
    result = await import_pack(database, load_pack(_write(tmp_path / "f.yaml", data)), LATER)
    assert (result.added, result.updated, result.retired) == (0, 1, 0)

    after = await _questions(database)
    assert after["fx.card.2"]["revision"] == before["fx.card.2"]["revision"] + 1
    assert after["fx.card.2"]["answer"] == "Fast, rapid"
    assert after["fx.card.2"]["id"] == before["fx.card.2"]["id"]  # updated, not duplicated
    for item_id, row in before.items():
        if item_id != "fx.card.2":
            assert after[item_id] == row, item_id


async def test_reordering_items_keeps_their_revisions(database: Database, tmp_path: Path) -> None:
    before = await _questions(database)
    data = _fixture_data()
    data["items"].reverse()
    result = await import_pack(database, load_pack(_write(tmp_path / "f.yaml", data)), LATER)
    assert (result.added, result.updated, result.retired) == (0, 0, 0)
    after = await _questions(database)
    assert {k: v["revision"] for k, v in after.items()} == {
        k: v["revision"] for k, v in before.items()
    }
    positions = [after[item["id"]]["position"] for item in data["items"]]
    assert positions == sorted(positions), "new cards follow the pack's new order"


async def test_removing_an_item_retires_it(database: Database, tmp_path: Path) -> None:
    data = _fixture_data()
    smaller = copy.deepcopy(data)
    smaller["items"] = [item for item in data["items"] if item["id"] != "fx.card.6"]
    result = await import_pack(database, load_pack(_write(tmp_path / "f.yaml", smaller)), LATER)
    assert result.retired == 1 and result.added == 0

    rows = await _questions(database)
    assert rows["fx.card.6"]["retired"]  # kept (review history points at it), but retired
    assert not any(row["retired"] for item_id, row in rows.items() if item_id != "fx.card.6")

    again = await import_pack(database, load_pack(_write(tmp_path / "g.yaml", data)), LATER)
    assert again.added == 0 and again.retired == 0
    rows = await _questions(database)
    assert not rows["fx.card.6"]["retired"]
    assert rows["fx.card.6"]["revision"] == 1


async def test_a_retired_card_leaves_the_learners_queue(
    core: Core, database: Database, clock: ManualClock, tmp_path: Path
) -> None:
    chat = Chat(core, context())
    await chat.say("/study")
    assert "brady-" in chat.text  # fx.card.1
    await chat.press("Show answer")
    await chat.press("Again")  # due again in a minute

    data = _fixture_data()
    data["items"] = [item for item in data["items"] if item["id"] != "fx.card.1"]
    await import_pack(database, load_pack(_write(tmp_path / "f.yaml", data)), clock.now())

    clock.advance(timedelta(hours=1))
    await chat.say("/study")
    assert "brady-" not in chat.text
    assert "tachy-" in chat.text


# --- bad packs -----------------------------------------------------------------------------

BAD_MCQ = """\
pack:
  id: x
  title: X pack
  version: 1
  origin: hand
  source: StudyBot tests
  licence: CC BY 4.0
items:
  - id: x.one
    kind: flashcard
    topic: terminology.root
    exams: [CPC]
    prompt: "Root **cardi/o**"
    answer: "Heart"
    reference: "Greek kardia."
  - id: x.two
    kind: mcq
    topic: terminology.word-building
    exams: [CPC]
    prompt: "Which term means inflammation of the heart?"
    choices: ["Cardiology", "Carditis", "Cardiomegaly"]
    answer: B
    explanation: "Cardi/o plus -itis."
    reference: "Word parts."
"""


def _line_of(text: str, start: str, after: int = 0) -> int:
    """1-based number of the first line from `after` that starts (stripped) with `start`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and line.strip().startswith(start):
            return number
    raise AssertionError(start)


async def test_one_bad_item_names_file_line_and_field_and_imports_nothing(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(BAD_MCQ, encoding="utf-8")
    before = await snapshot(database)
    with pytest.raises(PackInvalid) as caught:
        await import_pack(database, load_pack(path), LATER)
    assert await snapshot(database) == before
    assert await count(database, "pack", "id = 'x'") == 0

    (error,) = caught.value.errors
    line = _line_of(BAD_MCQ, "choices:")
    assert error.path == str(path)
    assert error.line == line
    assert error.field == "items[1] (x.two).choices"
    assert "4 choices" in error.message and "3" in error.message
    assert str(caught.value).startswith(f"{path}:{line}: items[1] (x.two).choices: ")


def test_schema_errors_name_the_line_and_field_of_each_bad_item(tmp_path: Path) -> None:
    text = BAD_MCQ.replace("kind: mcq", "kind: essay").replace(
        '    reference: "Greek kardia."\n', ""
    )
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackInvalid) as caught:
        load_pack(path)
    found = {error.field: error.line for error in caught.value.errors}
    assert found["items[1] (x.two).kind"] == _line_of(text, "kind: essay")
    # A missing field points at the item that lacks it.
    assert found["items[0] (x.one).reference"] == _line_of(text, "- id: x.one")
    assert all(error.path == str(path) for error in caught.value.errors)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("pack:\n  id: x\n  title: a: b\n", 3),
        ("pack:\n  id: x\n title: y\n", 3),
        ("pack:\n  id: [x\n  title: y\n", 3),
        ("pack:\n  id: x\nitems:\n  - id: a\n  kind: b\n", 5),
    ],
)
def test_invalid_yaml_reports_the_line(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackInvalid) as caught:
        load_pack(path)
    (error,) = caught.value.errors
    assert error.line == line
    assert "invalid YAML" in error.message
    assert str(caught.value).startswith(f"{path}:{line}: invalid YAML")


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("pack:\n  title: Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(PackInvalid, match="not UTF-8"):
        load_pack(path)


async def test_an_item_id_owned_by_another_pack_imports_nothing(
    database: Database, tmp_path: Path
) -> None:
    """All or nothing inside the database too: the pack row is not left behind."""
    data = _fixture_data()
    data["pack"]["id"] = "intruder"
    data["items"] = [_item(data, "fx.card.1"), _item(data, "fx.card.2")]
    data["items"][1] = {**data["items"][1], "id": "intruder.new"}
    pack = load_pack(_write(tmp_path / "intruder.yaml", data))
    before = await snapshot(database)
    with pytest.raises(ValueError, match=r"fx\.card\.1"):
        await import_pack(database, pack, LATER)
    assert await snapshot(database) == before
