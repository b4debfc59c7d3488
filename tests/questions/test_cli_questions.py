"""`studybot questions validate|import|export|stats`, as a moderator runs them.

The command-line tests run the real CLI in a subprocess against a SQLite file and
read the file back with the sqlite3 standard library. The in-process tests use the
`database` fixture, so they run on SQLite and on a real PostgreSQL server.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Connection

from bot.clock import ManualClock
from questions import commands
from questions.commands import export, import_path
from questions.csvpack import load_csv_pack
from questions.exams import presets
from questions.importer import import_pack
from questions.loader import PackInvalid, load_pack
from storage.database import Database
from storage.models import QUESTION
from tests.conftest import FIXTURE_PACKS
from tests.helpers import run_studybot, snapshot

FIXTURE = FIXTURE_PACKS / "fixture.yaml"

PACK_HEAD = """\
pack:
  id: {pack_id}
  title: Moderator pack
  version: 1
  origin: {origin}
  source: StudyBot tests
  licence: CC0
items:
"""
ITEMS = {
    "m.card": """\
  - id: m.card
    kind: flashcard
    topic: terminology.root
    exams: [CPC]
    prompt: "Root **gastr/o**"
    answer: {card_answer}
    reference: Greek gaster.
""",
    "m.mcq": """\
  - id: m.mcq
    kind: mcq
    topic: terminology.word-building
    exams: [CPC, CCS]
    difficulty: 2
    prompt: "Which term means inflammation of the kidney?"
    choices: ["Nephritis", "Nephrectomy", "Nephrology", "Nephroma"]
    answer: A
    explanation: "Nephr/o plus -itis."
    reference: Word parts.
""",
    "m.tf": """\
  - id: m.tf
    kind: true_false
    topic: terminology.suffix
    exams: [COC]
    prompt: "True or false: -ectomy means surgical removal."
    answer: true
    explanation: "Greek ektome, a cutting out."
    reference: Word parts.
""",
}
# Appended after the three items above (lines 9-33), this item starts on line 34 and its
# topic is on line 36.
BAD_ITEM = """\
  - id: m.bad
    kind: flashcard
    topic: terminology.roots
    exams: [CPC]
    prompt: "Root **cardi/o**"
    answer: Heart
    reference: Greek kardia.
"""
CODE_ENTRY_ITEM = """\
  - id: m.code
    kind: code_entry
    topic: icd10cm.codes
    exams: [CPC]
    prompt: "Type 2 diabetes with diabetic chronic kidney disease, stage 3: code it."
    answer: "E11.22, N18.30"
    accepted: ["E11.22, N18.30, Z79.4"]
    code_set: icd10cm
    sequence: any
    billable: true
    explanation: "Use additional code for the CKD stage."
    reference: ICD-10-CM Tabular, E11.22.
"""


def pack_text(
    *item_ids: str,
    pack_id: str = "mine",
    origin: str = "hand",
    card_answer: str = "Stomach",
    extra: str = "",
) -> str:
    body = "".join(ITEMS[item_id].format(card_answer=card_answer) for item_id in item_ids)
    return PACK_HEAD.format(pack_id=pack_id, origin=origin) + body + extra


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the command line, in a subprocess -------------------------------------------------------


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m adapters.cli questions ARGS` from tmp_path, on tmp_path/bank.db."""
    result = run_studybot(
        tmp_path, "questions", *args, DATABASE_URL=f"sqlite:///{tmp_path / 'bank.db'}"
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result.stdout


def query(tmp_path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(tmp_path / "bank.db") as conn:
        return conn.execute(sql, params).fetchall()


def dump(tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted."""
    names = query(tmp_path, "SELECT name FROM sqlite_master WHERE type = 'table'")
    tables = [row[0] for row in names]
    return {
        table: sorted(query(tmp_path, f'SELECT * FROM "{table}"'), key=repr)
        for table in sorted(tables)
    }


def questions(tmp_path: Path) -> list[tuple[Any, ...]]:
    return query(tmp_path, "SELECT * FROM question ORDER BY id")


def test_validate_a_good_file(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", pack_text("m.card", "m.mcq", "m.tf"))
    result = cli(tmp_path, "validate", "good.yaml")
    assert ok(result).splitlines() == ["good.yaml: 3 items, all valid."]
    assert not (tmp_path / "bank.db").exists(), "validate touched the database"


def test_validate_a_bad_file_names_file_line_and_field(tmp_path: Path) -> None:
    text = pack_text("m.card", "m.mcq", "m.tf", extra=BAD_ITEM).replace(
        "answer: A\n", "answer: E\n"
    )
    write(tmp_path, "bad.yaml", text)
    result = cli(tmp_path, "validate", "bad.yaml")
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stdout.splitlines()
    # m.mcq is lines 16-25 (answer on 23); m.bad starts on line 34
    assert lines[0].startswith("bad.yaml:23: items[1] (m.mcq).answer: "), lines
    assert "'E'" in lines[0]
    assert lines[1].startswith("bad.yaml:36: items[3] (m.bad).topic: unknown topic"), lines
    assert len(lines) == 2, lines


def test_validate_several_files_reports_each(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", pack_text("m.card", "m.mcq"))
    write(tmp_path, "other.yaml", pack_text("m.tf", pack_id="other"))
    write(tmp_path, "again.yaml", pack_text("m.card", pack_id="again"))
    result = cli(tmp_path, "validate", "good.yaml", "other.yaml", "again.yaml")
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stdout.splitlines() == [
        "good.yaml: 2 items, all valid.",
        "other.yaml: 1 items, all valid.",
        "again.yaml:9: items[0] (m.card).id: duplicate item id 'm.card' (in good.yaml)",
    ]


def test_validate_a_bad_csv_names_line_and_column(tmp_path: Path) -> None:
    write(
        tmp_path,
        "upload.csv",
        "id,kind,topic,exams,prompt,answer,explanation,reference\n"
        "c.one,flashcard,terminology.root,CPC,Root gastr/o,Stomach,,r\n"
        "c.two,true_false,terminology.root,CPC,Gastr/o is the stomach,sure,e,r\n",
    )
    result = cli(tmp_path, "validate", "upload.csv")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "upload.csv:3: c.two.answer: a true_false answer is true or false, found 'sure'"
    ]


def test_validate_refuses_other_file_types(tmp_path: Path) -> None:
    write(tmp_path, "pack.txt", pack_text("m.card"))
    result = cli(tmp_path, "validate", "pack.txt")
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["pack.txt: use a .yaml, .yml or .csv file"]


def test_importing_the_same_pack_twice_changes_nothing(tmp_path: Path) -> None:
    write(tmp_path, "pack.yaml", pack_text("m.card", "m.mcq", "m.tf"))
    first = ok(cli(tmp_path, "import", "pack.yaml"))
    assert first.splitlines() == ["Imported mine: 3 added, 0 updated, 0 unchanged, 0 retired."]
    before = questions(tmp_path)
    mine = query(tmp_path, "SELECT item_id, revision, retired FROM question WHERE pack_id='mine'")
    assert sorted(mine) == [("m.card", 1, 0), ("m.mcq", 1, 0), ("m.tf", 1, 0)]

    second = ok(cli(tmp_path, "import", "pack.yaml"))
    assert second.splitlines() == ["Imported mine: 0 added, 0 updated, 3 unchanged, 0 retired."]
    assert questions(tmp_path) == before


def test_an_import_with_one_bad_item_changes_nothing(tmp_path: Path) -> None:
    write(tmp_path, "pack.yaml", pack_text("m.card", "m.mcq", "m.tf"))
    ok(cli(tmp_path, "import", "pack.yaml"))
    before = dump(tmp_path)

    # a changed answer that would be an update, plus one bad new item
    text = pack_text("m.card", "m.mcq", "m.tf", card_answer="Belly", extra=BAD_ITEM)
    write(tmp_path, "pack.yaml", text)
    result = cli(tmp_path, "import", "pack.yaml")
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Imported" not in result.stdout
    assert "pack.yaml:36: items[3] (m.bad).topic: unknown topic 'terminology.roots'" in (
        result.stderr
    )
    assert dump(tmp_path) == before


def test_an_import_into_a_workspace_and_its_csv_export_round_trip(tmp_path: Path) -> None:
    original = write(tmp_path, "pack.yaml", pack_text("m.card", "m.mcq", "m.tf"))
    out = ok(cli(tmp_path, "import", "--workspace", "console:ws1", "pack.yaml"))
    workspaces = query(
        tmp_path, "SELECT id FROM workspace WHERE platform='console' AND external_id='ws1'"
    )
    assert len(workspaces) == 1
    ws1 = workspaces[0][0]
    assert out.splitlines() == [
        f"Imported w{ws1}-mine: 3 added, 0 updated, 0 unchanged, 0 retired."
    ]
    rows = query(
        tmp_path,
        "SELECT item_id, workspace_id FROM question WHERE pack_id=? ORDER BY position",
        f"w{ws1}-mine",
    )
    assert rows == [(f"w{ws1}.m.card", ws1), (f"w{ws1}.m.mcq", ws1), (f"w{ws1}.m.tf", ws1)]
    assert query(tmp_path, "SELECT count(*) FROM question WHERE item_id LIKE 'm.%'") == [(0,)]

    written = ok(
        cli(tmp_path, "export", "--workspace", "console:ws1", "--format", "csv", "--out", "x.csv")
    )
    assert written.splitlines() == ["Wrote x.csv."]
    assert ok(cli(tmp_path, "validate", "x.csv")).splitlines() == ["x.csv: 3 items, all valid."]
    exported = load_csv_pack(tmp_path / "x.csv").content.items
    assert exported == load_pack(original).content.items

    # the export holds the workspace's items only, and the bundled bank's export none of them
    bundled = ok(cli(tmp_path, "export", "--format", "csv"))
    assert "m.card" not in bundled and "Root **gastr/o**" not in bundled

    # imported into another workspace, every item arrives with the same content
    ok(cli(tmp_path, "import", "--workspace", "console:ws2", "x.csv"))
    hashes = query(
        tmp_path,
        "SELECT q.content_hash FROM question q JOIN workspace w ON w.id = q.workspace_id "
        "WHERE w.external_id=? ORDER BY q.position",
        "ws1",
    )
    assert hashes == query(
        tmp_path,
        "SELECT q.content_hash FROM question q JOIN workspace w ON w.id = q.workspace_id "
        "WHERE w.external_id=? ORDER BY q.position",
        "ws2",
    )


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_a_code_entry_item_survives_export(tmp_path: Path, fmt: str) -> None:
    """code_set, accepted, sequence and billable are part of the item: an export keeps them."""
    original = write(tmp_path, "pack.yaml", pack_text("m.card", extra=CODE_ENTRY_ITEM))
    ok(cli(tmp_path, "import", "--workspace", "console:ws1", "pack.yaml"))
    ok(cli(tmp_path, "export", "--workspace", "console:ws1", "--format", fmt, "--out", f"x.{fmt}"))
    result = cli(tmp_path, "validate", f"x.{fmt}")
    assert result.returncode == 0, result.stdout
    exported = load_csv_pack(tmp_path / "x.csv") if fmt == "csv" else load_pack(tmp_path / "x.yaml")
    assert exported.content.items == load_pack(original).content.items


def test_stats_counts_by_origin_and_kind(tmp_path: Path) -> None:
    write(tmp_path, "hand.yaml", pack_text("m.card", "m.mcq", "m.tf"))
    generated = PACK_HEAD.format(pack_id="made", origin="generated") + "".join(
        f"""\
  - id: g.{code.lower().replace(".", "")}
    kind: code_entry
    topic: icd10cm.codes
    exams: [CPC]
    prompt: "Code: {description}"
    answer: {code}
    code_set: icd10cm
    explanation: "{code} in the Tabular."
    reference: ICD-10-CM Tabular.
"""
        for code, description in (
            ("I10", "essential (primary) hypertension"),
            ("E11.9", "type 2 diabetes mellitus without complications"),
        )
    )
    write(tmp_path, "made.yaml", generated)
    ok(cli(tmp_path, "import", "hand.yaml"))
    ok(cli(tmp_path, "import", "made.yaml"))
    ok(cli(tmp_path, "import", "--workspace", "console:ws1", "hand.yaml"))
    lines = ok(cli(tmp_path, "stats")).splitlines()

    live = "FROM question q JOIN pack p ON p.id = q.pack_id WHERE q.retired = 0 " + (
        "AND q.workspace_id IS NULL"
    )
    total = query(tmp_path, f"SELECT count(*) {live}")[0][0]
    origins = query(tmp_path, f"SELECT p.origin, count(*) {live} GROUP BY 1 ORDER BY 1")
    kinds = query(tmp_path, f"SELECT q.kind, count(*) {live} GROUP BY 1 ORDER BY 1")
    assert query(tmp_path, f"SELECT count(*) {live} AND p.id IN ('mine', 'made')") == [(5,)]

    assert lines[0] == f"{total:,} items in the bundled bank"
    assert lines[1] == "By origin: " + ", ".join(f"{k} {n:,}" for k, n in origins)
    assert lines[2] == "By kind: " + ", ".join(f"{k} {n:,}" for k, n in kinds)
    for topic, indent in (("icd10cm", "  "), ("icd10cm.codes", "    ")):
        below = f"{live} AND (q.topic = '{topic}' OR q.topic LIKE '{topic}.%')"
        hand = query(tmp_path, f"SELECT count(*) {below} AND p.origin = 'hand'")[0][0]
        made = query(tmp_path, f"SELECT count(*) {below} AND p.origin <> 'hand'")[0][0]
        assert made >= 2
        assert f"{indent}{topic}: {hand + made:,} ({hand:,} / {made:,})" in lines, lines


# --- in process, on SQLite and PostgreSQL ----------------------------------------------------


def _quiet(_: str) -> None:
    pass


async def rows_of(database: Database, pack_id: str) -> dict[str, dict[str, Any]]:
    def work(conn: Connection) -> dict[str, dict[str, Any]]:
        query = sa.select(QUESTION).where(QUESTION.c.pack_id == pack_id)
        return {row.item_id: dict(row._mapping) for row in conn.execute(query)}

    return await database.read(work)


async def test_changing_one_answer_bumps_only_that_items_revision(
    database: Database, clock: ManualClock, tmp_path: Path
) -> None:
    path = write(tmp_path, "pack.yaml", pack_text("m.card", "m.mcq", "m.tf"))
    first = await import_path(database, path, clock.now(), _quiet)
    assert (first.added, first.updated, first.unchanged, first.retired) == (3, 0, 0, 0)
    before = await rows_of(database, "mine")

    write(tmp_path, "pack.yaml", pack_text("m.card", "m.mcq", "m.tf", card_answer="Belly"))
    second = await import_path(database, path, clock.now(), _quiet)
    assert (second.added, second.updated, second.unchanged, second.retired) == (0, 1, 2, 0)

    after = await rows_of(database, "mine")
    assert after["m.card"]["revision"] == 2
    assert after["m.card"]["answer"] == "Belly"
    assert after["m.card"]["id"] == before["m.card"]["id"], "the card lost its reviews' row"
    assert after["m.card"]["content_hash"] != before["m.card"]["content_hash"]
    assert after["m.mcq"] == before["m.mcq"]
    assert after["m.tf"] == before["m.tf"]


async def test_reordering_items_keeps_their_revisions(
    database: Database, clock: ManualClock, tmp_path: Path
) -> None:
    path = write(tmp_path, "pack.yaml", pack_text("m.card", "m.mcq", "m.tf"))
    await import_path(database, path, clock.now(), _quiet)
    write(tmp_path, "pack.yaml", pack_text("m.tf", "m.card", "m.mcq"))
    result = await import_path(database, path, clock.now(), _quiet)
    assert (result.added, result.updated, result.retired) == (0, 0, 0)
    after = await rows_of(database, "mine")
    assert sorted(after, key=lambda item: after[item]["position"]) == ["m.tf", "m.card", "m.mcq"]
    assert {row["revision"] for row in after.values()} == {1}


async def test_removing_an_item_retires_it_and_putting_it_back_revives_it(
    database: Database, clock: ManualClock, tmp_path: Path
) -> None:
    path = write(tmp_path, "pack.yaml", pack_text("m.card", "m.mcq", "m.tf"))
    await import_path(database, path, clock.now(), _quiet)
    before = await rows_of(database, "mine")

    write(tmp_path, "pack.yaml", pack_text("m.card", "m.mcq"))
    result = await import_path(database, path, clock.now(), _quiet)
    assert (result.added, result.updated, result.unchanged, result.retired) == (0, 0, 2, 1)
    after = await rows_of(database, "mine")
    assert after["m.tf"] == {**before["m.tf"], "retired": True}
    assert after["m.card"] == before["m.card"]
    assert after["m.mcq"] == before["m.mcq"]

    write(tmp_path, "pack.yaml", pack_text("m.card", "m.mcq", "m.tf"))
    again = await import_path(database, path, clock.now(), _quiet)
    assert (again.added, again.retired) == (0, 0)
    assert (await rows_of(database, "mine")) == before


async def test_an_item_id_of_another_pack_is_refused_and_nothing_changes(
    database: Database, clock: ManualClock, tmp_path: Path
) -> None:
    """fx.card.1 belongs to the fixture pack; a new pack cannot take it over."""
    before = await snapshot(database)
    text = (
        pack_text("m.card", pack_id="thief")
        + """\
  - id: fx.card.1
    kind: flashcard
    topic: terminology.prefix
    exams: [CPC]
    prompt: "Prefix **bradys-**, in Greek"
    answer: Slow
    reference: Greek bradys.
"""
    )
    path = write(tmp_path, "thief.yaml", text)
    with pytest.raises(PackInvalid) as info:
        await import_pack(database, load_pack(path), clock.now())
    assert [error.field for error in info.value.errors] == ["id 'fx.card.1'"]
    assert "belongs to pack 'fixture'" in info.value.errors[0].message
    assert (await snapshot(database)) == before

    with pytest.raises(PackInvalid):
        await import_path(database, path, clock.now(), _quiet)
    assert (await snapshot(database)) == before


async def test_an_invalid_pack_changes_nothing(
    database: Database, clock: ManualClock, tmp_path: Path
) -> None:
    before = await snapshot(database)
    path = write(tmp_path, "pack.yaml", pack_text("m.card", "m.mcq", "m.tf", extra=BAD_ITEM))
    with pytest.raises(PackInvalid) as info:
        await import_path(database, path, clock.now(), _quiet)
    assert [(error.line, error.field) for error in info.value.errors] == [
        (36, "items[3] (m.bad).topic")
    ]
    assert (await snapshot(database)) == before


async def test_a_workspace_export_imports_again_under_another_name(
    database: Database, clock: ManualClock, tmp_path: Path
) -> None:
    """Export, edit, import again: the workspace's items are updated, never duplicated."""
    said: list[str] = []
    first = write(tmp_path, "ours.yaml", pack_text("m.card", pack_id="ours"))
    await import_path(database, first, clock.now(), said.append, "console:ws9")
    exported = await export(database, "", "csv", "console:ws9")
    edited = tmp_path / "edited-copy.csv"
    edited.write_text(exported.replace("Stomach", "Stomach (edited)"), encoding="utf-8")
    result = await import_path(database, edited, clock.now(), said.append, "console:ws9")
    assert result.added == 0 and result.updated == 1

    def rows(conn: Connection) -> list[Any]:
        return list(
            conn.execute(
                sa.select(QUESTION.c.item_id, QUESTION.c.answer, QUESTION.c.revision).where(
                    QUESTION.c.workspace_id.is_not(None)
                )
            )
        )

    stored = await database.read(rows)
    assert len(stored) == 1
    assert stored[0].answer == "Stomach (edited)" and stored[0].revision == 2


async def test_stats_for_an_exam_shows_each_section_beside_the_exam_count(
    database: Database,
) -> None:
    """The CPC spread lists every section of the preset in order, with what the exam
    asks; the fixture's CPC terminology items land in the terminology section."""
    lines = await commands.stats(database, "CPC")
    start = lines.index("") + 1
    assert lines[start].startswith("CPC spread (AAPC Certified Professional Coder")
    sections = presets()["CPC"].sections
    rows = lines[start + 2 : start + 2 + len(sections)]
    for section, row in zip(sections, rows, strict=True):
        assert row.strip().startswith(section.name)
        asks = (
            f"exam asks {section.questions}"
            if section.questions is not None
            else "exam count not published"
        )
        assert asks in row
    fixture = load_pack(FIXTURE).content.items
    terminology = sum(
        1 for item in fixture if item.topic.startswith("terminology") and "CPC" in item.exams
    )
    row = next(row for row in rows if row.strip().startswith("Medical terminology"))
    assert f" {terminology} ({terminology} / 0)" in row
    assert ("<- gap" in row) == (terminology < 4)
    anatomy = next(row for row in rows if row.strip().startswith("Anatomy"))
    assert anatomy.rstrip().endswith("exam asks 4  <- gap")  # the fixture has no anatomy


def test_an_exam_without_a_preset_is_refused(tmp_path: Path) -> None:
    result = run_studybot(tmp_path, "questions", "stats", "--exam", "XYZ", timeout=60)
    assert result.returncode == 2
    assert "invalid choice: 'XYZ'" in result.stderr
