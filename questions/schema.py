"""The pack format (YAML): pack metadata plus items, validated with pydantic."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

EXAMS = ("CPC", "COC", "CIC", "CRC", "CCA", "CCS")
Exam = Literal["CPC", "COC", "CIC", "CRC", "CCA", "CCS"]
LETTERS = "ABCD"
ITEM_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.\-_]{0,119}$")

ItemId = Annotated[str, StringConstraints(pattern=ITEM_ID_PATTERN.pattern)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Kind(StrEnum):
    """How an item is asked and graded."""

    MCQ = "mcq"
    FLASHCARD = "flashcard"
    TRUE_FALSE = "true_false"
    CODE_ENTRY = "code_entry"


class PackMeta(BaseModel):
    """Who wrote a pack, which release of which code set it teaches, under what licence."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-_]{0,63}$")]
    title: Text
    version: int = Field(ge=1)
    origin: Literal["hand", "generated"]
    source: Text
    licence: Text
    release: str = ""
    description: str = ""
    review: str = ""


class Item(BaseModel):
    """One question or flashcard."""

    model_config = ConfigDict(extra="forbid")

    id: ItemId
    kind: Kind
    topic: Text
    exams: list[Exam] = Field(min_length=1)
    difficulty: int = Field(default=1, ge=1, le=3)
    prompt: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1500)]
    choices: list[Annotated[str, StringConstraints(min_length=1, max_length=300)]] = []
    answer: str | bool
    accepted: list[str] = []
    explanation: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    reference: Text
    code_set_year: int | None = None

    @model_validator(mode="after")
    def _check_kind(self) -> Item:
        if self.kind is Kind.MCQ:
            if len(self.choices) != 4:
                raise ValueError(f"an mcq needs exactly 4 choices, found {len(self.choices)}")
            if len({choice.strip().casefold() for choice in self.choices}) != 4:
                raise ValueError("the 4 choices must be different")
            if not isinstance(self.answer, str) or self.answer.strip().upper() not in LETTERS:
                raise ValueError(f"an mcq answer is a letter A-D, found {self.answer!r}")
            self.answer = self.answer.strip().upper()
        elif self.kind is Kind.TRUE_FALSE:
            if not isinstance(self.answer, bool):
                raise ValueError("a true_false answer is true or false")
            if self.choices:
                raise ValueError("a true_false item has no choices")
        else:
            if not isinstance(self.answer, str) or not self.answer.strip():
                raise ValueError("the answer must be non-empty text")
            if self.choices:
                raise ValueError(f"a {self.kind.value} item has no choices")
        if self.kind is not Kind.FLASHCARD and not self.explanation:
            raise ValueError("an explanation is required (why the answer is right)")
        return self

    @property
    def answer_text(self) -> str:
        """The answer as stored: a letter, "true"/"false", or text."""
        if isinstance(self.answer, bool):
            return "true" if self.answer else "false"
        return self.answer


class PackFile(BaseModel):
    """A whole YAML pack file."""

    model_config = ConfigDict(extra="forbid")

    pack: PackMeta
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> PackFile:
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"duplicate item id {item.id!r}")
            seen.add(item.id)
        return self
