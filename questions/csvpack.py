"""The CSV format for moderators: one item per row, through the same validator.

Columns (header row required, any order; empty cells mean "not given"):
id, kind, topic, exams, difficulty, prompt, choice_a, choice_b, choice_c, choice_d,
answer, accepted, explanation, reference, code_set, sequence, billable

`exams` and `accepted` hold several values separated by "|" (CPC|COC). For a
true_false item, `answer` is true or false; for an mcq, a letter A-D. `billable` and
`teaches_invalid_code` are true or false (empty means false).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from questions.loader import LoadedPack, PackError, PackInvalid
from questions.schema import Item, PackFile, PackMeta
from questions.validate import check_items

COLUMNS = (
    "id",
    "kind",
    "topic",
    "exams",
    "difficulty",
    "prompt",
    "choice_a",
    "choice_b",
    "choice_c",
    "choice_d",
    "answer",
    "accepted",
    "explanation",
    "reference",
    "code_set",
    "sequence",
    "billable",
    "teaches_invalid_code",
)
REQUIRED = ("id", "kind", "topic", "exams", "prompt", "answer", "reference")
CHOICE_COLUMNS = COLUMNS[6:10]


def _row_to_item(row: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {key: value for key, value in row.items() if key and value != ""}
    for column in CHOICE_COLUMNS:
        data.pop(column, None)
    choices = [row.get(column, "") for column in CHOICE_COLUMNS]
    if any(choices):
        data["choices"] = [choice for choice in choices if choice]
    if "exams" in data:
        data["exams"] = [exam.strip().upper() for exam in data["exams"].split("|") if exam.strip()]
    if "accepted" in data:
        data["accepted"] = [value.strip() for value in data["accepted"].split("|") if value.strip()]
    if data.get("kind") == "true_false" and data.get("answer", "").lower() in ("true", "false"):
        data["answer"] = data["answer"].lower() == "true"
    for flag in ("billable", "teaches_invalid_code"):
        if flag in data:
            data[flag] = data[flag].strip().lower() in ("true", "yes", "1")
    return data


def _column(location: tuple[int | str, ...], choice_columns: list[str]) -> str:
    """The CSV column behind a field location; blank choice cells are skipped, so the
    n-th choice is the n-th non-blank choice column."""
    if not location:
        return ""
    if location[0] == "choices" and len(location) > 1 and isinstance(location[1], int):
        index = location[1]
        return choice_columns[index] if index < len(choice_columns) else "choices"
    return str(location[0])


def default_meta(path: Path, workspace: str = "") -> PackMeta:
    """Metadata for an uploaded CSV, which has no header block of its own."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:40] or "upload"
    pack_id = f"{workspace}-{slug}" if workspace else slug
    return PackMeta(
        id=pack_id[:64],
        title=path.stem[:200] or "Uploaded questions",
        version=1,
        origin="hand",
        source="CSV upload",
        licence="Provided by the workspace",
    )


def load_csv_pack(
    path: Path, meta: PackMeta | None = None, seen_ids: dict[str, str] | None = None
) -> LoadedPack:
    """Parse and validate a CSV pack; errors name the file, the line and the column."""
    name = str(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise PackInvalid([PackError(name, None, "", f"cannot read ({exc.strerror})")]) from None
    except UnicodeDecodeError:
        raise PackInvalid([PackError(name, None, "", "the file is not UTF-8 text")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    if missing or unknown:
        problems = [f"missing column {column!r}" for column in missing]
        problems += [f"unknown column {column!r}" for column in unknown]
        raise PackInvalid([PackError(name, 1, "header", "; ".join(problems))])
    errors: list[PackError] = []
    items: list[Item] = []
    lines: list[int] = []
    choice_columns: list[list[str]] = []
    for row in reader:
        # The row's first line: its last line less the line breaks inside quoted cells
        # (blank lines before it are skipped by the reader, so counting forward fails).
        breaks = sum(value.count("\n") for value in row.values() if isinstance(value, str))
        line = reader.line_num - breaks
        row_id = row.get("id") or f"line {line}"
        used = [column for column in CHOICE_COLUMNS if row.get(column)]
        try:
            items.append(Item.model_validate(_row_to_item(row)))
            lines.append(line)
            choice_columns.append(used)
        except ValidationError as exc:
            for error in exc.errors():
                message = error["msg"].removeprefix("Value error, ")
                column = _column(tuple(error["loc"]), used)
                errors.append(PackError(name, line, f"{row_id}.{column}", message))
    if not items and not errors:
        errors.append(PackError(name, 2, "", "the file has no rows"))
    for where, message in check_items(items, seen_ids, name):
        index = where[1]
        assert isinstance(index, int)
        column = _column(where[2:], choice_columns[index])
        errors.append(PackError(name, lines[index], f"{items[index].id}.{column}", message))
    if errors:
        raise PackInvalid(sorted(errors, key=lambda error: error.line or 0))
    content = PackFile(pack=meta or default_meta(path), items=items)
    return LoadedPack(path=path, content=content, content_hash=hashlib.sha256(raw).hexdigest())
