"""Quality gates every pack passes before it is imported or shipped.

Each problem is reported with the location of the offending field inside the
pack, `("items", 3, "choices", 2)`, which the loader turns into a file, line and
field name. The gates: per-kind rules, known topics, duplicate ids, exact and
near-duplicate prompts, the answer given away by its prompt, codes that do not
exist in the shipped release, and lengths that fit Discord and Slack.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from difflib import SequenceMatcher

from questions.answers import normalise as normalise_code
from questions.answers import split_codes, structure_error
from questions.codes import hcpcs, icd10cm
from questions.schema import LETTERS, Item, Kind
from questions.topics import is_known

Location = tuple[str | int, ...]
Problem = tuple[Location, str]

NEAR_DUPLICATE = 0.9
MAX_BODY = 2500  # prompt plus choices: shown in one message body
MAX_REFERENCE = 1000  # a Discord embed field holds 1,024
MAX_FLASHCARD_ANSWER = 1000
CODE_TOPICS = ("icd10cm", "hcpcs", "case-coding", "risk-adjustment")
# In free text a code needs a digit among its first three characters (not NEC, NOS, CPT).
_ICD_IN_TEXT = re.compile(r"\b[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:\.[0-9A-Z]{1,4})?\b")
_HCPCS_IN_TEXT = re.compile(r"\b[A-CEGHJ-MP-V][0-9]{4}\b")
_WORDS = re.compile(r"[a-z0-9]+")


def normalise_text(text: str) -> str:
    """Lower case, words only: markup and punctuation do not make a prompt different."""
    return " ".join(_WORDS.findall(text.lower()))


def _kind_rules(item: Item) -> Iterator[tuple[str, str]]:
    if item.kind is Kind.MCQ:
        if len(item.choices) != 4:
            yield "choices", f"an mcq needs exactly 4 choices, found {len(item.choices)}"
        elif len({normalise_text(choice) for choice in item.choices}) != 4:
            yield "choices", "the 4 choices must be different"
        if not isinstance(item.answer, str) or item.answer.strip().upper() not in LETTERS:
            yield "answer", f"an mcq answer is a letter A-D, found {item.answer!r}"
    elif item.kind is Kind.TRUE_FALSE:
        if not isinstance(item.answer, bool):
            yield "answer", f"a true_false answer is true or false, found {item.answer!r}"
        if item.choices:
            yield "choices", "a true_false item has no choices"
    else:
        if not isinstance(item.answer, str) or not item.answer.strip():
            yield "answer", "the answer must be non-empty text"
        if item.choices:
            yield "choices", f"a {item.kind.value} item has no choices"
    if item.kind is Kind.CODE_ENTRY and item.code_set is None:
        yield "code_set", "a code_entry item needs code_set: icd10cm, hcpcs or hcpcs-modifier"
    if item.kind is not Kind.FLASHCARD and not item.explanation:
        yield "explanation", "an explanation is required (why the answer is right)"
    if not is_known(item.topic):
        yield "topic", f"unknown topic {item.topic!r} (see questions/topics.yaml)"


def _length_rules(item: Item) -> Iterator[tuple[str, str]]:
    body = len(item.prompt) + sum(len(choice) + 8 for choice in item.choices)
    if body > MAX_BODY:
        yield "prompt", f"prompt and choices are {body} characters; the limit is {MAX_BODY}"
    if len(item.reference) > MAX_REFERENCE:
        yield "reference", f"{len(item.reference)} characters; the limit is {MAX_REFERENCE}"
    if item.kind is Kind.FLASHCARD and len(item.answer_text) > MAX_FLASHCARD_ANSWER:
        yield "answer", f"{len(item.answer_text)} characters; the limit is {MAX_FLASHCARD_ANSWER}"


def _answer_given_away(item: Item) -> Iterator[tuple[str, str]]:
    if item.kind is Kind.TRUE_FALSE:
        return
    answer = normalise_text(item.correct_text)
    if len(answer) < 4:
        return
    if re.search(rf"\b{re.escape(answer)}\b", normalise_text(item.prompt)):
        yield "prompt", f"the prompt contains its own answer ({item.correct_text!r})"


def _code_rules(item: Item) -> Iterator[tuple[Location, str]]:
    """Every code in an answer, accepted answer or choice exists in the shipped release."""
    if item.teaches_invalid_code:
        return
    if item.kind is Kind.CODE_ENTRY and item.code_set is not None:
        answers = [("answer",), *[("accepted", i) for i in range(len(item.accepted))]]
        texts = [item.answer_text, *item.accepted]
        for location, text in zip(answers, texts, strict=True):
            yield from _typed_codes(item, location, text)
        return
    if not item.topic.startswith(CODE_TOPICS):
        return
    fields: list[tuple[Location, str]] = [(("choices", i), c) for i, c in enumerate(item.choices)]
    if item.kind is not Kind.MCQ:
        fields.append((("answer",), item.answer_text))
    correct = (
        LETTERS.index(item.answer_text)
        if item.kind is Kind.MCQ and item.answer_text in LETTERS
        else -1
    )
    for location, text in fields:
        is_answer = location == ("answer",) or location == ("choices", correct)
        for code in _ICD_IN_TEXT.findall(text):
            entry = icd10cm().get(code)
            if entry is None:
                yield location, f"{code} is not a code in {icd10cm().release.split(' (')[0]}"
            elif item.billable and is_answer and entry.kind != "B":
                yield location, f"{code} is a header, but the item says its answer is billable"
        for code in _HCPCS_IN_TEXT.findall(text):
            if code not in hcpcs():
                yield location, f"{code} is not a code in {hcpcs().release.split(' (')[0]}"


def _typed_codes(item: Item, location: Location, text: str) -> Iterator[tuple[Location, str]]:
    code_set = item.code_set or ""
    for piece in split_codes(text, code_set):
        code = normalise_code(piece, code_set)
        problem = structure_error(piece.upper(), code, code_set)
        if problem:
            yield location, problem
            continue
        known = icd10cm() if code_set == "icd10cm" else hcpcs()
        entry = known.get(code)
        if entry is None:
            yield location, f"{code} is not a code in {known.release.split(' (')[0]}"
        elif code_set == "icd10cm" and item.billable and entry.kind != "B":
            yield location, f"{code} is a header, but the item says its answer is billable"


def check_item(item: Item, index: int) -> list[Problem]:
    """Problems within one item."""
    problems: list[Problem] = []
    for rules in (_kind_rules, _length_rules, _answer_given_away):
        problems.extend((("items", index, field), message) for field, message in rules(item))
    problems.extend((("items", index, *where), message) for where, message in _code_rules(item))
    return problems


def check_items(
    items: Sequence[Item], seen_ids: dict[str, str] | None = None, source: str = ""
) -> list[Problem]:
    """Every gate over a pack's items; `seen_ids` (id -> where) spans several files,
    `source` names this one in what it records there."""
    problems: list[Problem] = []
    seen = seen_ids if seen_ids is not None else {}
    prompts: dict[str, str] = {}
    by_answer: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for index, item in enumerate(items):
        problems.extend(check_item(item, index))
        if item.id in seen:
            problems.append(
                (("items", index, "id"), f"duplicate item id {item.id!r} ({seen[item.id]})")
            )
        else:
            seen[item.id] = (
                f"first in {source} item {index}" if source else f"first at item {index}"
            )
        prompt = normalise_text(item.prompt)
        if prompt in prompts:
            problems.append(
                (("items", index, "prompt"), f"the same prompt as item {prompts[prompt]!r}")
            )
            continue
        prompts[prompt] = item.id
        by_answer[normalise_text(item.correct_text)].append((index, prompt))
    problems.extend(_near_duplicates(items, by_answer))
    return problems


def _near_duplicates(
    items: Sequence[Item], by_answer: dict[str, list[tuple[int, str]]]
) -> Iterator[Problem]:
    """Prompts at least 90% alike with the same right answer teach the same thing twice."""
    for group in by_answer.values():
        for position, (index, prompt) in enumerate(group):
            for other_index, other in group[:position]:
                matcher = SequenceMatcher(None, other, prompt, autojunk=False)
                if (
                    matcher.real_quick_ratio() < NEAR_DUPLICATE
                    or matcher.quick_ratio() < NEAR_DUPLICATE
                ):
                    continue
                if matcher.ratio() >= NEAR_DUPLICATE:
                    yield (
                        ("items", index, "prompt"),
                        f"nearly the same prompt and answer as item {items[other_index].id!r}",
                    )
                    break
