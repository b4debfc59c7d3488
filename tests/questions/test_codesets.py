"""The shipped code-set files: reproducible from their sources, and what they claim."""

from __future__ import annotations

from pathlib import Path

from questions import codes
from questions.generators import codesets


def test_generator_reproduces_the_shipped_files(tmp_path: Path) -> None:
    for built in codesets.build(tmp_path):
        shipped = codes.CODESET_DIR / built.name
        assert built.read_bytes() == shipped.read_bytes(), f"{built.name} differs from the build"


def test_icd10cm_release_contents() -> None:
    icd = codes.icd10cm()
    billable = [entry for entry in icd.entries.values() if entry.kind == "B"]
    assert len(billable) > 74_000
    assert icd.get("S72.001A") is not None and icd.get("S72.001A").kind == "B"  # type: ignore[union-attr]
    assert icd.get("E11") is not None and icd.get("E11").kind == "H"  # type: ignore[union-attr]
    assert icd.get("A00-A09") is None  # blocks are not codes
    assert all(codes.ICD10CM_PATTERN.match(code) for code in icd.entries)


def test_hcpcs_release_contents() -> None:
    hcpcs = codes.hcpcs()
    assert hcpcs.get("E0100") is not None and hcpcs.get("LT") is not None
    assert not any(code.startswith("D") and len(code) == 5 for code in hcpcs.entries)
    assert "59" not in hcpcs.entries and "25" not in hcpcs.entries  # CPT modifiers
