"""The generated ICD-10-CM pack: reproducible, loadable, and true to the Tabular List.

These tests read the real code set through simple-icd-10-cm (a dev dependency; the
import costs ~1.5 s, so it happens once per module).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from questions.codes import ICD10CM_RELEASE
from questions.generators import icd10cm_pack
from questions.loader import LoadedPack, load_pack
from questions.schema import LETTERS, Item, Kind
from questions.validate import normalise_text

cm: Any = pytest.importorskip("simple_icd_10_cm")

PACK = icd10cm_pack.OUT
TOPICS = {"icd10cm.codes", "icd10cm.structure", "icd10cm.conventions"}
MINIMUM_PER_FAMILY = {
    "icd.code.": 500,
    "icd.desc.": 400,
    "icd.chapter.": 150,
    "icd.block.": 150,
    "icd.seventh.": 100,
    "icd.excludes1.": 20,
    "icd.excludes2.": 20,
    "icd.codefirst.": 50,
    "icd.useadditional.": 50,
    "icd.billable.": 150,
    "icd.placeholder.": 80,
}


@pytest.fixture(scope="module")
def loaded() -> LoadedPack:
    return load_pack(PACK)


@pytest.fixture(scope="module")
def items(loaded: LoadedPack) -> list[Item]:
    return loaded.content.items


def family(items: list[Item], prefix: str) -> list[Item]:
    return [item for item in items if item.id.startswith(prefix)]


def code_of(item: Item) -> str:
    """The code an item is about, from its id: icd.seventh.s72-001a -> S72.001A."""
    return item.id.split(".")[2].upper().replace("-", ".")


def others(item: Item) -> list[str]:
    return [choice for choice in item.choices if choice != item.correct_text]


def clean(text: str) -> str:
    return " ".join(str(text).split())


def test_generator_reproduces_the_committed_file(tmp_path: Path) -> None:
    out = tmp_path / "icd10cm-generated.yaml"
    assert icd10cm_pack.main(["--out", str(out)]) == 0
    assert out.read_bytes() == PACK.read_bytes(), (
        "the committed pack is stale: run python -m questions.generators.icd10cm_pack"
    )


def test_pack_loads_with_its_metadata(loaded: LoadedPack, items: list[Item]) -> None:
    meta = loaded.content.pack
    assert meta.id == "icd10cm-generated"
    assert meta.origin == "generated"
    assert meta.release == ICD10CM_RELEASE
    assert len(items) >= 2000
    assert len({item.id for item in items}) == len(items)


def test_every_family_is_present(items: list[Item]) -> None:
    for prefix, minimum in MINIMUM_PER_FAMILY.items():
        assert len(family(items, prefix)) >= minimum, prefix
    assert all(item.id.startswith(tuple(MINIMUM_PER_FAMILY)) for item in items)


def test_items_are_four_choice_questions_for_every_exam(items: list[Item]) -> None:
    for item in items:
        assert item.kind is Kind.MCQ, item.id
        assert len(item.choices) == 4, item.id
        assert item.answer_text in LETTERS, item.id
        assert item.exams == ["CPC", "COC", "CIC", "CRC", "CCA", "CCS"], item.id
        assert item.code_set_year == 2026, item.id
        assert item.topic in TOPICS, item.id
        assert item.reference.startswith("ICD-10-CM Tabular List, April 2026: "), item.id
    letters = {item.answer_text for item in items}
    assert letters == set(LETTERS)


def test_no_distractor_equals_the_answer(items: list[Item]) -> None:
    for item in items:
        answer = normalise_text(item.correct_text)
        assert [normalise_text(c) for c in item.choices].count(answer) == 1, item.id
        assert len({normalise_text(c) for c in item.choices}) == 4, item.id


def test_correct_codes_exist_and_billable_answers_are_billable(items: list[Item]) -> None:
    checked = 0
    for item in items:
        for code in icd10cm_pack.CODE_IN_TEXT.findall(item.correct_text):
            assert cm.is_valid_item(code), f"{item.id}: {code}"
            checked += 1
        if item.billable:
            code = item.correct_text
            assert cm.is_valid_item(code), item.id
            assert cm.is_leaf(code), f"{item.id}: {code} is not billable"
    assert checked >= 1500


def test_description_to_code_items_match_the_tabular(items: list[Item]) -> None:
    for item in family(items, "icd.code."):
        code = item.correct_text
        assert code == code_of(item)
        assert item.billable
        description = clean(cm.get_description(code))
        assert item.prompt == f"Which ICD-10-CM code is described as: {description}?"
        for other in others(item):
            assert cm.is_valid_item(other), f"{item.id}: {other}"
            # a distractor with the same wording would be a second right answer
            assert clean(cm.get_description(other)) != description, f"{item.id}: {other}"


def test_code_to_description_items_match_the_tabular(items: list[Item]) -> None:
    for item in family(items, "icd.desc."):
        code = code_of(item)
        assert item.prompt == f"What does ICD-10-CM code {code} describe?"
        assert item.correct_text == clean(cm.get_description(code)), item.id


def test_chapter_and_block_answers_contain_the_code(items: list[Item]) -> None:
    for item in family(items, "icd.chapter."):
        chapter = cm.get_ancestors(code_of(item))[-1]
        assert item.correct_text.startswith(f"Chapter {chapter}: "), item.id
        assert all(not other.startswith(f"Chapter {chapter}: ") for other in others(item))
    for item in family(items, "icd.block."):
        block = cm.get_ancestors(code_of(item))[-2]
        assert item.correct_text.startswith(f"{block}: "), item.id
        assert all(not other.startswith(f"{block}: ") for other in others(item))


def test_seventh_character_meanings_match_the_tabular(items: list[Item]) -> None:
    for item in family(items, "icd.seventh."):
        code = code_of(item)
        character = code.replace(".", "")[-1]
        assert len(code.replace(".", "")) == 7 and cm.is_leaf(code), item.id
        table = {
            k: clean(v) for k, v in cm.get_seven_chr_def(code, search_in_ancestors=True).items()
        }
        assert item.correct_text == table[character], item.id
        assert f'7th character "{character}"' in item.prompt
        for other in others(item):
            assert other in table.values() and other != table[character], item.id


def test_excludes_items_name_a_real_note(items: list[Item]) -> None:
    for kind, notes in (("excludes1", cm.get_excludes1), ("excludes2", cm.get_excludes2)):
        for item in family(items, f"icd.{kind}."):
            holder, target = (part.upper().replace("-", ".") for part in item.id.split(".")[2:])
            assert any(f"({target})" in note for note in notes(holder)), item.id
            expected = "Not together" if kind == "excludes1" else "Both allowed"
            assert item.correct_text.startswith(expected), item.id


def test_sequencing_items_follow_the_note(items: list[Item]) -> None:
    for kind in ("codefirst", "useadditional"):
        for item in family(items, f"icd.{kind}."):
            coded, target = (part.upper().replace("-", ".") for part in item.id.split(".")[2:])
            note = (
                cm.get_code_first(coded, search_in_ancestors=True)
                if kind == "codefirst"
                else cm.get_use_additional_code(coded, search_in_ancestors=True)
            )
            assert f"({target})" in note, item.id
            first, second = (target, coded) if kind == "codefirst" else (coded, target)
            assert item.correct_text == f"{first} first, then {second}", item.id


def test_billable_items_offer_one_complete_code_among_headers(items: list[Item]) -> None:
    for item in family(items, "icd.billable."):
        assert cm.is_leaf(item.correct_text), item.id
        for other in others(item):
            assert cm.is_valid_item(other) and not cm.is_leaf(other), f"{item.id}: {other}"


def test_placeholder_items_teach_invalid_codes_only_as_distractors(items: list[Item]) -> None:
    for item in items:
        assert item.teaches_invalid_code == item.id.startswith("icd.placeholder."), item.id
    for item in family(items, "icd.placeholder."):
        code = item.correct_text
        assert cm.is_valid_item(code) and cm.is_leaf(code) and "X" in code, item.id
        for other in others(item):
            assert not cm.is_valid_item(other), f"{item.id}: {other} is a real code"
            assert sorted(other.replace("X", "")) == sorted(code.replace("X", "")), item.id
