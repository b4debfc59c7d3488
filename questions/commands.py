"""What `studybot questions ...` does: validate, import, export and count packs.

Each function returns the lines to print; the CLI only parses arguments.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy import Connection

from questions.csvpack import COLUMNS, load_csv_pack
from questions.exams import presets
from questions.importer import ImportResult, import_pack
from questions.loader import LoadedPack, PackError, PackInvalid, load_pack
from questions.topics import covers, taxonomy
from storage.database import Database
from storage.models import PACK, QUESTION, WORKSPACE
from storage.upsert import insert_ignore

Say = Callable[[str], None]


def load_any(path: Path, seen_ids: dict[str, str] | None = None) -> LoadedPack:
    """A YAML or CSV pack, by its extension."""
    if path.suffix.lower() == ".csv":
        return load_csv_pack(path, seen_ids=seen_ids)
    if path.suffix.lower() in (".yaml", ".yml"):
        return load_pack(path, seen_ids)
    raise PackInvalid([PackError(str(path), None, "", "use a .yaml, .yml or .csv file")])


def validate_paths(paths: Sequence[Path]) -> tuple[bool, list[str]]:
    """Validate every file; duplicate ids across the files count too."""
    seen: dict[str, str] = {}
    lines: list[str] = []
    ok = True
    for path in paths:
        try:
            pack = load_any(path, seen)
        except PackInvalid as invalid:
            ok = False
            lines.extend(str(error) for error in invalid.errors)
            continue
        for item in pack.content.items:
            seen[item.id] = f"in {path}"
        lines.append(f"{path}: {len(pack.content.items)} items, all valid.")
    return ok, lines


def _workspace_id(conn: Connection, workspace: str, now: datetime) -> int:
    platform, _, external = workspace.partition(":")
    if not platform or not external:
        raise ValueError(f"--workspace {workspace!r}: use PLATFORM:ID, e.g. discord:1234567890.")
    values = {"platform": platform, "external_id": external}
    insert_ignore(conn, WORKSPACE, {**values, "name": "", "settings_json": "{}", "created_at": now})
    found = conn.scalar(
        sa.select(WORKSPACE.c.id).where(
            WORKSPACE.c.platform == platform, WORKSPACE.c.external_id == external
        )
    )
    assert found is not None
    return int(found)


async def import_path(
    database: Database, path: Path, now: datetime, say: Say, workspace: str = ""
) -> ImportResult:
    """Validate then import one file as one transaction; nothing is imported on error."""
    pack = load_any(path)
    total = len(pack.content.items)
    say(f"Importing {total:,} items from {path} ...")
    step = max(500, total // 10)

    def progress(done: int, of: int) -> None:
        if of >= 1000 and (done % step < 500 or done == of):
            say(f"  {done:,} of {of:,} items written")

    workspace_id = None
    if workspace:
        workspace_id = await database.write(lambda conn: _workspace_id(conn, workspace, now))
    return await import_pack(database, pack, now, workspace_id, progress)


def _question_rows(conn: Connection, topic: str, workspace_id: int | None) -> list[Any]:
    query = (
        sa.select(QUESTION, PACK.c.origin)
        .join(PACK, PACK.c.id == QUESTION.c.pack_id)
        .where(QUESTION.c.retired.is_(False))
        .order_by(QUESTION.c.position, QUESTION.c.id)
    )
    if workspace_id is None:
        query = query.where(QUESTION.c.workspace_id.is_(None))
    else:
        query = query.where(QUESTION.c.workspace_id == workspace_id)
    rows = list(conn.execute(query))
    return [row for row in rows if not topic or covers(topic, row.topic)]


def _export_item(row: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": row.item_id.split(".", 1)[1] if row.workspace_id else row.item_id,
        "kind": row.kind,
        "topic": row.topic,
        "exams": row.exams.split(","),
        "difficulty": row.difficulty,
        "prompt": row.prompt,
    }
    choices = json.loads(row.choices_json)
    if choices:
        item["choices"] = choices
    item["answer"] = row.answer == "true" if row.kind == "true_false" else row.answer
    accepted = json.loads(row.accepted_json)
    if accepted:
        item["accepted"] = accepted
    if row.explanation:
        item["explanation"] = row.explanation
    item["reference"] = row.reference
    if row.code_set:
        item["code_set"] = row.code_set
    if row.sequence != "ordered":
        item["sequence"] = row.sequence
    for flag in ("billable", "teaches_invalid_code"):
        if getattr(row, flag):
            item[flag] = True
    return item


async def export(database: Database, topic: str, fmt: str, workspace: str = "") -> str:
    """Every live item (optionally one topic and below) as a YAML pack or CSV."""

    def work(conn: Connection) -> list[Any]:
        workspace_id = None
        if workspace:
            platform, _, external = workspace.partition(":")
            workspace_id = conn.scalar(
                sa.select(WORKSPACE.c.id).where(
                    WORKSPACE.c.platform == platform, WORKSPACE.c.external_id == external
                )
            )
            if workspace_id is None:
                raise ValueError(f"No workspace {workspace!r} in this database.")
        return _question_rows(conn, topic, workspace_id)

    items = [_export_item(row) for row in await database.read(work)]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for item in items:
            row = {key: value for key, value in item.items() if key in COLUMNS}
            row["exams"] = "|".join(item["exams"])
            for column, choice in zip(COLUMNS[6:10], item.get("choices", []), strict=False):
                row[column] = choice
            if isinstance(item["answer"], bool):
                row["answer"] = "true" if item["answer"] else "false"
            row["accepted"] = "|".join(item.get("accepted", []))
            for flag in ("billable", "teaches_invalid_code"):
                row[flag] = "true" if item.get(flag) else ""
            writer.writerow(row)
        return buffer.getvalue()
    document = {
        "pack": {
            "id": f"export-{topic or 'all'}".replace(".", "-"),
            "title": f"StudyBot export ({topic or 'all topics'})",
            "version": 1,
            "origin": "hand",
            "source": "studybot questions export",
            "licence": "As in the source packs",
        },
        "items": items,
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


async def stats(database: Database, exam: str = "") -> list[str]:
    """Counts of live bundled items by origin, kind, exam and topic; with `exam`, also
    the spread over that exam's sections next to the questions the exam asks."""

    def work(conn: Connection) -> list[Any]:
        return _question_rows(conn, "", None)

    rows = await database.read(work)
    lines = [f"{len(rows):,} items in the bundled bank"]
    for title, counter in (
        ("By origin", Counter(row.origin for row in rows)),
        ("By kind", Counter(row.kind for row in rows)),
        ("By exam", Counter(exam for row in rows for exam in row.exams.split(","))),
    ):
        lines.append(f"{title}: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counter.items())))
    lines.append("By topic (items in the topic and below; hand / generated):")
    per_topic = Counter((row.topic, row.origin) for row in rows)
    for topic in taxonomy().values():
        hand = sum(n for (t, o), n in per_topic.items() if covers(topic.id, t) and o == "hand")
        made = sum(n for (t, o), n in per_topic.items() if covers(topic.id, t) and o != "hand")
        if hand or made:
            indent = "  " * (topic.id.count(".") + 1)
            lines.append(f"{indent}{topic.id}: {hand + made:,} ({hand:,} / {made:,})")
    if exam:
        lines += exam_spread(rows, exam)
    return lines


def exam_spread(rows: Sequence[Any], exam: str) -> list[str]:
    """Items tagged `exam` per exam section (hand / generated), beside the exam's own
    question counts; a section with fewer items than the exam asks is marked."""
    preset = presets().get(exam)
    if preset is None:
        known = ", ".join(sorted(presets()))
        raise ValueError(f"No section preset for exam {exam!r}; presets exist for {known}.")
    tagged = [row for row in rows if exam in row.exams.split(",")]
    lines = [
        "",
        f"{preset.code} spread ({preset.title}: {preset.format}).",
        f"Items tagged {exam} per exam section (hand / generated), and what the exam asks:",
    ]
    width = max(len(section.name) for section in preset.sections)
    placed: set[int] = set()
    for section in preset.sections:
        inside = [
            index
            for index, row in enumerate(tagged)
            if any(covers(topic, row.topic) for topic in section.topics)
        ]
        placed.update(inside)
        hand = sum(1 for index in inside if tagged[index].origin == "hand")
        made = len(inside) - hand
        asks = (
            f"exam asks {section.questions}"
            if section.questions is not None
            else "exam count not published"
        )
        gap = (
            "  <- gap" if section.questions is not None and len(inside) < section.questions else ""
        )
        lines.append(
            f"  {section.name:<{width}}  {len(inside):>6,} ({hand:,} / {made:,})  {asks}{gap}"
        )
    lines.append(f"  Items tagged {exam} outside these sections: {len(tagged) - len(placed):,}")
    return lines
