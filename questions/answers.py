"""Checking typed code answers the way a coder's code book would.

Normalising forgives what does not change the code (case, dots, spaces); nothing
else is forgiven: one character makes a different code, so there is no fuzzy
matching. A wrong answer still gets a specific hint when the ICD-10-CM hierarchy
shows how close it was (missing 7th character, missing placeholder X, wrong
laterality, a non-billable header, right category).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from questions.codes import (
    HCPCS_PATTERN,
    ICD10CM_PATTERN,
    MODIFIER_PATTERN,
    CodeSet,
    hcpcs,
    icd10cm,
    icd10cm_with_dot,
)

_LIST_SEPARATOR = re.compile(r"[,;\n]+")
_CODE_START = re.compile(r"^[A-Za-z][0-9A-Za-z]{2}")
_LATERAL = re.compile(r"\b(right|left|bilateral)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    """Right or wrong, and one sentence saying why."""

    correct: bool
    message: str


def normalise(code: str, code_set: str) -> str:
    """The printed form: `s72001a` -> `S72.001A`; HCPCS and modifiers upper-cased."""
    bare = re.sub(r"[\s.]", "", code).upper()
    return icd10cm_with_dot(bare) if code_set == "icd10cm" else bare


def structure_error(typed: str, code: str, code_set: str) -> str | None:
    """Why a code cannot be a code of this set, or None when its shape is right.

    `code` is the normalised form that is checked; `typed` is what the message quotes."""
    if code_set == "icd10cm":
        bare = code.replace(".", "")
        code = typed
        if not 3 <= len(bare) <= 7:
            return f"{code} is not an ICD-10-CM code: codes have 3 to 7 characters."
        if not ICD10CM_PATTERN.match(icd10cm_with_dot(bare)):
            return (
                f"{code} is not an ICD-10-CM code: a letter, two more characters, "
                "then up to four after the dot."
            )
        return None
    if code_set == "hcpcs":
        if not HCPCS_PATTERN.match(code):
            return f"{typed} is not a HCPCS Level II code: a letter followed by 4 digits (E0100)."
        return None
    if not MODIFIER_PATTERN.match(code):
        return f"{typed} is not a modifier: modifiers are 2 characters (LT, RT, GA)."
    return None


def split_codes(text: str, code_set: str = "") -> list[str]:
    """Commas, semicolons and new lines separate codes. Within a chunk, spaces may
    separate codes ("N18.30 E11.22") or be typing noise inside one ("S72 001A",
    "F01 A11"). Runs of words that together spell a real code of `code_set` are read
    as that code; otherwise a word that can start a code (a letter and two more
    characters) starts a new one, and any other word belongs to the code before it."""
    known = _known(code_set)
    pieces: list[str] = []
    for chunk in _LIST_SEPARATOR.split(text.strip()):
        words = chunk.split()
        start = 0
        while start < len(words):
            end = _longest_real_code(words, start, code_set, known)
            if end is None:
                end = start + 1
                while end < len(words) and not _CODE_START.match(words[end]):
                    end += 1
            pieces.append("".join(words[start:end]))
            start = end
    return pieces


def _known(code_set: str) -> CodeSet | None:
    if code_set == "icd10cm":
        return icd10cm()
    if code_set in ("hcpcs", "hcpcs-modifier"):
        return hcpcs()
    return None


def _longest_real_code(
    words: list[str], start: int, code_set: str, known: CodeSet | None
) -> int | None:
    """The end of the longest run of words from `start` that spells a real code."""
    if known is None:
        return None
    for end in range(len(words), start, -1):
        if normalise("".join(words[start:end]), code_set) in known:
            return end
    return None


def _lateral_words(description: str) -> set[str]:
    return {word.lower() for word in _LATERAL.findall(description)}


def _icd10cm_hint(given: str, expected: str, codes: CodeSet) -> str:
    given_bare, expected_bare = given.replace(".", ""), expected.replace(".", "")
    entry = codes.get(given)
    if len(expected_bare) == 7 and given_bare == expected_bare[:6]:
        return f"Right code, but {given} is missing its 7th character."
    if "X" in expected_bare[3:] and given_bare == expected_bare.replace("X", "", 1):
        return f"Right code, but {given} is missing the placeholder X."
    if entry is None:
        return f"{given} is not a code in {codes.release.split(' (')[0]}."
    if entry.kind == "H" and expected.startswith(given):
        return f"Right category, but {given} is a non-billable header: it needs more characters."
    if entry.kind == "H":
        return f"{given} is a non-billable header, and not the one for this case."
    expected_entry = codes.get(expected)
    if (
        expected_entry is not None
        and len(given_bare) == len(expected_bare)
        and sum(a != b for a, b in zip(given_bare, expected_bare, strict=True)) == 1
    ):
        sides_given = _lateral_words(entry.description)
        sides_expected = _lateral_words(expected_entry.description)
        if sides_given and sides_expected and sides_given != sides_expected:
            return f"Wrong laterality: {given} is the {'/'.join(sorted(sides_given))} side."
        if len(expected_bare) == 7 and given_bare[:6] == expected_bare[:6]:
            return f"Right code, wrong 7th character: {given} means {entry.description}."
    if given_bare[:3] == expected_bare[:3]:
        return f"Right category ({expected_bare[:3]}), but not the right code."
    return f"{given} is not the right code."


def _single(given: str, expected: str, code_set: str) -> Verdict:
    if given == expected:
        return Verdict(True, f"{given} is correct.")
    if code_set == "icd10cm":
        return Verdict(False, _icd10cm_hint(given, expected, icd10cm()))
    known = hcpcs().get(given)
    if known is None:
        return Verdict(False, f"{given} is not a code in {hcpcs().release.split(' (')[0]}.")
    return Verdict(False, f"{given} is not the right code: it means {known.description}.")


def check_code_answer(
    given_text: str, expected: list[str], code_set: str, sequence: str = "ordered"
) -> Verdict:
    """Compare a typed answer (one or more codes) with the expected codes."""
    typed = split_codes(given_text, code_set)
    wanted = [normalise(code, code_set) for code in expected]
    if not typed:
        return Verdict(False, "Type a code.")
    for part in typed:
        problem = structure_error(part.upper(), normalise(part, code_set), code_set)
        if problem:
            return Verdict(False, problem)
    given = [normalise(part, code_set) for part in typed]
    if len(wanted) == 1 and len(given) == 1:
        return _single(given[0], wanted[0], code_set)
    if given == wanted:
        return Verdict(True, f"{', '.join(given)} is correct.")
    repeated = sorted({code for code in given if given.count(code) > 1})
    if repeated:
        return Verdict(False, f"Not quite: {', '.join(repeated)} is listed more than once.")
    missing = [code for code in wanted if code not in given]
    extra = [code for code in given if code not in wanted]
    if not missing and not extra:
        if sequence == "any" and len(set(given)) == len(given):
            return Verdict(True, f"{', '.join(given)} is correct (any order).")
        return Verdict(False, f"Right codes, wrong sequence: {wanted[0]} is listed first.")
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if extra:
        parts.append(f"{', '.join(extra)} should not be there")
    return Verdict(False, "Not quite: " + "; ".join(parts) + ".")
