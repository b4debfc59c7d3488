"""Plain records the study use cases pass around (no database types leak out)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.srs import CardState


@dataclass(frozen=True)
class StudyScope:
    """Where the learner studies: a workspace sees bundled items plus its own."""

    workspace_id: int | None
    is_dm: bool
    topic: str = ""
    exam: str = ""


@dataclass(frozen=True)
class QuestionView:
    """What a card shows."""

    id: int
    item_id: str
    kind: str
    topic: str
    prompt: str
    choices: tuple[str, ...]
    answer: str
    explanation: str
    reference: str
    revision: int
    accepted: tuple[str, ...] = ()
    code_set: str = ""
    sequence: str = "ordered"

    @classmethod
    def from_mapping(cls, row: Any) -> QuestionView:
        return cls(
            id=int(row["id"]),
            item_id=str(row["item_id"]),
            kind=str(row["kind"]),
            topic=str(row["topic"]),
            prompt=str(row["prompt"]),
            choices=tuple(json.loads(row["choices_json"])),
            answer=str(row["answer"]),
            explanation=str(row["explanation"]),
            reference=str(row["reference"]),
            revision=int(row["revision"]),
            accepted=tuple(json.loads(row["accepted_json"])),
            code_set=str(row["code_set"]),
            sequence=str(row["sequence"]),
        )

    @property
    def correct_choice(self) -> int:
        """Index of the right button: A-D for mcq, 0 True / 1 False for true_false."""
        if self.kind == "true_false":
            return 0 if self.answer == "true" else 1
        return "ABCD".index(self.answer)

    @property
    def choice_labels(self) -> tuple[str, ...]:
        if self.kind == "true_false":
            return ("True", "False")
        return self.choices


@dataclass(frozen=True)
class ReviewView:
    """A learner's card for one question."""

    card: CardState
    reps: int
    lapses: int
    suspended: bool

    def to_json(self) -> str:
        return json.dumps(
            {
                "state": self.card.state,
                "step": self.card.step,
                "stability": self.card.stability,
                "difficulty": self.card.difficulty,
                "due": self.card.due.isoformat(),
                "last_review": self.card.last_review.isoformat() if self.card.last_review else None,
                "reps": self.reps,
                "lapses": self.lapses,
                "suspended": self.suspended,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> ReviewView:
        data = json.loads(text)
        last = data["last_review"]
        card = CardState(
            state=int(data["state"]),
            step=data["step"],
            stability=data["stability"],
            difficulty=data["difficulty"],
            due=datetime.fromisoformat(data["due"]),
            last_review=datetime.fromisoformat(last) if last else None,
        )
        return cls(card, int(data["reps"]), int(data["lapses"]), bool(data["suspended"]))

    @classmethod
    def from_mapping(cls, row: Any) -> ReviewView:
        card = CardState(
            state=int(row["state"]),
            step=row["step"],
            stability=row["stability"],
            difficulty=row["difficulty"],
            due=row["due"],
            last_review=row["last_review"],
        )
        return cls(card, int(row["reps"]), int(row["lapses"]), bool(row["suspended"]))

    def columns(self) -> dict[str, Any]:
        """The review_state columns this view sets."""
        return {
            "state": self.card.state,
            "step": self.card.step,
            "stability": self.card.stability,
            "difficulty": self.card.difficulty,
            "due": self.card.due,
            "last_review": self.card.last_review,
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": self.suspended,
        }


@dataclass(frozen=True)
class QueueItem:
    """The next thing to study; `review` is None for a new card."""

    question: QuestionView
    review: ReviewView | None
    new_today: int
    new_limit: int


@dataclass(frozen=True)
class QueueEmpty:
    """Nothing to study now: when the next review is due and whether new cards remain."""

    next_due: datetime | None
    new_today: int
    new_limit: int
    unseen_left: bool
