"""The topic taxonomy, read from questions/topics.yaml (data, not code)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TOPICS_FILE = Path(__file__).resolve().parent / "topics.yaml"


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    parent: str | None
    exams: tuple[str, ...]


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, Topic]:
    """Every topic by id, parents before children; exams inherited from the parent."""
    data = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    topics: dict[str, Topic] = {}
    for entry in data["topics"]:
        topic_id = str(entry["id"])
        parent = topic_id.rsplit(".", 1)[0] if "." in topic_id else None
        if parent is not None and parent not in topics:
            raise ValueError(f"Topic {topic_id!r} comes before its parent {parent!r}.")
        exams = entry.get("exams") or (topics[parent].exams if parent else ())
        topics[topic_id] = Topic(topic_id, str(entry["title"]), parent, tuple(exams))
    return topics


def is_known(topic: str) -> bool:
    return topic in taxonomy()


def covers(topic: str, candidate: str) -> bool:
    """True when `candidate` is `topic` or below it."""
    return candidate == topic or candidate.startswith(f"{topic}.")
