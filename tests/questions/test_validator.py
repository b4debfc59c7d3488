"""Broken packs are refused with errors naming the exact file, line and field.

Every pack here is a small YAML (or CSV) text written to tmp_path. Expected line
numbers are counted from the text of the test, never taken from the code under
test: `HEAD` is lines 1-8, so the first item starts on line 9.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from questions.commands import validate_paths
from questions.csvpack import load_csv_pack
from questions.loader import PackError, PackInvalid, bundled_pack_paths, load_pack

HEAD = """\
pack:
  id: t
  title: Test pack
  version: 1
  origin: hand
  source: StudyBot tests
  licence: CC0
items:
"""
assert HEAD.count("\n") == 8

# A valid flashcard on lines 9-15 (when it is the first item).
CARD = """\
  - id: x.card
    kind: flashcard
    topic: terminology.root
    exams: [CPC]
    prompt: "Root **hepat/o**"
    answer: Liver
    reference: Greek hepar.
"""

CSV_HEADER = (
    "id,kind,topic,exams,prompt,choice_a,choice_b,choice_c,choice_d,answer,explanation,reference\n"
)


# --- helpers -------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path, seen_ids: dict[str, str] | None = None) -> list[PackError]:
    with pytest.raises(PackInvalid) as info:
        load_pack(path, seen_ids)
    assert info.value.errors, "PackInvalid without errors"
    return info.value.errors


def csv_errors_of(path: Path) -> list[PackError]:
    with pytest.raises(PackInvalid) as info:
        load_csv_pack(path)
    return info.value.errors


def only_error(errors: list[PackError]) -> PackError:
    assert len(errors) == 1, "\n".join(map(str, errors))
    return errors[0]


def assert_error(error: PackError, path: Path, line: int | None, field: str, *words: str) -> None:
    """The error is exactly at path/line/field, and its message says each of `words`."""
    assert (error.path, error.line, error.field) == (str(path), line, field), error
    for word in words:
        assert word.lower() in error.message.lower(), (word, error.message)
    # The printed form is what a moderator reads: file:line: field: message.
    where = f"{path}:{line}: " if line else f"{path}: "
    assert str(error).startswith(where + (f"{field}: " if field else "")), str(error)


def assert_only_error(
    path: Path, line: int | None, field: str, *words: str, seen: dict[str, str] | None = None
) -> None:
    assert_error(only_error(errors_of(path, seen)), path, line, field, *words)


# --- YAML: one kind of mistake per test ----------------------------------------------------


def test_bad_yaml_syntax_names_the_line_of_the_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: flashcard
    topic: terminology.root
    exams: [CPC]
    prompt: Root: hepat/o
    answer: Liver
    reference: r
""",
    )
    # line 13: the second colon in an unquoted scalar
    assert_only_error(path, 13, "", "invalid YAML", "mapping values are not allowed")


def test_file_that_is_not_utf8_is_refused_without_a_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes((HEAD + CARD.replace("Liver", "Fo\u00efe")).encode("latin-1"))
    assert_only_error(path, None, "", "not UTF-8")


def test_missing_reference_is_reported_on_the_items_first_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + CARD
        + """\
  - id: x.two
    kind: flashcard
    topic: terminology.root
    exams: [CPC]
    prompt: "Root **nephr/o**"
    answer: Kidney
""",
    )
    # the second item starts on line 16 and has no `reference` line at all
    assert_only_error(path, 16, "items[1] (x.two).reference", "required")


def test_missing_pack_licence(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD.replace("  licence: CC0\n", "") + CARD)
    # the pack mapping starts on line 2 (`id: t`)
    assert_only_error(path, 2, "pack.licence", "required")


def test_mcq_with_three_choices(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + CARD
        + """\
  - id: x.two
    kind: mcq
    topic: terminology.word-building
    exams: [CPC]
    prompt: "Which term means inflammation of the liver?"
    choices: ["Hepatomegaly", "Hepatitis", "Hepatectomy"]
    answer: B
    explanation: "Hepat/o plus -itis."
    reference: Word parts.
""",
    )
    assert_only_error(path, 21, "items[1] (x.two).choices", "exactly 4 choices", "found 3")


def test_mcq_with_two_identical_choices(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: mcq
    topic: terminology.word-building
    exams: [CPC]
    prompt: "Which term means inflammation of the liver?"
    choices:
      - Hepatomegaly
      - Hepatitis
      - "**hepatitis**"
      - Hepatalgia
    answer: B
    explanation: "Hepat/o plus -itis."
    reference: Word parts.
""",
    )
    # a block sequence: the `choices` value starts at its first "-" (line 15)
    assert_only_error(path, 15, "items[0] (x.one).choices", "must be different")


def test_duplicate_item_id_is_reported_at_the_second_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + CARD
        + """\
  - id: x.card
    kind: flashcard
    topic: terminology.root
    exams: [CPC]
    prompt: "Root **nephr/o**"
    answer: Kidney
    reference: Greek nephros.
""",
    )
    assert_only_error(path, 16, "items[1] (x.card).id", "duplicate item id", "'x.card'")


def test_unknown_topic(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + CARD.replace("terminology.root", "terminology.roots"))
    assert_only_error(path, 11, "items[0] (x.card).topic", "unknown topic", "terminology.roots")


def test_mcq_answer_out_of_range(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: mcq
    topic: terminology.word-building
    exams: [CPC]
    prompt: "Which term means inflammation of the liver?"
    choices: ["Hepatomegaly", "Hepatitis", "Hepatectomy", "Hepatalgia"]
    answer: E
    explanation: "Hepat/o plus -itis."
    reference: Word parts.
""",
    )
    assert_only_error(path, 15, "items[0] (x.one).answer", "letter A-D", "'E'")


def test_true_false_answer_that_is_not_a_boolean(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: true_false
    topic: terminology.word-building
    exams: [CPC]
    prompt: "True or false: nephr/o refers to the kidney."
    answer: "maybe"
    explanation: "Nephr/o is Greek for kidney."
    reference: Word parts.
""",
    )
    assert_only_error(path, 14, "items[0] (x.one).answer", "true or false", "'maybe'")


def test_flashcard_with_choices(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: flashcard
    topic: terminology.root
    exams: [CPC]
    prompt: "Root **hepat/o**"
    choices: [Liver, Kidney]
    answer: Liver
    reference: Greek hepar.
""",
    )
    assert_only_error(path, 14, "items[0] (x.one).choices", "flashcard item has no choices")


def test_mcq_without_explanation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + CARD
        + """\
  - id: x.two
    kind: mcq
    topic: terminology.word-building
    exams: [CPC]
    prompt: "Which term means inflammation of the liver?"
    choices: ["Hepatomegaly", "Hepatitis", "Hepatectomy", "Hepatalgia"]
    answer: B
    reference: Word parts.
""",
    )
    # no explanation line: reported on the item's first line
    assert_only_error(path, 16, "items[1] (x.two).explanation", "explanation is required")


def test_code_entry_without_code_set(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: code_entry
    topic: hcpcs.codes
    exams: [CPC]
    prompt: "Code a standard cane."
    answer: E0100
    explanation: "Canes are E0100-E0105."
    reference: HCPCS E section.
""",
    )
    assert_only_error(path, 9, "items[0] (x.one).code_set", "needs code_set")


NEAR_DUPLICATES = """\
  - id: x.brady
    kind: flashcard
    topic: terminology.prefix
    exams: [CPC]
    prompt: "What does the prefix in the term **bradycardia** mean?"
    answer: Slow
    reference: Greek bradys.
  - id: x.tachy
    kind: flashcard
    topic: terminology.prefix
    exams: [CPC]
    prompt: "What does the prefix in the term **tachycardia** mean?"
    answer: {answer}
    reference: Greek tachys.
"""


def test_near_duplicate_prompt_with_the_same_answer(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + NEAR_DUPLICATES.format(answer="slow."))
    assert_only_error(path, 20, "items[1] (x.tachy).prompt", "nearly the same", "'x.brady'")


def test_near_duplicate_prompt_with_a_different_answer_is_accepted(tmp_path: Path) -> None:
    """The control: the very same two prompts, now teaching different things."""
    path = write(tmp_path, HEAD + NEAR_DUPLICATES.format(answer="Fast"))
    pack = load_pack(path)
    assert [item.id for item in pack.content.items] == ["x.brady", "x.tachy"]


def test_exact_duplicate_prompt_ignores_case_and_markup(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + CARD
        + """\
  - id: x.two
    kind: flashcard
    topic: terminology.root
    exams: [CPC]
    prompt: "root HEPAT/O"
    answer: Hepatic, of the liver
    reference: Greek hepar.
""",
    )
    assert_only_error(path, 20, "items[1] (x.two).prompt", "same prompt", "'x.card'")


def test_answer_inside_the_prompt(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: mcq
    topic: terminology.word-building
    exams: [CPC]
    prompt: "Hepatitis is a disease. Which term means inflammation of the liver?"
    choices: ["Hepatomegaly", "Hepatitis", "Hepatectomy", "Hepatalgia"]
    answer: B
    explanation: "Hepat/o plus -itis."
    reference: Word parts.
""",
    )
    assert_only_error(path, 13, "items[0] (x.one).prompt", "contains its own answer", "Hepatitis")


ICD_MCQ = """\
  - id: x.one
    kind: mcq
    topic: icd10cm.codes
    exams: [CPC]
    prompt: "Closed fracture of the neck of the right femur, initial encounter?"
    choices:
      - S72.001A
      - S72.002A
      - S72.009Z
      - S72.001D
    answer: A
    explanation: "Right side, initial encounter, closed."
    reference: ICD-10-CM Tabular, S72.{extra}
"""


def test_unknown_icd10cm_code_in_a_choice(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + ICD_MCQ.format(extra=""))
    # choices[2] is on line 17
    assert_only_error(
        path, 17, "items[0] (x.one).choices[2]", "S72.009Z is not a code", "ICD-10-CM April 2026"
    )


def test_teaches_invalid_code_allows_an_unknown_code(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + ICD_MCQ.format(extra="\n    teaches_invalid_code: true"))
    assert load_pack(path).content.items[0].teaches_invalid_code is True


def test_unknown_hcpcs_code_in_a_code_entry_answer(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: code_entry
    topic: hcpcs.codes
    exams: [CPC]
    prompt: "Code a standard cane."
    answer: E9999
    code_set: hcpcs
    explanation: "Canes are E0100-E0105."
    reference: HCPCS E section.
""",
    )
    assert_only_error(
        path, 14, "items[0] (x.one).answer", "E9999 is not a code", "HCPCS Level II October 2025"
    )


def test_unknown_hcpcs_code_in_an_accepted_answer(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: code_entry
    topic: hcpcs.codes
    exams: [CPC]
    prompt: "Code a quad cane."
    answer: E0105
    accepted:
      - E0105
      - e9998
    code_set: hcpcs
    explanation: "Canes are E0100-E0105."
    reference: HCPCS E section.
""",
    )
    # accepted[1] is on line 17; the message names the normalised code
    assert_only_error(path, 17, "items[0] (x.one).accepted[1]", "E9998 is not a code")


def test_unknown_hcpcs_code_in_an_hcpcs_topic_choice(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: mcq
    topic: hcpcs.codes
    exams: [CPC]
    prompt: "Which code is a standard cane?"
    choices: ["E0100", "E0105", "E9999", "A0021"]
    answer: A
    explanation: "E0100 is the standard cane."
    reference: HCPCS E section.
""",
    )
    assert_only_error(path, 14, "items[0] (x.one).choices[2]", "E9999 is not a code")


CODE_ENTRY_HEADER = """\
  - id: x.one
    kind: code_entry
    topic: icd10cm.codes
    exams: [CPC]
    prompt: "Type 2 diabetes with kidney complications: which category?"
    answer: E11.2
    code_set: icd10cm
    billable: {billable}
    explanation: "E11.2 is the subcategory."
    reference: ICD-10-CM Tabular, E11.
"""


def test_header_code_where_the_item_says_billable(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + CODE_ENTRY_HEADER.format(billable="true"))
    assert_only_error(path, 14, "items[0] (x.one).answer", "E11.2 is a header", "billable")


def test_header_code_is_fine_when_the_item_does_not_say_billable(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + CODE_ENTRY_HEADER.format(billable="false"))
    assert load_pack(path).content.items[0].answer_text == "E11.2"


def test_header_code_as_the_right_choice_of_a_billable_mcq(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: mcq
    topic: icd10cm.codes
    exams: [CPC]
    prompt: "Type 2 diabetes with diabetic chronic kidney disease?"
    choices: ["E11.2", "E11.21", "E11.9", "E10.22"]
    answer: A
    billable: true
    explanation: "E11.22 is the billable code."
    reference: ICD-10-CM Tabular, E11.
""",
    )
    assert_only_error(path, 14, "items[0] (x.one).choices[0]", "E11.2 is a header")


def test_prompt_and_choices_over_the_length_limit(tmp_path: Path) -> None:
    choices = ", ".join(f'"{letter * 250}"' for letter in "abcd")
    path = write(
        tmp_path,
        HEAD
        + f"""\
  - id: x.one
    kind: mcq
    topic: terminology.word-building
    exams: [CPC]
    prompt: "{"x" * 1500}"
    choices: [{choices}]
    answer: B
    explanation: e
    reference: r
""",
    )
    # 1,500 + 4 x (250 + 8) = 2,532 > 2,500; each part is within its own limit
    assert_only_error(path, 13, "items[0] (x.one).prompt", "2532 characters", "limit is 2500")


def test_reference_over_1000_characters(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + CARD.replace("Greek hepar.", "r" * 1001))
    assert_only_error(path, 15, "items[0] (x.card).reference", "1001 characters", "1000")


def test_reference_of_exactly_1000_characters_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + CARD.replace("Greek hepar.", "r" * 1000))
    assert len(load_pack(path).content.items[0].reference) == 1000


def test_unknown_exam(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + CARD.replace("exams: [CPC]", "exams:\n      - CPC\n      - CPB"))
    # exams[1] is on line 14
    assert_only_error(path, 14, "items[0] (x.card).exams[1]", "'CPC'")


def test_extra_unknown_field_in_an_item(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + CARD + "    hint: starts with L\n")
    assert_only_error(path, 16, "items[0] (x.card).hint", "extra inputs")


def test_extra_unknown_field_in_the_pack_block(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEAD.replace("  licence: CC0\n", "  licence: CC0\n  author: me\n") + CARD
    )
    assert_only_error(path, 8, "pack.author", "extra inputs")


# --- every error at once ---------------------------------------------------------------------


THREE_GATE_ERRORS = """\
  - id: x.one
    kind: flashcard
    topic: nowhere
    exams: [CPC]
    prompt: "Root **hepat/o**"
    answer: Liver
    reference: r
  - id: x.two
    kind: mcq
    topic: terminology.word-building
    exams: [CPC]
    prompt: "Which term means inflammation of the liver?"
    choices: ["Hepatomegaly", "Hepatitis", "Hepatectomy", "Hepatalgia"]
    answer: F
    explanation: "Hepat/o plus -itis."
    reference: r
  - id: x.three
    kind: true_false
    topic: terminology.word-building
    exams: [CPC]
    prompt: "True or false: nephr/o refers to the kidney."
    answer: true
    reference: r
"""


def test_three_different_gate_errors_are_all_reported(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + THREE_GATE_ERRORS)
    errors = errors_of(path)
    assert [(error.line, error.field) for error in errors] == [
        (11, "items[0] (x.one).topic"),
        (22, "items[1] (x.two).answer"),
        (25, "items[2] (x.three).explanation"),
    ]
    assert {error.path for error in errors} == {str(path)}


def test_three_different_schema_errors_are_all_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: flashcard
    topic: terminology.root
    exams: [CPB]
    prompt: "Root **hepat/o**"
    answer: Liver
    reference: r
  - id: x.two
    kind: essay
    topic: terminology.root
    exams: [CPC]
    prompt: "Root **nephr/o**"
    answer: Kidney
    reference: r
  - id: x.three
    kind: flashcard
    topic: terminology.root
    exams: [CPC]
    difficulty: 4
    prompt: "Root **gastr/o**"
    answer: Stomach
    reference: r
""",
    )
    errors = errors_of(path)
    assert sorted((error.line, error.field) for error in errors) == [
        (12, "items[0] (x.one).exams[0]"),
        (17, "items[1] (x.two).kind"),
        (27, "items[2] (x.three).difficulty"),
    ]


def test_schema_and_gate_errors_are_reported_together(tmp_path: Path) -> None:
    """A moderator who fixes the one error shown must not then meet a second batch.

    Item 0 has an unknown topic (a quality gate); item 1 has an unknown exam (the schema).
    """
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: flashcard
    topic: nowhere
    exams: [CPC]
    prompt: "Root **hepat/o**"
    answer: Liver
    reference: r
  - id: x.two
    kind: flashcard
    topic: terminology.root
    exams: [CPB]
    prompt: "Root **nephr/o**"
    answer: Kidney
    reference: r
""",
    )
    errors = errors_of(path)
    assert sorted((error.line, error.field) for error in errors) == [
        (11, "items[0] (x.one).topic"),
        (19, "items[1] (x.two).exams[0]"),
    ]


def test_a_gate_error_after_a_malformed_item_names_the_right_item(tmp_path: Path) -> None:
    """Item 0 fails the schema; item 1's gate error is still placed on item 1."""
    path = write(
        tmp_path,
        HEAD
        + """\
  - id: x.one
    kind: flashcard
    topic: terminology.root
    exams: [CPB]
    prompt: "Root **hepat/o**"
    answer: Liver
    reference: r
  - id: x.two
    kind: mcq
    topic: terminology.word-building
    exams: [CPC]
    prompt: "Which term means inflammation of the liver?"
    choices: ["Hepatomegaly", "Hepatitis", "Hepatectomy", "Hepatalgia"]
    answer: B
    reference: r
""",
    )
    errors = errors_of(path)
    assert sorted((error.line, error.field) for error in errors) == [
        (12, "items[0] (x.one).exams[0]"),
        (16, "items[1] (x.two).explanation"),
    ]


# --- several files, bundled packs ------------------------------------------------------------


def test_duplicate_ids_across_two_files_with_one_seen_ids(tmp_path: Path) -> None:
    first = write(tmp_path, HEAD + CARD, "first.yaml")
    second = write(
        tmp_path,
        HEAD.replace("id: t\n", "id: t2\n")
        + """\
  - id: x.other
    kind: flashcard
    topic: terminology.root
    exams: [CPC]
    prompt: "Root **nephr/o**"
    answer: Kidney
    reference: r
  - id: x.card
    kind: flashcard
    topic: terminology.root
    exams: [CPC]
    prompt: "Root **gastr/o**"
    answer: Stomach
    reference: r
""",
        "second.yaml",
    )
    seen: dict[str, str] = {}
    load_pack(first, seen)
    assert_only_error(second, 16, "items[1] (x.card).id", "duplicate item id", seen=seen)
    # each file on its own is fine
    load_pack(second)


def test_validate_paths_names_the_first_file_of_a_duplicate_id(tmp_path: Path) -> None:
    first = write(tmp_path, HEAD + CARD, "first.yaml")
    second = write(tmp_path, HEAD + CARD.replace("hepat/o", "nephr/o"), "second.yaml")
    ok, lines = validate_paths([first, second])
    assert not ok
    assert lines[0] == f"{first}: 1 items, all valid."
    assert lines[1].startswith(f"{second}:9: items[0] (x.card).id: duplicate item id"), lines
    assert str(first) in lines[1], "the message does not say where the id was first used"


@pytest.mark.parametrize("path", bundled_pack_paths(), ids=lambda path: path.name)
def test_every_bundled_pack_loads(path: Path) -> None:
    pack = load_pack(path)
    assert pack.content.items


def test_bundled_packs_exist_and_share_no_item_ids() -> None:
    paths = bundled_pack_paths()
    assert paths, "no bundled packs found in questions/packs"
    seen: dict[str, str] = {}
    for path in paths:
        load_pack(path, seen)


# --- CSV -------------------------------------------------------------------------------------


def test_csv_bad_rows_name_the_line_and_the_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CSV_HEADER
        + "x.one,flashcard,terminology.root,CPC,Root hepat/o,,,,,Liver,,Greek hepar.\n"
        + "x.two,mcq,icd10cm.codes,CPC|CPB,Which code?,S72.001A,E11.22,I10,E11.9,A,e,r\n"
        + "x.three,mcq,icd10cm.codes,CPC,Right femur neck?,S72.001A,E11.22,S72.009Z,I10,A,e,r\n"
        + "x.four,mcq,terminology.word-building,CPC,Liver inflamed?,Hepatitis,Nephritis,"
        + "Gastritis,Colitis,E,e,r\n",
        "upload.csv",
    )
    errors = csv_errors_of(path)
    assert [(error.path, error.line, error.field) for error in errors] == [
        (str(path), 3, "x.two.exams"),
        (str(path), 4, "x.three.choice_c"),
        (str(path), 5, "x.four.answer"),
    ]
    assert "S72.009Z is not a code" in errors[1].message
    assert "letter A-D" in errors[2].message
    assert str(errors[1]).startswith(f"{path}:4: x.three.choice_c: ")


def test_csv_missing_required_column_is_reported_on_line_1(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,kind,topic,exams,prompt,answer\n"
        "x.one,flashcard,terminology.root,CPC,Root hepat/o,Liver\n",
        "upload.csv",
    )
    error = only_error(csv_errors_of(path))
    assert_error(error, path, 1, "header", "missing column 'reference'")


def test_csv_unknown_column_is_reported_on_line_1(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CSV_HEADER.replace("reference", "reference,colour")
        + "x.one,flashcard,terminology.root,CPC,Root hepat/o,,,,,Liver,,Greek hepar.,red\n",
        "upload.csv",
    )
    assert_error(only_error(csv_errors_of(path)), path, 1, "header", "unknown column 'colour'")


def test_csv_duplicate_id_is_reported_on_the_second_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CSV_HEADER
        + "x.one,flashcard,terminology.root,CPC,Root hepat/o,,,,,Liver,,r\n"
        + "x.one,flashcard,terminology.root,CPC,Root nephr/o,,,,,Kidney,,r\n",
        "upload.csv",
    )
    assert_error(only_error(csv_errors_of(path)), path, 3, "x.one.id", "duplicate item id")


def test_csv_bad_row_after_a_multi_line_cell_keeps_its_own_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CSV_HEADER
        + 'x.one,flashcard,terminology.root,CPC,"Root\nhepat/o",,,,,Liver,,r\n'
        + "x.two,true_false,terminology.root,CPC,Nephr/o is kidney,,,,,yes,e,r\n",
        "upload.csv",
    )
    # x.one spans lines 2-3; x.two is line 4
    assert_error(only_error(csv_errors_of(path)), path, 4, "x.two.answer", "'yes'")


def test_csv_multi_line_row_is_reported_on_the_line_where_it_starts(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CSV_HEADER
        + 'x.one,true_false,terminology.root,CPC,"Case:\nNephr/o means kidney",,,,,yes,e,r\n',
        "upload.csv",
    )
    # the row starts on line 2 (its prompt continues on line 3)
    assert_error(only_error(csv_errors_of(path)), path, 2, "x.one.answer", "'yes'")


def test_csv_bad_row_after_a_blank_line_keeps_its_own_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CSV_HEADER
        + "x.one,flashcard,terminology.root,CPC,Root hepat/o,,,,,Liver,,r\n"
        + "\n"
        + "x.two,true_false,terminology.root,CPC,Nephr/o is kidney,,,,,yes,e,r\n",
        "upload.csv",
    )
    # line 3 is blank; x.two is line 4
    assert_error(only_error(csv_errors_of(path)), path, 4, "x.two.answer", "'yes'")


def test_csv_unknown_code_is_named_by_its_own_column_when_a_choice_is_blank(
    tmp_path: Path,
) -> None:
    """choice_b is empty: the unknown code in choice_d must still be called choice_d."""
    path = write(
        tmp_path,
        CSV_HEADER
        + "x.one,mcq,icd10cm.codes,CPC,Right femur neck?,S72.001A,,S72.002A,S72.009Z,A,e,r\n",
        "upload.csv",
    )
    errors = csv_errors_of(path)
    code_errors = [error for error in errors if "S72.009Z" in error.message]
    assert [(error.line, error.field) for error in code_errors] == [(2, "x.one.choice_d")], errors


def test_csv_reports_schema_and_gate_errors_of_different_rows_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CSV_HEADER
        + "x.one,flashcard,nowhere,CPC,Root hepat/o,,,,,Liver,,r\n"
        + "x.two,flashcard,terminology.root,CPB,Root nephr/o,,,,,Kidney,,r\n",
        "upload.csv",
    )
    errors = csv_errors_of(path)
    assert [(error.line, error.field) for error in errors] == [
        (2, "x.one.topic"),
        (3, "x.two.exams"),
    ]


def test_a_good_csv_loads_with_its_values(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CSV_HEADER
        + "x.one,mcq,terminology.word-building,CPC|ccs,Liver inflamed?,"
        + "Hepatitis,Nephritis,Gastritis,Colitis,a,Hepat/o plus -itis.,r\n"
        + "x.two,true_false,terminology.root,CPC,Nephr/o means kidney,,,,,TRUE,Greek.,r\n",
        "upload.csv",
    )
    items = load_csv_pack(path).content.items
    assert [item.exams for item in items] == [["CPC", "CCS"], ["CPC"]]
    assert items[0].choices == ["Hepatitis", "Nephritis", "Gastritis", "Colitis"]
    assert [item.answer_text for item in items] == ["A", "true"]
