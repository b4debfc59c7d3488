"""No shipped item pairs a CPT code number with words describing it: CPT descriptors
are the AMA's. A five-digit code (or a Category II/III code such as 1234F or 0123T)
followed by text is flagged in every prompt, choice, answer and explanation, unless it
matches an allowed use listed below with its reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questions.loader import bundled_pack_paths, load_pack

REPO = Path(__file__).resolve().parents[2]
CODE_THEN_TEXT = re.compile(
    r"(?<![\w.-])(?P<code>\d{5}|\d{4}[FTU])(?![\w.-])\s*[:(\-\u2013\u2014=,]?\s*(?P<text>[A-Za-z]{2,})"
)
# Allowed: a pattern matched at the code, and why it is not a descriptor.
ALLOWED: dict[str, str] = {
    r"[1-6]0000 series": "a surgery series is named by its first code number (structure)",
    r"\d{5}\s*(?:-|\u2013|to|through)\s*\d{5}": "a range that defines a section (structure)",
}


def flagged(text: str) -> list[str]:
    """Each code-followed-by-text in `text` that no allowed pattern explains."""
    found = []
    for match in CODE_THEN_TEXT.finditer(text):
        start = match.start("code")
        if any(re.match(pattern, text[start:]) for pattern in ALLOWED):
            continue
        found.append(match.group(0))
    return found


def test_the_check_finds_a_descriptor_and_spares_structure() -> None:
    assert flagged("Report 99213 for an office visit") == ["99213 for"]
    assert flagged("99213 Office or other outpatient visit") == ["99213 Office"]
    assert flagged("Code 0042T (cerebral perfusion analysis)") == ["0042T (cerebral"]
    assert flagged("What does code 27447 describe?") == ["27447 describe"]
    assert flagged("the 20000 series covers the musculoskeletal system") == []
    assert flagged("the Surgery section runs 10004-69990") == []
    assert flagged("ICD-10-CM E11.22 and HCPCS E1234 wheelchair") == []


ITEMS = [
    (path.name, item) for path in bundled_pack_paths() for item in load_pack(path).content.items
]


@pytest.mark.parametrize("pack", sorted({name for name, _ in ITEMS}))
def test_no_item_pairs_a_cpt_code_with_text(pack: str) -> None:
    problems = []
    for name, item in ITEMS:
        if name != pack:
            continue
        for field, text in (
            ("prompt", item.prompt),
            ("choices", " | ".join(item.choices)),
            ("answer", item.answer_text),
            ("explanation", item.explanation),
        ):
            problems += [f"{item.id} {field}: {hit!r}" for hit in flagged(text)]
    assert problems == [], "CPT code followed by text:\n" + "\n".join(problems)
