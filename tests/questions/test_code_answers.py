"""Typed code answers, checked against the real shipped ICD-10-CM and HCPCS releases.

Case, dots and spaces are forgiven; nothing else is (no fuzzy matching). A wrong
answer gets a specific hint when the code hierarchy shows how close it was.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from questions.answers import check_code_answer, normalise, split_codes, structure_error
from questions.codes import hcpcs, icd10cm

BILLABLE = sorted(code for code, entry in icd10cm().entries.items() if entry.kind == "B")
ACTIVE_HCPCS = sorted(
    code for code, entry in hcpcs().entries.items() if entry.kind == "A" and len(code) == 5
)
CODE_CHARACTERS = string.ascii_uppercase + string.digits
PROPERTY = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def test_the_shipped_releases_are_the_ones_the_messages_name() -> None:
    assert icd10cm().release.startswith("ICD-10-CM April 2026")
    assert hcpcs().release.startswith("HCPCS Level II October 2025")
    assert len(BILLABLE) > 70_000
    assert {"S72.001A", "T36.0X1A", "E11.22", "N18.30"} <= set(BILLABLE)
    assert "E0100" in ACTIVE_HCPCS


# --- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code_set", "printed"),
    [
        ("s72001a", "icd10cm", "S72.001A"),
        ("S72 001A", "icd10cm", "S72.001A"),
        ("s72.001a", "icd10cm", "S72.001A"),
        ("  S72.001A\t", "icd10cm", "S72.001A"),
        ("t360x1a", "icd10cm", "T36.0X1A"),
        ("i10", "icd10cm", "I10"),
        ("e1122", "icd10cm", "E11.22"),
        ("e0100", "hcpcs", "E0100"),
        (" E0100 ", "hcpcs", "E0100"),
        ("lt", "hcpcs-modifier", "LT"),
        ("Rt", "hcpcs-modifier", "RT"),
    ],
)
def test_normalise(typed: str, code_set: str, printed: str) -> None:
    assert normalise(typed, code_set) == printed


@pytest.mark.parametrize(
    ("typed", "expected", "code_set"),
    [
        ("s72001a", "S72.001A", "icd10cm"),
        ("S72 001A", "S72.001A", "icd10cm"),
        ("s72.001a", "S72.001A", "icd10cm"),
        ("e0100", "E0100", "hcpcs"),
        ("lt", "LT", "hcpcs-modifier"),
    ],
)
def test_forgiven_typing_is_correct(typed: str, expected: str, code_set: str) -> None:
    verdict = check_code_answer(typed, [expected], code_set)
    assert verdict.correct, verdict
    assert verdict.message == f"{expected} is correct."


# --- structure errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code_set", "says"),
    [
        ("S7", "icd10cm", "3 to 7 characters"),
        ("s7", "icd10cm", "3 to 7 characters"),
        ("S72.00123", "icd10cm", "3 to 7 characters"),
        ("172.001A", "icd10cm", "a letter, two more characters"),
        ("E010", "hcpcs", "a letter followed by 4 digits"),
        ("e010", "hcpcs", "a letter followed by 4 digits"),
        ("LTX", "hcpcs-modifier", "modifiers are 2 characters"),
    ],
)
def test_structure_errors_quote_what_was_typed(typed: str, code_set: str, says: str) -> None:
    quoted = typed.upper()
    problem = structure_error(quoted, normalise(typed, code_set), code_set)
    assert problem is not None
    assert problem.startswith(f"{quoted} is not "), problem
    assert says in problem
    verdict = check_code_answer(typed, ["S72.001A" if code_set == "icd10cm" else "E0100"], code_set)
    assert not verdict.correct
    assert verdict.message == problem


def test_structure_error_quotes_the_dots_as_typed() -> None:
    """The message quotes the typed form, not a normalised one with the dot moved."""
    verdict = check_code_answer("S.7", ["S72.001A"], "icd10cm")
    assert not verdict.correct
    assert verdict.message.startswith("S.7 is not an ICD-10-CM code"), verdict.message


@pytest.mark.parametrize(
    ("code", "code_set"),
    [("S72.001A", "icd10cm"), ("I10", "icd10cm"), ("E0100", "hcpcs"), ("LT", "hcpcs-modifier")],
)
def test_well_formed_codes_have_no_structure_error(code: str, code_set: str) -> None:
    assert structure_error(code, normalise(code, code_set), code_set) is None


def test_an_empty_answer_asks_for_a_code() -> None:
    for typed in ("", "   ", ",;\n"):
        verdict = check_code_answer(typed, ["E11.22"], "icd10cm")
        assert verdict == type(verdict)(False, "Type a code.")


# --- near misses, against the shipped release -----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected", "says"),
    [
        ("S72.001", "S72.001A", ["Right code", "S72.001 is missing its 7th character"]),
        ("T36.01A", "T36.0X1A", ["Right code", "T36.01A is missing the placeholder X"]),
        ("S72.002A", "S72.001A", ["Wrong laterality", "S72.002A is the left side"]),
        ("S72.001A", "S72.002A", ["Wrong laterality", "S72.001A is the right side"]),
        ("E11.2", "E11.22", ["Right category", "E11.2 is a non-billable header"]),
        ("S72", "S72.001A", ["Right category", "S72 is a non-billable header"]),
        (
            "S72.001D",
            "S72.001A",
            ["wrong 7th character", "S72.001D means", "subsequent encounter"],
        ),
        ("E11.9", "E11.22", ["Right category (E11), but not the right code"]),
        ("S72.009A", "S72.001A", ["Right category (S72), but not the right code"]),
        ("E10.2", "E11.22", ["E10.2 is a non-billable header, and not the one"]),
        ("S72.009Z", "S72.001A", ["S72.009Z is not a code in ICD-10-CM April 2026"]),
        ("I10", "E11.22", ["I10 is not the right code"]),
    ],
)
def test_icd10cm_near_miss_messages(typed: str, expected: str, says: list[str]) -> None:
    verdict = check_code_answer(typed, [expected], "icd10cm")
    assert not verdict.correct
    for words in says:
        assert words in verdict.message, (words, verdict.message)


def test_the_hints_do_not_misfire() -> None:
    """A laterality or 7th-character hint only where it is true."""
    right_category = check_code_answer("S72.009A", ["S72.001A"], "icd10cm").message
    assert "laterality" not in right_category and "7th" not in right_category
    laterality = check_code_answer("S72.002A", ["S72.001A"], "icd10cm").message
    assert "7th" not in laterality
    seventh = check_code_answer("S72.001D", ["S72.001A"], "icd10cm").message
    assert "laterality" not in seventh


@pytest.mark.parametrize(
    ("typed", "expected", "code_set", "says"),
    [
        ("E0105", "E0100", "hcpcs", "E0105 is not the right code: it means Cane, quad"),
        ("E9999", "E0100", "hcpcs", "E9999 is not a code in HCPCS Level II October 2025"),
        ("RT", "LT", "hcpcs-modifier", "RT is not the right code: it means Right side"),
    ],
)
def test_hcpcs_near_miss_messages(typed: str, expected: str, code_set: str, says: str) -> None:
    verdict = check_code_answer(typed, [expected], code_set)
    assert not verdict.correct
    assert says in verdict.message


@pytest.mark.parametrize(
    ("typed", "expected", "code_set"),
    [
        ("S72.001B", "S72.001A", "icd10cm"),
        ("S72.011A", "S72.001A", "icd10cm"),
        ("S72.00A", "S72.001A", "icd10cm"),
        ("T36.0X2A", "T36.0X1A", "icd10cm"),
        ("E11.21", "E11.22", "icd10cm"),
        ("E0101", "E0100", "hcpcs"),
        ("F0100", "E0100", "hcpcs"),
        ("LS", "LT", "hcpcs-modifier"),
    ],
)
def test_one_wrong_character_is_never_accepted(typed: str, expected: str, code_set: str) -> None:
    assert check_code_answer(typed, [expected], code_set).correct is False


# --- several codes ---------------------------------------------------------------------------

PAIR = ["E11.22", "N18.30"]


def test_ordered_codes_in_order_are_correct() -> None:
    verdict = check_code_answer("E11.22, N18.30", PAIR, "icd10cm")
    assert verdict.correct
    assert "E11.22, N18.30" in verdict.message


def test_ordered_codes_in_the_wrong_sequence() -> None:
    verdict = check_code_answer("N18.30, E11.22", PAIR, "icd10cm")
    assert not verdict.correct
    assert "wrong sequence" in verdict.message
    assert "E11.22 is listed first" in verdict.message


@pytest.mark.parametrize("typed", ["E11.22, N18.30", "N18.30, E11.22", "n1830;e1122"])
def test_unordered_codes_are_accepted_in_any_order(typed: str) -> None:
    verdict = check_code_answer(typed, PAIR, "icd10cm", sequence="any")
    assert verdict.correct, verdict


def test_missing_code_is_named() -> None:
    for sequence in ("ordered", "any"):
        verdict = check_code_answer("E11.22", PAIR, "icd10cm", sequence)
        assert not verdict.correct
        assert "missing N18.30" in verdict.message
        assert "E11.22" not in verdict.message.replace("missing N18.30", "")


def test_extra_code_is_named() -> None:
    verdict = check_code_answer("E11.22, N18.30, I10", PAIR, "icd10cm", "any")
    assert not verdict.correct
    assert "I10 should not be there" in verdict.message
    assert "missing" not in verdict.message


def test_missing_and_extra_codes_are_both_named() -> None:
    verdict = check_code_answer("E11.22, N18.4", PAIR, "icd10cm")
    assert not verdict.correct
    assert "missing N18.30" in verdict.message
    assert "N18.4 should not be there" in verdict.message


def test_a_repeated_code_is_not_called_a_wrong_sequence() -> None:
    """Typing E11.22 twice is wrong, but the sequence was right: E11.22 was listed first."""
    for sequence in ("ordered", "any"):
        verdict = check_code_answer("E11.22, N18.30, E11.22", PAIR, "icd10cm", sequence)
        assert not verdict.correct
        assert "sequence" not in verdict.message, verdict.message
        assert "E11.22" in verdict.message


def test_a_bad_piece_in_a_list_is_quoted() -> None:
    verdict = check_code_answer("E11.22, 18.30", PAIR, "icd10cm")
    assert not verdict.correct
    assert verdict.message.startswith("18.30 is not an ICD-10-CM code"), verdict.message


@pytest.mark.parametrize(
    ("typed", "pieces"),
    [
        ("E11.22,N18.30", ["E11.22", "N18.30"]),
        ("E11.22 , N18.30", ["E11.22", "N18.30"]),
        ("E11.22;N18.30", ["E11.22", "N18.30"]),
        ("E11.22; N18.30", ["E11.22", "N18.30"]),
        ("E11.22\nN18.30", ["E11.22", "N18.30"]),
        ("E11.22\r\nN18.30", ["E11.22", "N18.30"]),
        ("E11.22,\n N18.30,", ["E11.22", "N18.30"]),
        ("E11.22 N18.30", ["E11.22", "N18.30"]),
        ("e1122   n1830", ["e1122", "n1830"]),
        ("E11.22\tN18.30", ["E11.22", "N18.30"]),
    ],
)
def test_separators_between_codes(typed: str, pieces: list[str]) -> None:
    assert split_codes(typed) == pieces
    verdict = check_code_answer(typed, PAIR, "icd10cm")
    assert verdict.correct, (typed, verdict)


def test_spaces_inside_one_code_are_not_a_separator() -> None:
    assert split_codes("S72 001A") == ["S72001A"]
    assert split_codes("S72 001A, N18.30") == ["S72001A", "N18.30"]
    verdict = check_code_answer("S72 001A, n18 30", ["S72.001A", "N18.30"], "icd10cm")
    assert verdict.correct, verdict


# --- properties over the whole shipped release ----------------------------------------------


def _with_case(text: str, lower: list[bool]) -> str:
    return "".join(
        char.lower() if lower[index % len(lower)] else char for index, char in enumerate(text)
    )


@PROPERTY
@given(
    code=st.sampled_from(BILLABLE),
    lower=st.lists(st.booleans(), min_size=1, max_size=8),
    keep_dot=st.booleans(),
    pad=st.sampled_from(["", " ", "  ", "\t"]),
)
def test_every_case_and_dot_variant_of_a_billable_code_is_accepted(
    code: str, lower: list[bool], keep_dot: bool, pad: str
) -> None:
    typed = _with_case(code if keep_dot else code.replace(".", ""), lower)
    typed = f"{pad}{typed}{pad}"
    assert normalise(typed, "icd10cm") == code
    verdict = check_code_answer(typed, [code], "icd10cm")
    assert verdict.correct, (typed, verdict)


@PROPERTY
@given(code=st.sampled_from(BILLABLE), cut=st.integers(min_value=1, max_value=7))
@example(code="S72.001A", cut=3).via("the documented S72 001A")
@example(code="T07.XXXA", cut=3).via("dot typed as a space, X after it")
@example(code="F01.A11", cut=3).via("dot typed as a space, letter after it")
@example(code="T36.0X1A", cut=5)
def test_every_space_variant_of_a_billable_code_is_accepted(code: str, cut: int) -> None:
    """A space typed in place of the dot, or anywhere inside the code, is typing noise."""
    bare = code.replace(".", "")
    position = min(cut, len(bare) - 1)
    variants = [code.replace(".", " "), f"{bare[:position]} {bare[position:]}"]
    if "." in code:
        dotted_position = min(cut, len(code) - 1)
        variants.append(f"{code[:dotted_position]} {code[dotted_position:]}")
    for typed in variants:
        verdict = check_code_answer(typed, [code], "icd10cm")
        assert verdict.correct, (typed, verdict)


@PROPERTY
@given(
    code=st.sampled_from(BILLABLE),
    position=st.integers(min_value=0, max_value=6),
    replacement=st.sampled_from(CODE_CHARACTERS),
)
def test_every_single_character_change_of_a_billable_code_is_rejected(
    code: str, position: int, replacement: str
) -> None:
    bare = code.replace(".", "")
    index = position % len(bare)
    if bare[index] == replacement:
        replacement = "9" if replacement != "9" else "8"
    changed = bare[:index] + replacement + bare[index + 1 :]
    for typed in (changed, normalise(changed, "icd10cm"), changed.lower()):
        verdict = check_code_answer(typed, [code], "icd10cm")
        assert verdict.correct is False, (code, typed, verdict)
        assert verdict.message, (code, typed)


@PROPERTY
@given(
    code=st.sampled_from(ACTIVE_HCPCS),
    position=st.integers(min_value=0, max_value=4),
    replacement=st.sampled_from(CODE_CHARACTERS),
)
def test_hcpcs_codes_forgive_case_but_no_changed_character(
    code: str, position: int, replacement: str
) -> None:
    assert check_code_answer(code.lower(), [code], "hcpcs").correct
    if code[position] == replacement:
        replacement = "9" if replacement != "9" else "8"
    changed = code[:position] + replacement + code[position + 1 :]
    assert check_code_answer(changed, [code], "hcpcs").correct is False
