"""Helpers shared by the generators: deterministic output and progress on stderr."""

from __future__ import annotations

import gzip
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from questions.schema import LETTERS, Item, Kind, PackFile

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("STUDYBOT_SHARED_DATA", REPO.parent / "shared" / "data"))


def progress(message: str) -> None:
    """One line of progress for long runs (stderr, so output files stay clean)."""
    print(message, file=sys.stderr, flush=True)


def write_gzip_text(path: Path, text: str) -> None:
    """gzip with no timestamp or name inside, so the same text gives the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def item_dict(item: Item) -> dict[str, Any]:
    """An item as it is written in YAML: schema field order, defaults left out."""
    data = item.model_dump(mode="json", exclude_defaults=True)
    data["kind"] = item.kind.value
    data["exams"] = list(item.exams)
    order = list(Item.model_fields)
    return {key: data[key] for key in order if key in data}


def dump_pack(pack: PackFile, path: Path) -> None:
    """Write a pack as YAML, identically for identical input (the tests compare bytes)."""
    document = {
        "pack": pack.pack.model_dump(mode="json", exclude_defaults=True),
        "items": [item_dict(item) for item in pack.items],
    }
    text = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    path.write_text(text, encoding="utf-8")


def mcq_item(
    *,
    item_id: str,
    topic: str,
    exams: Sequence[str],
    difficulty: int,
    prompt: str,
    choices: Sequence[str],
    correct: int,
    explanation: str,
    reference: str,
    year: int,
    billable: bool = False,
    teaches_invalid_code: bool = False,
) -> Item:
    """A four-choice item; each generator decides the order of its choices."""
    if len(choices) != 4:
        raise ValueError(f"{item_id}: needs 4 choices, got {len(choices)}")
    return Item.model_validate(
        {
            "id": item_id,
            "kind": Kind.MCQ,
            "topic": topic,
            "exams": list(exams),
            "difficulty": difficulty,
            "prompt": prompt,
            "choices": list(choices),
            "answer": LETTERS[correct],
            "explanation": explanation,
            "reference": reference,
            "code_set_year": year,
            "billable": billable,
            "teaches_invalid_code": teaches_invalid_code,
        }
    )
