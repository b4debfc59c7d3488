"""Generate the ICD-10-CM drill pack from the Tabular List.

    python -m questions.generators.icd10cm_pack [--out PATH]

Reads the April 2026 ICD-10-CM release through `simple-icd-10-cm` 1.5.0 (CDC/NCHS,
public domain; offline only, the library costs ~1.5 s and ~190 MB) and writes
questions/packs/icd10cm-generated.yaml. Every item is a four-choice question built
from facts the Tabular List states: official descriptions, the chapter and block
tree, 7th-character definitions, Excludes1/Excludes2, "Code first" and "Use
additional code" notes, and which codes are complete. No clinical vignettes are
invented, and the Official Guidelines are cited no deeper than Section I.A (conventions).

Families (item-id prefixes):
  icd.code.*         description -> code                      (icd10cm.codes)
  icd.desc.*         code -> description                      (icd10cm.codes)
  icd.chapter.*      which chapter holds a code               (icd10cm.structure)
  icd.block.*        which block (range) holds a code         (icd10cm.structure)
  icd.seventh.*      meaning of a 7th character               (icd10cm.conventions)
  icd.excludes1.*    what an Excludes1 note means for a pair  (icd10cm.conventions)
  icd.excludes2.*    what an Excludes2 note means for a pair  (icd10cm.conventions)
  icd.codefirst.*    sequencing from a "Code first" note      (icd10cm.conventions)
  icd.useadditional.* sequencing from a "Use additional code" note (icd10cm.conventions)
  icd.billable.*     the complete code among headers          (icd10cm.conventions)
  icd.placeholder.*  the code built with its placeholder X    (icd10cm.conventions)

The output is byte-for-byte reproducible: the code list is read in Tabular order,
every sample comes from a fixed-seed `random.Random` over a sorted or ordered list,
and nothing iterates a set.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, TypeVar

from questions.codes import ICD10CM_RELEASE, icd10cm
from questions.generators.common import REPO, dump_pack, mcq_item, progress
from questions.schema import Exam, Item, PackFile, PackMeta
from questions.validate import (
    _ICD_IN_TEXT,
    NEAR_DUPLICATE,
    check_item,
    check_items,
    normalise_text,
)

T = TypeVar("T")

OUT = REPO / "questions" / "packs" / "icd10cm-generated.yaml"
TABULAR = "ICD-10-CM Tabular List, April 2026"
CONVENTIONS = "ICD-10-CM Official Guidelines for Coding and Reporting, Section I.A (conventions)"
YEAR = 2026
SEED = 20260401
EXAMS: list[Exam] = ["CPC", "COC", "CIC", "CRC", "CCA", "CCS"]
MAX_EXPLANATION = 2000
MAX_CHOICE = 300

# Family sizes: roughly balanced, with the repetitive convention families kept small.
TARGET_CODE = 650
TARGET_DESC = 540
TARGET_CHAPTER = 220
TARGET_BLOCK = 220
SEVENTH_PER_DEFINER = 4
SEVENTH_PER_TABLE = 20
TARGET_EXCLUDES = 40  # per kind (Excludes1, Excludes2)
TARGET_SEQUENCE = 130  # per kind (Code first, Use additional code)
TARGET_BILLABLE = 200
TARGET_PLACEHOLDER = 130

# The validator's own pattern, so "a code in the text" means the same thing here.
CODE_IN_TEXT = _ICD_IN_TEXT
_SINGLE_CODE_TAIL = re.compile(r"\(([A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:\.[0-9A-Z]{1,4})?)\)$")
_TRAILING_RANGE = re.compile(r"\s*\(([A-Z0-9]{3}(?:-[A-Z0-9]{3})?)\)$")

TOPIC_CODES = "icd10cm.codes"
TOPIC_STRUCTURE = "icd10cm.structure"
TOPIC_CONVENTIONS = "icd10cm.conventions"


def clean(text: str) -> str:
    """One line, single spaces: the library keeps the XML's tabs and line breaks."""
    return " ".join(str(text).split())


def slug(code: str) -> str:
    """E11.22 -> e11-22, for item ids (lower case, no dots inside a code)."""
    return code.lower().replace(".", "-")


def bare(code: str) -> str:
    return code.replace(".", "")


def dotted(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def quote(text: str, limit: int = 0) -> str:
    """An official wording in double quotes, optionally shortened."""
    if limit and len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return f'"{text}"'


FRAGMENT = re.compile(r"^(or|and|such as|with|to)\b", re.IGNORECASE)


def single_code(note: str) -> str | None:
    """The code a note names when it names exactly one code, exactly: "... (N48.0)"."""
    line = clean(note)
    match = _SINGLE_CODE_TAIL.search(line)
    if match is None or len(CODE_IN_TEXT.findall(line)) != 1:
        return None
    return match.group(1)


def ordinal(number: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(number, f"{number}th")


@dataclass(frozen=True)
class Chapter:
    number: str
    title: str
    span: str  # "E00-E89" as the Tabular prints it

    @property
    def choice(self) -> str:
        # The range stays out of the choice: the shipped code set lacks a few range ends.
        return f"Chapter {self.number}: {self.title}"


@dataclass(frozen=True)
class Block:
    name: str  # "E08-E13" or a one-category block such as "C50"
    title: str
    chapter: str

    @property
    def choice(self) -> str:
        return f"{self.name}: {self.title}"

    def covers(self, category: str) -> bool:
        low, _, high = self.name.partition("-")
        return low <= category <= (high or low)


@dataclass(frozen=True)
class Note:
    """An instructional note at `holder` that names exactly one code, `target`."""

    holder: str
    target: str
    text: str


class Tabular:
    """The ICD-10-CM tree, read once from simple-icd-10-cm into plain typed structures."""

    def __init__(self) -> None:
        import simple_icd_10_cm as cm  # offline only: ~1.5 s, ~190 MB

        self.cm: Any = cm
        self.shipped = icd10cm()
        names = [str(name) for name in cm.get_all_codes(True)]
        self.chapters: list[Chapter] = []
        self.blocks: list[Block] = []
        seen: dict[str, None] = {}
        for name in names:
            if cm.is_chapter(name):
                if name not in {chapter.number for chapter in self.chapters}:
                    self.chapters.append(self._chapter(name))
            elif "-" not in name:
                seen.setdefault(name, None)
        for chapter in self.chapters:
            for name in (str(child) for child in cm.get_children(chapter.number)):
                if cm.get_children(name):  # skip empty super-blocks such as C00-C96
                    title = clean(cm.get_description(name, prioritize_blocks=True))
                    title = _TRAILING_RANGE.sub("", title)
                    self.blocks.append(Block(name, title, chapter.number))
        self.codes: list[str] = list(seen)  # Tabular order
        self.position = {code: index for index, code in enumerate(self.codes)}
        self.desc: dict[str, str] = {code: clean(cm.get_description(code)) for code in self.codes}
        self.leaf: dict[str, bool] = {code: bool(cm.is_leaf(code)) for code in self.codes}
        self.lineage: dict[str, list[str]] = {}  # code ancestors, nearest first
        self.block_of: dict[str, str] = {}
        self.chapter_of: dict[str, str] = {}
        self.children: dict[str, list[str]] = defaultdict(list)
        for code in self.codes:
            ancestors = [str(a) for a in cm.get_ancestors(code)]
            self.lineage[code] = ancestors[:-2]
            self.block_of[code] = ancestors[-2]
            self.chapter_of[code] = ancestors[-1]
            if ancestors[:-2]:
                self.children[ancestors[0]].append(code)
        self.block_by_name = {block.name: block for block in self.blocks}
        self.chapter_by_number = {chapter.number: chapter for chapter in self.chapters}
        self.desc_count = Counter(normalise_text(text) for text in self.desc.values())
        self.block_categories: dict[str, list[str]] = defaultdict(list)
        for code in self.codes:
            if len(code) == 3:
                self.block_categories[self.block_of[code]].append(code)
        self._leaves: dict[str, list[str]] = {}
        shipped = self.shipped.entries
        self._billable = {
            c for c in self.codes if self.leaf[c] and c in shipped and shipped[c].kind == "B"
        }
        self._unique = {c for c in self.codes if self.desc_count[normalise_text(self.desc[c])] == 1}
        self.definers = {c for c in self.codes if cm.get_seven_chr_def(c)}

    def _chapter(self, number: str) -> Chapter:
        text = clean(self.cm.get_description(number))
        match = _TRAILING_RANGE.search(text)
        span = match.group(1) if match else ""
        return Chapter(number, _TRAILING_RANGE.sub("", text), span)

    # -- what the validator accepts -------------------------------------------------
    def known(self, code: str) -> bool:
        """In the code set the bot ships (the validator checks choices against it)."""
        return code in self.shipped

    def billable(self, code: str) -> bool:
        return code in self._billable

    def known_text(self, text: str) -> bool:
        return all(self.known(code) for code in CODE_IN_TEXT.findall(text))

    def unique_desc(self, code: str) -> bool:
        """No other code (header or not) has the same wording: a prompt can name it alone."""
        return code in self._unique

    # -- tree -----------------------------------------------------------------------
    def parent(self, code: str) -> str | None:
        lineage = self.lineage[code]
        return lineage[0] if lineage else None

    def category(self, code: str) -> str:
        lineage = self.lineage[code]
        return lineage[-1] if lineage else code

    def leaves_under(self, code: str) -> list[str]:
        if code in self._leaves:
            return self._leaves[code]
        found: list[str] = []
        stack = [code]
        while stack:
            current = stack.pop()
            for child in self.children.get(current, []):
                if self.leaf[child]:
                    found.append(child)
                else:
                    stack.append(child)
        self._leaves[code] = sorted(found, key=self.position.__getitem__)
        return self._leaves[code]

    def headers_under(self, code: str) -> list[str]:
        found = [code] if not self.leaf[code] else []
        stack = [code]
        while stack:
            current = stack.pop()
            for child in self.children.get(current, []):
                if not self.leaf[child]:
                    found.append(child)
                    stack.append(child)
        return sorted(found, key=self.position.__getitem__)

    def categories_in_block(self, block: str) -> list[str]:
        return self.block_categories.get(block, [])

    def seventh_definitions(self, code: str) -> dict[str, str]:
        """The 7th-character table that applies to `code` (its own or an ancestor's)."""
        table = self.cm.get_seven_chr_def(code, search_in_ancestors=True)
        return {str(key): str(value) for key, value in table.items()}

    def own_seventh_definitions(self, code: str) -> dict[str, str]:
        if code not in self.definers:
            return {}
        return {str(k): str(v) for k, v in self.cm.get_seven_chr_def(code).items()}

    def notes(self, kind: str, code: str) -> list[str]:
        """Excludes1/Excludes2 entries, or the lines of a Code first/Use additional note."""
        if kind == "excludes1":
            return [str(n) for n in self.cm.get_excludes1(code)]
        if kind == "excludes2":
            return [str(n) for n in self.cm.get_excludes2(code)]
        if kind == "codefirst":
            return [line for line in str(self.cm.get_code_first(code)).split("\n") if line]
        return [line for line in str(self.cm.get_use_additional_code(code)).split("\n") if line]

    def inherited_note(self, kind: str, code: str) -> str:
        if kind == "codefirst":
            return str(self.cm.get_code_first(code, search_in_ancestors=True))
        return str(self.cm.get_use_additional_code(code, search_in_ancestors=True))

    def is_extension(self, code: str) -> bool:
        return bool(self.cm.is_extended_subcategory(code))

    def exists(self, code: str) -> bool:
        """A code of the release in any form the library accepts (with or without dot)."""
        return bool(self.cm.is_valid_item(code)) or bool(self.cm.is_valid_item(bare(code)))


class Collector:
    """Accepts items that pass the validator's gates, so the pack always loads."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.ids: set[str] = set()
        self.prompts: set[str] = set()
        self.by_answer: dict[str, list[str]] = defaultdict(list)
        self.rejected: Counter[str] = Counter()

    def add(self, item: Item) -> bool:
        if item.id in self.ids:
            self.rejected["duplicate id"] += 1
            return False
        if check_item(item, 0):
            self.rejected["validator rule"] += 1
            return False
        prompt = normalise_text(item.prompt)
        if prompt in self.prompts:
            self.rejected["same prompt"] += 1
            return False
        answer = normalise_text(item.correct_text)
        for other in self.by_answer[answer]:
            matcher = SequenceMatcher(None, other, prompt, autojunk=False)
            if (
                matcher.real_quick_ratio() >= NEAR_DUPLICATE
                and matcher.quick_ratio() >= NEAR_DUPLICATE
                and matcher.ratio() >= NEAR_DUPLICATE
            ):
                self.rejected["near-duplicate prompt"] += 1
                return False
        self.items.append(item)
        self.ids.add(item.id)
        self.prompts.add(prompt)
        self.by_answer[answer].append(prompt)
        return True


def make_item(
    rng: random.Random,
    *,
    item_id: str,
    topic: str,
    difficulty: int,
    prompt: str,
    correct: str,
    distractors: Sequence[str],
    explanation: str,
    reference: str,
    billable: bool = False,
    teaches_invalid_code: bool = False,
) -> Item:
    """A four-choice item with the right answer at a seeded position."""
    if len(distractors) != 3:
        raise ValueError(f"{item_id}: needs 3 distractors, got {len(distractors)}")
    position = rng.randrange(4)
    choices = list(distractors)
    choices.insert(position, correct)
    return mcq_item(
        item_id=item_id,
        topic=topic,
        exams=EXAMS,
        difficulty=difficulty,
        prompt=prompt,
        choices=choices,
        correct=position,
        explanation=explanation,
        reference=reference,
        year=YEAR,
        billable=billable,
        teaches_invalid_code=teaches_invalid_code,
    )


def fit(*versions: str) -> str:
    """The first explanation that fits the limit (versions go from full to terse)."""
    for text in versions:
        if len(text) <= MAX_EXPLANATION:
            return text
    return versions[-1][: MAX_EXPLANATION - 3].rstrip() + "..."


def round_robin(groups: Sequence[Sequence[str]]) -> Iterator[str]:
    """One from each group in turn until all are used up."""
    iterators = [iter(group) for group in groups]
    while iterators:
        alive = []
        for iterator in iterators:
            value = next(iterator, None)
            if value is not None:
                alive.append(iterator)
                yield value
        iterators = alive


def shuffled(rng: random.Random, values: Iterable[T]) -> list[T]:
    """A shuffled copy, so the input's order (always deterministic) stays untouched."""
    result = list(values)
    rng.shuffle(result)
    return result


class Generator:
    """Builds each family into one Collector."""

    def __init__(self, tab: Tabular) -> None:
        self.tab = tab
        self.out = Collector()
        self.used_answers: set[str] = set()

    def rng(self, family: str) -> random.Random:
        return random.Random(f"{SEED}:{family}")

    def by_chapter(self, rng: random.Random, codes: Iterable[str]) -> list[list[str]]:
        """Codes grouped by chapter (Tabular order of chapters), each group shuffled."""
        groups: dict[str, list[str]] = {chapter.number: [] for chapter in self.tab.chapters}
        for code in codes:
            groups[self.tab.chapter_of[code]].append(code)
        return [shuffled(rng, groups[chapter.number]) for chapter in self.tab.chapters]

    # -- building blocks shared by the code families ----------------------------------
    def chain(self, code: str) -> str:
        """How the characters build the description up, category first."""
        tab = self.tab
        steps = [*reversed(tab.lineage[code]), code]
        parts: list[str] = []
        previous = ""
        for step in steps:
            text = tab.desc[step]
            if step == code and tab.is_extension(code):
                meaning = clean(tab.seventh_definitions(code).get(bare(code)[-1], ""))
                stem = len(bare(tab.lineage[code][0]))
                filler = ""
                if stem == 5:
                    filler = " (X fills position 6 so the 7th character stays 7th)"
                elif stem < 5:
                    filler = f" (X fills positions {stem + 1}-6 so the 7th character stays 7th)"
                parts.append(f'7th character {bare(code)[-1]} = "{meaning}"{filler}')
            elif text == previous:
                continue  # a placeholder level such as T44.7X repeats its parent's wording
            elif previous and text.lower().startswith(previous.lower()):
                added = text[len(previous) :].lstrip(" ,")
                parts.append(f'{step} adds "{added}"')
            else:
                parts.append(f'{step} = "{text}"')
            previous = text
        return "; ".join(parts)

    def excludes1_codes(self, code: str) -> list[tuple[str, str]]:
        """(code, note holder) for Excludes1 notes of the code and its ancestors naming one code."""
        tab = self.tab
        holders = [code, *tab.lineage[code]]
        found: list[tuple[str, str]] = []
        for holder in holders:
            for note in tab.notes("excludes1", holder):
                target = single_code(note)
                if target is not None and target in tab.desc:
                    found.append((target, holder))
        block = tab.block_of[code]
        if block in tab.block_by_name and "-" in block:
            for note in tab.cm.get_excludes1(block):
                target = single_code(str(note))
                if target is not None and target in tab.desc:
                    found.append((target, block))
        return found

    def related(self, code: str, rng: random.Random) -> list[tuple[str, str]]:
        """Confusable codes for `code`, each with why it differs, most telling first."""
        tab = self.tab
        category = tab.category(code)
        suffix = code[3:]
        neighbours: list[tuple[str, str]] = []
        block = tab.block_of[category]
        if block != category and suffix:
            for other in tab.categories_in_block(block):
                candidate = other + suffix
                if other != category and candidate in tab.desc:
                    why = f'the same characters in category {other}, "{tab.desc[other]}"'
                    neighbours.append((candidate, why))
        excluded = [
            (target, f"named in the Excludes1 note at {holder}: a condition not coded here")
            for target, holder in self.excludes1_codes(code)
        ]
        parent = tab.parent(code)
        siblings: list[tuple[str, str]] = []
        cousins: list[tuple[str, str]] = []
        if parent is not None:
            siblings = [
                (c, f"another code under {parent}")
                for c in tab.leaves_under(parent)
                if tab.parent(c) == parent
            ]
            grand = tab.parent(parent)
            if grand is not None:
                cousins = [
                    (c, f"another code in {grand}")
                    for c in tab.leaves_under(grand)
                    if tab.parent(c) != parent
                ]
        else:
            cousins = [
                (c, f"another code in block {block}")
                for other in tab.categories_in_block(block)
                if other != code
                for c in ([other] if tab.leaf[other] else tab.leaves_under(other)[:6])
            ]
        pools = [shuffled(rng, pool) for pool in (neighbours, excluded, siblings, cousins)]
        ordered = pools[0][:1] + pools[1][:1] + pools[2] + pools[3] + pools[0][1:] + pools[1][1:]
        result: list[tuple[str, str]] = []
        seen = {code}
        own = normalise_text(tab.desc[code])
        for candidate, why in ordered:
            if candidate in seen or not tab.billable(candidate):
                continue
            if normalise_text(tab.desc[candidate]) == own:
                continue  # would be a second right answer
            seen.add(candidate)
            result.append((candidate, why))
        return result

    # -- family 1: description -> code --------------------------------------------------
    def family_code(self) -> None:
        tab = self.tab
        rng = self.rng("code")
        pool = [
            c
            for c in tab.codes
            if tab.billable(c) and tab.unique_desc(c) and len(tab.desc[c]) <= 400
        ]
        made = 0
        for code in round_robin(self.by_chapter(rng, pool)):
            if made >= TARGET_CODE:
                break
            others = self.related(code, rng)[:3]
            if len(others) < 3:
                continue
            desc = tab.desc[code]
            why_not = " ".join(f"{c} is {quote(tab.desc[c])} ({why})." for c, why in others)
            why_not_short = " ".join(f"{c} is {quote(tab.desc[c], 160)}." for c, _ in others)
            head = f"{code} is the code with exactly this official description."
            explanation = fit(
                f"{head} Reading it left to right: {self.chain(code)}. Why not the others: "
                f"{why_not}",
                f"{head} Why not the others: {why_not}",
                f"{head} Why not the others: {why_not_short}",
            )
            difficulty = 3 if tab.is_extension(code) else (1 if len(bare(code)) <= 4 else 2)
            item = make_item(
                rng,
                item_id=f"icd.code.{slug(code)}",
                topic=TOPIC_CODES,
                difficulty=difficulty,
                prompt=f"Which ICD-10-CM code is described as: {desc}?",
                correct=code,
                distractors=[c for c, _ in others],
                explanation=explanation,
                reference=f"{TABULAR}: {code}",
                billable=True,
            )
            if self.out.add(item):
                made += 1
                self.used_answers.add(code)
        progress(f"family 1 (description -> code): {made} items")

    # -- family 2: code -> description ---------------------------------------------------
    def family_desc(self) -> None:
        tab = self.tab
        rng = self.rng("desc")
        pool = [
            c
            for c in tab.codes
            if tab.billable(c)
            and tab.unique_desc(c)
            and c not in self.used_answers
            and len(tab.desc[c]) <= MAX_CHOICE
            and tab.known_text(tab.desc[c])
        ]
        made = 0
        for code in round_robin(self.by_chapter(rng, pool)):
            if made >= TARGET_DESC:
                break
            desc = tab.desc[code]
            texts = {normalise_text(desc)}
            others: list[tuple[str, str]] = []
            for candidate, why in self.related(code, rng):
                text = tab.desc[candidate]
                key = normalise_text(text)
                if key in texts or len(text) > MAX_CHOICE or not tab.known_text(text):
                    continue
                texts.add(key)
                others.append((candidate, why))
                if len(others) == 3:
                    break
            if len(others) < 3:
                continue
            listing = " ".join(f"{quote(tab.desc[c], 160)} is {c} ({why})." for c, why in others)
            explanation = fit(
                f"{code} is officially {quote(desc)}. Reading it left to right: "
                f"{self.chain(code)}. The other choices describe neighbouring codes: {listing}",
                f"{code} is officially {quote(desc)}. The other choices describe neighbouring "
                f"codes: {listing}",
            )
            item = make_item(
                rng,
                item_id=f"icd.desc.{slug(code)}",
                topic=TOPIC_CODES,
                difficulty=1 if len(bare(code)) <= 4 else 2,
                prompt=f"What does ICD-10-CM code {code} describe?",
                correct=desc,
                distractors=[tab.desc[c] for c, _ in others],
                explanation=explanation,
                reference=f"{TABULAR}: {code}",
            )
            if self.out.add(item):
                made += 1
                self.used_answers.add(code)
        progress(f"family 2 (code -> description): {made} items")

    # -- family 3: chapter and block ---------------------------------------------------
    def chapter_distractors(
        self, chapter: Chapter, letter: str, rng: random.Random
    ) -> list[Chapter]:
        tab = self.tab
        numbers = [c.number for c in tab.chapters]
        index = numbers.index(chapter.number)
        same_letter = [
            c for c in tab.chapters if c is not chapter and letter in (c.span[:1], c.span[4:5])
        ]
        near = [tab.chapters[i] for i in (index - 1, index + 1) if 0 <= i < len(tab.chapters)]
        rest = shuffled(rng, [c for c in tab.chapters if c is not chapter])
        result: list[Chapter] = []
        for candidate in [*same_letter, *shuffled(rng, near), *rest]:
            if candidate not in result and candidate is not chapter:
                result.append(candidate)
        return result[:3]

    def family_chapter(self) -> None:
        tab = self.tab
        rng = self.rng("chapter")
        pool = [
            c
            for c in tab.codes
            if tab.known(c)
            and tab.unique_desc(c)
            and len(tab.desc[c]) <= 300
            and (len(c) == 3 or tab.billable(c))
        ]
        made = 0
        for code in round_robin(self.by_chapter(rng, pool)):
            if made >= TARGET_CHAPTER:
                break
            chapter = tab.chapter_by_number[tab.chapter_of[code]]
            others = self.chapter_distractors(chapter, code[0], rng)
            letter_note = ""
            sharing = [c for c in tab.chapters if code[0] in (c.span[:1], c.span[4:5])]
            if len(sharing) > 1:
                spans = " and ".join(f"chapter {c.number} ({c.span})" for c in sharing)
                letter_note = (
                    f" The first letter alone does not decide it: {code[0]} codes are split "
                    f"between {spans}, so the characters after the letter matter."
                )
            why_not = "; ".join(f"chapter {c.number} covers {c.span}" for c in others)
            explanation = (
                f"{code} falls within {chapter.span}, the range of chapter {chapter.number}, "
                f"{quote(chapter.title)}.{letter_note} The others do not hold it: {why_not}."
            )
            item = make_item(
                rng,
                item_id=f"icd.chapter.{slug(code)}",
                topic=TOPIC_STRUCTURE,
                difficulty=2 if letter_note else 1,
                prompt=(
                    f"Which chapter of the ICD-10-CM Tabular List contains {code} "
                    f"({tab.desc[code]})?"
                ),
                correct=chapter.choice,
                distractors=[c.choice for c in others],
                explanation=explanation,
                reference=f"{TABULAR}: chapter {chapter.number} ({chapter.span})",
            )
            if self.out.add(item):
                made += 1
        progress(f"family 3a (chapter): {made} items")

    def family_block(self) -> None:
        tab = self.tab
        rng = self.rng("block")
        blocks = [b for b in tab.blocks if tab.known_text(b.choice)]
        usable = {b.name for b in blocks}
        by_block: dict[str, list[str]] = defaultdict(list)
        for code in tab.codes:
            if (
                tab.block_of[code] in usable
                and tab.known(code)
                and tab.unique_desc(code)
                and len(tab.desc[code]) <= 300
                and (len(code) == 3 or tab.billable(code))
            ):
                by_block[tab.block_of[code]].append(code)
        groups = [shuffled(rng, by_block[b.name]) for b in blocks if by_block[b.name]]
        order = shuffled(rng, groups)
        made = 0
        for code in round_robin(order):
            if made >= TARGET_BLOCK:
                break
            block = tab.block_by_name[tab.block_of[code]]
            category = code[:3]
            same_chapter = [b for b in blocks if b.chapter == block.chapter and b is not block]
            index = [b.name for b in blocks].index(block.name)
            near = [blocks[i] for i in (index - 1, index + 1) if 0 <= i < len(blocks)]
            candidates = [
                *shuffled(rng, [b for b in near if b is not block]),
                *shuffled(rng, same_chapter),
                *shuffled(rng, [b for b in blocks if b is not block]),
            ]
            others: list[Block] = []
            for candidate in candidates:
                if candidate in others or candidate is block or candidate.covers(category):
                    continue
                others.append(candidate)
                if len(others) == 3:
                    break
            chapter = tab.chapter_by_number[block.chapter]
            why_not = "; ".join(f"{b.name} is {quote(b.title)}" for b in others)
            belongs = (
                f"{code} is a category in block {block.name}"
                if code == category
                else f"{code} belongs to category {category}, which sits in block {block.name}"
            )
            explanation = (
                f"{belongs}, "
                f"{quote(block.title)}, in chapter {chapter.number} ({chapter.span}). "
                f"The other ranges do not include {category}: {why_not}."
            )
            item = make_item(
                rng,
                item_id=f"icd.block.{slug(code)}",
                topic=TOPIC_STRUCTURE,
                difficulty=2,
                prompt=(
                    f"Which block (code range) of the ICD-10-CM Tabular List contains {code} "
                    f"({tab.desc[code]})?"
                ),
                correct=block.choice,
                distractors=[b.choice for b in others],
                explanation=explanation,
                reference=f"{TABULAR}: block {block.name}",
            )
            if self.out.add(item):
                made += 1
        progress(f"family 3b (block): {made} items")

    # -- family 4: 7th characters ------------------------------------------------------
    def family_seventh(self) -> None:
        tab = self.tab
        rng = self.rng("seventh")
        definers = [c for c in tab.codes if tab.own_seventh_definitions(c)]
        extensions: dict[str, list[str]] = defaultdict(list)
        for code in tab.codes:
            if tab.is_extension(code) and tab.billable(code):
                for holder in tab.lineage[code]:
                    if tab.own_seventh_definitions(holder):
                        extensions[holder].append(code)
                        break
        # Many definers share one table (the same 4 eye lateralities under 25 diabetes
        # subcategories): quotas go per table, spread over its definers, not per definer.
        tables: dict[tuple[tuple[str, str], ...], list[str]] = {}
        skipped = 0
        for definer in definers:
            table = tab.own_seventh_definitions(definer)
            # A definition the library joined with "/" (an XML note appended) is left out.
            usable = {k: clean(v) for k, v in table.items() if "/" not in v and clean(v)}
            if len({normalise_text(v) for v in usable.values()}) < 4 or not extensions[definer]:
                skipped += 1
                continue
            tables.setdefault(tuple(sorted(usable.items())), []).append(definer)
        made = 0
        for signature, members in tables.items():
            usable = dict(signature)
            keys = sorted(usable)
            quota = min(SEVENTH_PER_DEFINER * len(members), SEVENTH_PER_TABLE)
            plans: list[tuple[str, list[str]]] = []
            for definer in shuffled(rng, members):
                by_char: dict[str, list[str]] = defaultdict(list)
                for code in extensions[definer]:
                    by_char[bare(code)[-1]].append(code)
                chars = shuffled(rng, [k for k in keys if by_char[k]])
                plans.append((definer, [rng.choice(by_char[k]) for k in chars]))
            picked = 0
            used_parents: set[str] = set()
            for code in round_robin([codes for _, codes in plans]):
                if picked >= quota:
                    break
                definer = next(d for d, codes in plans if code in codes)
                parent = tab.lineage[code][0]
                if parent in used_parents:
                    continue
                item = self.seventh_item(rng, code, definer, usable, keys)
                if item is not None and self.out.add(item):
                    made += 1
                    picked += 1
                    used_parents.add(parent)
        progress(
            f"family 4 (7th characters): {made} items from {len(tables)} distinct tables "
            f"({skipped} of {len(definers)} defining codes have fewer than 4 usable meanings)"
        )

    def seventh_item(
        self,
        rng: random.Random,
        code: str,
        definer: str,
        usable: dict[str, str],
        keys: list[str],
    ) -> Item | None:
        tab = self.tab
        char = bare(code)[-1]
        meaning = usable[char]
        taken = {normalise_text(meaning)}
        others: list[str] = []
        for other in shuffled(rng, [k for k in keys if k != char]):
            key = normalise_text(usable[other])
            if key not in taken and len(usable[other]) <= MAX_CHOICE:
                taken.add(key)
                others.append(other)
            if len(others) == 3:
                break
        if len(others) < 3:
            return None
        parent = tab.lineage[code][0]
        level = "category" if len(definer) == 3 else "subcategory"
        filler = ", the placeholder X" if len(bare(parent)) < 6 else ""
        prompt = (
            f"{code} is built from {parent} ({tab.desc[parent]}){filler} and a 7th character. "
            f'What does the 7th character "{char}" mean in this code?'
        )
        listing = "; ".join(f"{k} = {quote(usable[k])}" for k in others)
        explanation = fit(
            f"The Tabular List defines the 7th characters for {level} {definer} "
            f"({tab.desc[definer]}), and there {char} = {quote(meaning)}. The other choices are "
            f"the same table's meanings for other characters: {listing}. So the full "
            f"description of {code} is {quote(tab.desc[code])}."
        )
        return make_item(
            rng,
            item_id=f"icd.seventh.{slug(code)}",
            topic=TOPIC_CONVENTIONS,
            difficulty=2,
            prompt=prompt,
            correct=meaning,
            distractors=[usable[k] for k in others],
            explanation=explanation,
            reference=f"{TABULAR}: {level} {definer}, 7th characters",
        )

    # -- family 5: Excludes1 vs Excludes2 ----------------------------------------------
    def note_pairs(self, kind: str) -> list[Note]:
        tab = self.tab
        found: list[Note] = []
        for holder in tab.codes:
            if not tab.known(holder) or len(tab.desc[holder]) > 200:
                continue
            for text in tab.notes(kind, holder):
                target = single_code(text)
                if (
                    target is None
                    or FRAGMENT.match(text)  # the library split a sentence: "or radiation..."
                    or target not in tab.desc
                    or not tab.known(target)
                    or target == holder
                    or target.startswith(holder)
                    or holder.startswith(target)
                ):
                    continue
                found.append(Note(holder, target, clean(text)))
        return found

    def family_excludes(self) -> None:
        tab = self.tab
        for kind in ("excludes1", "excludes2"):
            rng = self.rng(kind)
            notes = shuffled(rng, self.note_pairs(kind))
            label = "Excludes1" if kind == "excludes1" else "Excludes2"
            used_holders: set[str] = set()
            used_targets: set[str] = set()
            made = 0
            for note in notes:
                if made >= TARGET_EXCLUDES:
                    break
                holder, target = note.holder, note.target
                if tab.category(holder) in used_holders or target in used_targets:
                    continue
                subject = holder if tab.leaf[holder] else f"a code from {holder}"
                apart = (
                    f"Not together: {target} and {subject} exclude each other, so only one "
                    "is reported"
                )
                both = (
                    f"Both allowed: {subject} does not include {target}, so both are "
                    "reported when both are present"
                )
                paired = (
                    f"Always paired: {target} is added as a secondary code whenever "
                    f"{subject} is reported"
                )
                ordered = f"Sequencing only: {target} is reported first and {subject} second"
                if kind == "excludes1":
                    correct, wrong = apart, [both, paired, ordered]
                    meaning = (
                        'An Excludes1 note means "not coded here": the condition it names is '
                        "not reported together with the code above the note, because the two "
                        "are mutually exclusive as classified (for example a congenital and an "
                        "acquired form of the same condition); code the one the documentation "
                        "supports. The official guidelines allow one narrow exception: when the "
                        "two conditions are unrelated to each other, both may be reported. "
                        "Reporting both whenever both are present is what an Excludes2 note "
                        "allows."
                    )
                else:
                    correct, wrong = both, [apart, paired, ordered]
                    meaning = (
                        'An Excludes2 note means "not included here": the condition it names '
                        "is not part of what the code above the note represents, but a patient "
                        "can have both at the same time, so when both are documented both codes "
                        "may be reported. Never reporting them together is what an Excludes1 "
                        "note means."
                    )
                explanation = fit(
                    f"{meaning} Here the note at {holder} ({quote(tab.desc[holder])}) names "
                    f"{target} ({quote(tab.desc[target])}). Always adding a second code is what "
                    'a "Use additional code" note asks for, and putting a code first is what a '
                    '"Code first" note asks for; an Excludes note does neither.'
                )
                item = make_item(
                    rng,
                    item_id=f"icd.{kind}.{slug(holder)}.{slug(target)}",
                    topic=TOPIC_CONVENTIONS,
                    difficulty=2,
                    prompt=(
                        f"In the ICD-10-CM Tabular List, {holder} ({tab.desc[holder]}) has an "
                        f"{label} note that reads: {note.text}. What does that note mean for "
                        f"reporting {subject} and {target} together?"
                    ),
                    correct=correct,
                    distractors=wrong,
                    explanation=explanation,
                    reference=(f"{TABULAR}: {holder}, {label} note naming {target}; {CONVENTIONS}"),
                )
                if self.out.add(item):
                    made += 1
                    used_holders.add(tab.category(holder))
                    used_targets.add(target)
            progress(f"family 5 ({label}): {made} items")

    # -- family 6: code first / use additional code ------------------------------------
    def family_sequence(self) -> None:
        tab = self.tab
        for kind in ("codefirst", "useadditional"):
            rng = self.rng(kind)
            label = "Code first" if kind == "codefirst" else "Use additional code"
            notes = self.note_pairs(kind)
            per_target: Counter[str] = Counter()
            per_category: Counter[str] = Counter()
            made = 0
            for note in shuffled(rng, notes):
                if made >= TARGET_SEQUENCE:
                    break
                holder, target = note.holder, note.target
                if per_target[target] >= 2 or per_category[tab.category(holder)] >= 2:
                    continue
                if not tab.billable(target):
                    continue
                own = tab.inherited_note(kind, holder)
                if tab.billable(holder):
                    coded = holder
                else:
                    # a complete code under the holder that inherits this very note
                    under = [
                        c
                        for c in tab.leaves_under(holder)
                        if tab.billable(c)
                        and tab.inherited_note(kind, c) == own
                        and len(tab.desc[c]) <= 200
                    ]
                    if not under:
                        continue
                    coded = rng.choice(under)
                if coded == target:
                    continue
                first, second = (target, coded) if kind == "codefirst" else (coded, target)
                where = (
                    f'{coded} ({tab.desc[coded]}) has a "{label}" note'
                    if coded == holder
                    else f'{coded} ({tab.desc[coded]}) falls under the "{label}" note at {holder}'
                )
                prompt = (
                    f"{where}, and that note names: {note.text}. When both conditions are "
                    f"documented and coded, how are {coded} and {target} sequenced?"
                )
                correct = f"{first} first, then {second}"
                wrong = [
                    f"{second} first, then {first}",
                    f"{coded} only: {target} is not reported with it",
                    f"{target} only: it replaces {coded}",
                ]
                if kind == "codefirst":
                    rule = (
                        'A "Code first" note sits at a code that is listed after the condition '
                        "the note names (usually the underlying cause). The named condition is "
                        f"reported and sequenced first: {target} ({quote(tab.desc[target])}), "
                        f"then {coded}."
                    )
                else:
                    rule = (
                        'A "Use additional code" note asks for a second code that adds '
                        "information to the code carrying the note, which is sequenced first: "
                        f"{coded}, then {target} ({quote(tab.desc[target])})."
                    )
                explanation = fit(
                    f"{rule} The note adds a code rather than replacing one, so reporting only "
                    "one of the two leaves out information the note asks for; reversing the "
                    "order goes against the note."
                )
                slug_kind = "codefirst" if kind == "codefirst" else "useadditional"
                item = make_item(
                    rng,
                    item_id=f"icd.{slug_kind}.{slug(coded)}.{slug(target)}",
                    topic=TOPIC_CONVENTIONS,
                    difficulty=3,
                    prompt=prompt,
                    correct=correct,
                    distractors=wrong,
                    explanation=explanation,
                    reference=f'{TABULAR}: {holder}, "{label}" note naming {target}; {CONVENTIONS}',
                )
                if self.out.add(item):
                    made += 1
                    per_target[target] += 1
                    per_category[tab.category(holder)] += 1
            progress(f"family 6 ({label}): {made} items from {len(notes)} notes")

    # -- family 7: complete code vs header, placeholder X --------------------------------
    def needs(self, header: str) -> str:
        """What a header still needs, from its first child."""
        tab = self.tab
        child = tab.children[header][0]
        size = len(bare(child))
        if tab.is_extension(child):
            if len(bare(header)) < 6:
                return f"it needs the placeholder X and a 7th character, as in {child}"
            return f"it needs a 7th character, as in {child}"
        return f"it needs a {ordinal(size)} character, as in {child}"

    def family_billable(self) -> None:
        tab = self.tab
        rng = self.rng("billable")
        categories = []
        for code in tab.codes:
            if len(code) != 3 or not tab.known(code) or len(tab.desc[code]) > 200:
                continue
            headers = [h for h in tab.headers_under(code) if tab.known(h)]
            if len(headers) >= 3 and any(tab.billable(c) for c in tab.leaves_under(code)):
                categories.append(code)
        made = 0
        for category in round_robin(self.by_chapter(rng, categories)):
            if made >= TARGET_BILLABLE:
                break
            leaves = [c for c in tab.leaves_under(category) if tab.billable(c)]
            answer = rng.choice(leaves)
            headers = [h for h in tab.headers_under(category) if tab.known(h)]
            on_path = [h for h in tab.lineage[answer] if h in headers]
            picks = on_path[:1]  # the answer's own parent: one character short
            for header in shuffled(rng, headers):
                if header not in picks:
                    picks.append(header)
            others = sorted(picks[:3], key=tab.position.__getitem__)
            reasons = " ".join(f"{h} is a header: {self.needs(h)}." for h in others)
            explanation = fit(
                f"{answer} ({quote(tab.desc[answer])}) has no codes below it, so it is complete "
                f"and can be reported as written. The others are headers that still need more "
                f"characters before they can be reported. {reasons}"
            )
            item = make_item(
                rng,
                item_id=f"icd.billable.{slug(category)}",
                topic=TOPIC_CONVENTIONS,
                difficulty=2,
                prompt=(
                    f"These codes all come from category {category} ({tab.desc[category]}). "
                    "Which one is a complete code that can be reported as written?"
                ),
                correct=answer,
                distractors=others,
                explanation=explanation,
                reference=f"{TABULAR}: category {category}",
                billable=True,
            )
            if self.out.add(item):
                made += 1
        progress(f"family 7a (complete code vs header): {made} items")

    def misplaced(self, code: str) -> list[str]:
        """Invalid variants: the placeholder X dropped, or moved to other positions."""
        tab = self.tab
        chars = bare(code)
        placeholder = [i for i in range(3, 6) if chars[i] == "X"]
        rest = [ch for i, ch in enumerate(chars) if i not in placeholder]
        dropped = dotted("".join(rest))
        variants: list[str] = []
        count = len(placeholder)
        for positions in _combinations(range(3, 7), count):
            if list(positions) == placeholder:
                continue
            built: list[str] = []
            others = iter(rest)
            for i in range(7):
                built.append("X" if i in positions else next(others))
            variants.append(dotted("".join(built)))
        result = [dropped, *variants]
        return [v for v in result if v != code and not tab.exists(v) and not tab.known(v)]

    def family_placeholder(self) -> None:
        tab = self.tab
        rng = self.rng("placeholder")
        by_category: dict[str, list[str]] = defaultdict(list)
        for code in tab.codes:
            chars = bare(code)
            if (
                len(chars) == 7
                and tab.is_extension(code)
                and "X" in chars[3:6]
                and not code.startswith("J09")
                and tab.billable(code)
                and tab.unique_desc(code)
                and code not in self.used_answers
            ):
                by_category[tab.category(code)].append(code)
        picks = [rng.choice(by_category[c]) for c in sorted(by_category)]
        made = 0
        for code in round_robin(self.by_chapter(rng, picks)):
            if made >= TARGET_PLACEHOLDER:
                break
            variants = self.misplaced(code)
            if len(variants) < 3:
                continue
            dropped, moved = variants[0], shuffled(rng, variants[1:])
            if "X" in dropped:
                continue
            others = [dropped, *moved[:2]]
            chars = bare(code)
            spots = [str(i + 1) for i in range(3, 6) if chars[i] == "X"]
            where = " and ".join(spots)
            plural = "s" if len(spots) > 1 else ""
            explanation = fit(
                f"{code} ({quote(tab.desc[code])}) carries the placeholder X in position{plural} "
                f"{where}: X holds a place that has no character of its own here, so every later "
                f"character keeps its defined position and the 7th character "
                f"{chars[-1]} is really the 7th. {dropped} drops the X, so the 7th character is "
                f"no longer 7th; {others[1]} and {others[2]} put X in the wrong "
                "place. None of those three is a code in the Tabular List, so none can be "
                "reported."
            )
            item = make_item(
                rng,
                item_id=f"icd.placeholder.{slug(code)}",
                topic=TOPIC_CONVENTIONS,
                difficulty=2,
                prompt=f"Which is the correctly built ICD-10-CM code for: {tab.desc[code]}?",
                correct=code,
                distractors=others,
                explanation=explanation,
                reference=f"{TABULAR}: {code}",
                billable=True,
                teaches_invalid_code=True,
            )
            if self.out.add(item):
                made += 1
        progress(f"family 7b (placeholder X): {made} items")


def _combinations(values: Iterable[int], size: int) -> Iterator[tuple[int, ...]]:
    pool = tuple(values)
    if size == 0:
        yield ()
        return
    for index, first in enumerate(pool):
        for rest in _combinations(pool[index + 1 :], size - 1):
            yield (first, *rest)


def meta() -> PackMeta:
    return PackMeta(
        id="icd10cm-generated",
        title="ICD-10-CM code set drills (generated)",
        version=1,
        origin="generated",
        source="Generated by questions/generators/icd10cm_pack.py from the ICD-10-CM Tabular List",
        licence="ICD-10-CM: public domain (CDC/NCHS). Items: CC BY 4.0",
        release=ICD10CM_RELEASE,
        description=(
            "Description to code, code to description, chapters and blocks, 7th characters, "
            "Excludes1/Excludes2, Code first / Use additional code, complete codes and the "
            "placeholder X, all built from the Tabular List."
        ),
    )


def build(tab: Tabular | None = None) -> PackFile:
    """The whole pack, identical on every run."""
    tabular = tab if tab is not None else Tabular()
    generator = Generator(tabular)
    generator.family_code()
    generator.family_desc()
    generator.family_chapter()
    generator.family_block()
    generator.family_seventh()
    generator.family_excludes()
    generator.family_sequence()
    generator.family_billable()
    generator.family_placeholder()
    rejected = ", ".join(f"{n} {why}" for why, n in sorted(generator.out.rejected.items()))
    progress(f"candidates rejected by the validator's gates: {rejected or 'none'}")
    items = generator.out.items
    problems = check_items(items)
    if problems:
        raise RuntimeError(f"generated items fail validation: {problems[:5]}")
    return PackFile(pack=meta(), items=items)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default {OUT})")
    args = parser.parse_args(argv)
    started = time.monotonic()
    progress("Reading ICD-10-CM (April 2026) from simple-icd-10-cm ...")
    tab = Tabular()
    progress(f"{len(tab.codes):,} codes read in {time.monotonic() - started:.1f} s")
    pack = build(tab)
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    dump_pack(pack, out)
    elapsed = time.monotonic() - started
    progress(f"Wrote {len(pack.items):,} items to {out} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
