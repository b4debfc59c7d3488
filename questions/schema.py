"""The pack format (YAML): pack metadata plus items, validated with pydantic."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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
    order: int = Field(default=100, ge=0, le=999)
    """Where this pack's new cards come in study order: lower first."""


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
    code_set: Literal["icd10cm", "hcpcs", "hcpcs-modifier"] | None = None
    sequence: Literal["ordered", "any"] = "ordered"
    billable: bool = False
    teaches_invalid_code: bool = False

    @property
    def answer_text(self) -> str:
        """The answer as stored: a letter, "true"/"false", or text."""
        if isinstance(self.answer, bool):
            return "true" if self.answer else "false"
        if self.kind is Kind.MCQ:
            return self.answer.strip().upper()
        return self.answer.strip()

    @property
    def correct_text(self) -> str:
        """What the right answer says: the chosen choice's text for an mcq."""
        if self.kind is Kind.MCQ and self.answer_text in LETTERS and len(self.choices) == 4:
            return self.choices[LETTERS.index(self.answer_text)]
        return self.answer_text


class PackFile(BaseModel):
    """A whole YAML pack file."""

    model_config = ConfigDict(extra="forbid")

    pack: PackMeta
    items: list[Item] = Field(min_length=1)
