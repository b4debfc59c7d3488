"""The generated HCPCS Level II pack: reproducible, valid, and true to the CMS data."""

from __future__ import annotations

import csv
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from questions.codes import HCPCS_RELEASE
from questions.generators import hcpcs_pack
from questions.loader import load_pack
from questions.schema import Item, Kind, PackFile

PACK = hcpcs_pack.OUT
DATA = hcpcs_pack.DATA_DIR

pytestmark = pytest.mark.skipif(
    not (DATA / "hcpcs_codes_active.csv").exists(),
    reason=f"the CMS HCPCS extract is not at {DATA}",
)

HCPCS_TOKEN = re.compile(r"\b[A-Z][0-9]{4}\b")
CPT_MODIFIERS = {"22", "24", "25", "26", "50", "51", "52", "57", "59", "76", "77", "79", "91"}
TOPICS = {"hcpcs.sections", "hcpcs.codes", "hcpcs.modifiers"}


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def codes() -> dict[str, dict[str, str]]:
    """Every procedure code in the CMS extract (active and terminated), by code."""
    return {row["code"]: row for row in _read("hcpcs_codes.csv")}


@pytest.fixture(scope="module")
def active_codes(codes: dict[str, dict[str, str]]) -> dict[str, str]:
    return {
        code: row["long_description"] for code, row in codes.items() if row["status"] == "active"
    }


@pytest.fixture(scope="module")
def active_modifiers() -> dict[str, str]:
    rows = _read("hcpcs_modifiers.csv")
    return {row["code"]: row["long_description"] for row in rows if row["status"] == "active"}


@pytest.fixture(scope="module")
def pack() -> PackFile:
    return load_pack(PACK).content


def _family(item: Item) -> str:
    return item.id.split(".")[1]


def _subject(item: Item) -> str:
    """The code or modifier an item is about, from its id: hcpcs.code.j1100 -> J1100."""
    return item.id.split(".")[2].upper()


def test_generator_reproduces_the_committed_file(tmp_path: Path) -> None:
    out = tmp_path / "hcpcs.yaml"
    assert hcpcs_pack.main(["--out", str(out)]) == 0
    stale = "the committed pack is stale: run python -m questions.generators.hcpcs_pack"
    assert out.read_bytes() == PACK.read_bytes(), stale


def test_build_is_deterministic() -> None:
    first = hcpcs_pack.build()
    second = hcpcs_pack.build()
    assert first.model_dump() == second.model_dump()


def test_pack_loads_with_its_metadata(pack: PackFile) -> None:
    assert len(pack.items) >= 300
    meta = pack.pack
    assert meta.id == "hcpcs-generated"
    assert meta.title == "HCPCS Level II drills (generated)"
    assert meta.version == 1
    assert meta.origin == "generated"
    assert meta.release == HCPCS_RELEASE
    assert meta.licence == "HCPCS Level II: public domain (CMS). Items: CC BY 4.0"
    assert "questions/generators/hcpcs_pack.py" in meta.source


def test_every_item_is_a_well_formed_mcq(pack: PackFile) -> None:
    for item in pack.items:
        assert item.kind is Kind.MCQ, item.id
        assert len(item.choices) == 4 and len(set(item.choices)) == 4, item.id
        assert item.answer_text in "ABCD", item.id
        assert item.exams == ["CPC", "COC", "CCA", "CCS"], item.id
        assert item.code_set_year == 2025, item.id
        assert item.topic in TOPICS, item.id
        assert item.difficulty in (1, 2, 3), item.id
        assert item.reference.startswith("CMS HCPCS Level II, October 2025: "), item.id
        assert re.fullmatch(r"hcpcs\.[a-z-]+\.[a-z0-9]+", item.id), item.id
        assert item.explanation, item.id


def test_answer_positions_vary(pack: PackFile) -> None:
    positions = Counter(item.answer_text for item in pack.items)
    assert set(positions) == set("ABCD")
    assert min(positions.values()) >= len(pack.items) // 6


def test_codes_in_answers_choices_and_references_are_active(
    pack: PackFile, codes: dict[str, dict[str, str]], active_codes: dict[str, str]
) -> None:
    for item in pack.items:
        texts = [*item.choices, item.reference, item.explanation]
        for text in texts:
            for code in HCPCS_TOKEN.findall(text):
                assert code in codes, f"{item.id}: {code} is not in the CMS file"
                assert code in active_codes, f"{item.id}: {code} is not active"


def test_no_d_codes_anywhere(pack: PackFile) -> None:
    for item in pack.items:
        for text in (item.prompt, *item.choices, item.explanation, item.reference):
            assert not re.search(r"\bD[0-9]{4}\b", text, re.IGNORECASE), item.id


def test_modifiers_are_active_level_ii_modifiers(
    pack: PackFile, active_modifiers: dict[str, str]
) -> None:
    meanings = {
        hcpcs_pack.modifier_meaning(hcpcs_pack.Modifier(code, text)): code
        for code, text in active_modifiers.items()
    }
    for item in pack.items:
        if item.topic != "hcpcs.modifiers":
            continue
        subject = _subject(item)
        assert subject in active_modifiers, item.id
        assert subject not in CPT_MODIFIERS and not subject.isdigit(), item.id
        if _family(item) == "mod-find":
            for choice in item.choices:
                assert choice in active_modifiers, f"{item.id}: {choice}"
            assert item.correct_text == subject
            assert (
                item.prompt.count(
                    hcpcs_pack.modifier_meaning(
                        hcpcs_pack.Modifier(subject, active_modifiers[subject])
                    )
                )
                == 1
            )
        else:
            assert _family(item) == "mod"
            for choice in item.choices:
                assert choice in meanings, f"{item.id}: {choice!r} is no modifier's meaning"
            assert meanings[item.correct_text] == subject, item.id


def test_no_cpt_modifier_is_offered_anywhere(pack: PackFile) -> None:
    for item in pack.items:
        for choice in item.choices:
            assert choice.strip() not in CPT_MODIFIERS, f"{item.id}: {choice}"
            assert not re.fullmatch(r"[0-9]{2}", choice.strip()), f"{item.id}: {choice}"
        assert not re.search(r"\bmodifier (?:25|50|59)\b", item.prompt), item.id


MINIMUMS = {
    "code": 100,  # description -> code
    "desc": 60,  # code -> description
    "section": 17,  # letter -> meaning, one per section letter
    "section-letter": 17,  # meaning -> letter
    "section-of": 30,  # a real code's description -> its section letter
    "mod": 60,  # modifier -> meaning
    "mod-find": 60,  # meaning -> modifier
    "unit": 10,  # the amount one unit stands for
    "units-calc": 10,  # units to report for a dose
}


def test_each_family_is_present(pack: PackFile) -> None:
    families = Counter(_family(item) for item in pack.items)
    assert set(families) == set(MINIMUMS)
    for family, minimum in MINIMUMS.items():
        assert families[family] >= minimum, (family, families[family])


def test_description_to_code_items_match_the_data(
    pack: PackFile, active_codes: dict[str, str]
) -> None:
    letters = set()
    for item in (i for i in pack.items if _family(i) == "code"):
        code = _subject(item)
        assert item.correct_text == code
        assert f'"{active_codes[code]}"' in item.prompt, item.id
        assert len(active_codes[code]) <= 400, item.id
        descriptions = {active_codes[choice].lower() for choice in item.choices}
        assert len(descriptions) == 4, f"{item.id}: two choices share a description"
        same_letter = sum(choice[0] == code[0] for choice in item.choices)
        assert same_letter >= 2, item.id
        letters.add(code[0])
    assert len(letters) >= 15, sorted(letters)


def test_code_to_description_items_match_the_data(
    pack: PackFile, active_codes: dict[str, str]
) -> None:
    by_description = {text: code for code, text in active_codes.items()}
    for item in (i for i in pack.items if _family(i) == "desc"):
        code = _subject(item)
        assert code in item.prompt
        assert item.correct_text == active_codes[code], item.id
        for choice in item.choices:
            assert choice in by_description, f"{item.id}: {choice!r} is no active description"


def test_section_items_cover_every_letter_and_match_the_codes(
    pack: PackFile, active_codes: dict[str, str]
) -> None:
    letters = {code[0] for code in active_codes}
    asked = {_subject(i) for i in pack.items if _family(i) == "section"}
    assert asked == letters
    assert {_subject(i) for i in pack.items if _family(i) == "section-letter"} == letters
    for item in (i for i in pack.items if _family(i) == "section-of"):
        code = _subject(item)
        assert item.correct_text == code[0], item.id
        assert f'"{active_codes[code]}"' in item.prompt, item.id
        assert all(re.fullmatch(r"[A-Z]", choice) for choice in item.choices), item.id


def test_section_meanings_are_backed_by_the_data() -> None:
    data = hcpcs_pack.load_data()
    sections = hcpcs_pack.check_sections(data)  # raises if a claimed example is missing
    assert "D" not in sections


_PER_UNIT = re.compile(r", (?:per )?([0-9]+(?:\.[0-9]+)?) (mg|mcg|micrograms?)$")
_GIVEN = re.compile(r"^A patient is given ([0-9]+(?:\.[0-9]+)?) (g|mg|mcg) of ")
_SCALE = {"g": Decimal(1_000_000), "mg": Decimal(1000), "mcg": Decimal(1)}


def _per_unit(description: str) -> Decimal:
    """The amount one unit stands for, in micrograms, read from the CMS description."""
    match = _PER_UNIT.search(description)
    assert match is not None, description
    unit = "mg" if match[2] == "mg" else "mcg"
    return Decimal(match[1]) * _SCALE[unit]


def test_unit_calculations_are_right(pack: PackFile, active_codes: dict[str, str]) -> None:
    checked = 0
    for item in (i for i in pack.items if _family(i) == "units-calc"):
        code = _subject(item)
        assert code.startswith("J")
        description = active_codes[code]
        assert f'"{description}"' in item.prompt
        given = _GIVEN.match(item.prompt)
        assert given is not None, item.prompt
        dose = Decimal(given[1]) * _SCALE[given[2]]
        units = dose / _per_unit(description)
        assert units == units.to_integral_value() and units >= 2, item.id
        expected = f"{int(units)} units"
        assert item.correct_text == expected, (item.id, item.correct_text, expected)
        assert expected in item.explanation
        checked += 1
    assert checked >= 10


def test_unit_amounts_are_the_description_s(pack: PackFile, active_codes: dict[str, str]) -> None:
    for item in (i for i in pack.items if _family(i) == "unit"):
        code = _subject(item)
        description = active_codes[code]
        assert "up to" not in description
        per_unit = _per_unit(description)
        amount, unit = item.correct_text.split()
        assert Decimal(amount) * _SCALE[unit] == per_unit, item.id
        for choice in item.choices:
            if choice != item.correct_text:
                other, other_unit = choice.split()
                assert Decimal(other) * _SCALE[other_unit] != per_unit, item.id


def test_parse_dose_refuses_ambiguous_descriptions() -> None:
    parse = hcpcs_pack.parse_dose
    dose = parse("J1100", "Injection, dexamethasone sodium phosphate, 1 mg")
    assert (
        dose is not None and dose.label == "1 mg" and dose.drug == "dexamethasone sodium phosphate"
    )
    per = parse("J0696", "Injection, ceftriaxone sodium, per 250 mg")
    assert per is not None and per.label == "250 mg"
    assert parse("J0120", "Injection, tetracycline, up to 250 mg") is None
    assert parse("J3265", "Injection, torsemide, 10 mg/ml") is None
    assert parse("J0458", "Injection, aztreonam/avibactam, 7.5 mg/2.5 mg (10 mg)") is None
    assert parse("J1454", "Injection, fosnetupitant 235 mg and palonosetron 0.25 mg") is None
    assert parse("J2246", "Injection, micafungin (baxter), not equivalent to j2248, 1 mg") is None
