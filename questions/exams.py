"""Exam presets (questions/exams.yaml): each exam's sections, the questions the exam
asks in each, and the bank topics that serve them, so `questions stats --exam` can
show where the bank is thin."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from questions.topics import is_known

EXAMS_FILE = Path(__file__).resolve().parent / "exams.yaml"


@dataclass(frozen=True)
class Section:
    name: str
    questions: int | None
    topics: tuple[str, ...]


@dataclass(frozen=True)
class ExamPreset:
    code: str
    title: str
    format: str
    sections: tuple[Section, ...]


@lru_cache(maxsize=1)
def presets() -> dict[str, ExamPreset]:
    """Every preset by exam code; a section naming an unknown topic is a ValueError."""
    data = yaml.safe_load(EXAMS_FILE.read_text(encoding="utf-8"))
    result: dict[str, ExamPreset] = {}
    for code, entry in data["exams"].items():
        sections = []
        for raw in entry["sections"]:
            topics = tuple(str(topic) for topic in raw["topics"])
            unknown = [topic for topic in topics if not is_known(topic)]
            if unknown:
                raise ValueError(
                    f"{EXAMS_FILE.name}: {code} section {raw['name']!r} names unknown "
                    f"topic(s) {', '.join(unknown)}."
                )
            count = raw.get("questions")
            sections.append(
                Section(str(raw["name"]), None if count is None else int(count), topics)
            )
        result[str(code)] = ExamPreset(
            str(code), str(entry["title"]), str(entry.get("format", "")), tuple(sections)
        )
    return result
