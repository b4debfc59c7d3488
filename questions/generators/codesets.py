"""Build questions/codesets/*.tsv.gz from the real code sets.

    python -m questions.generators.codesets

ICD-10-CM comes from `simple-icd-10-cm` 1.5.0 (the April 2026 release, CDC/NCHS,
public domain); HCPCS Level II from ../shared/data/hcpcs (CMS, October 2025; see
its SOURCE.md). Each line: code, kind, description, tab-separated, sorted as the
source lists them. Kinds: ICD-10-CM `B` billable, `H` header (category or
subcategory that needs more characters); HCPCS `A` active, `T` terminated,
`M` active modifier, `m` terminated modifier.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from questions.codes import CODESET_DIR, HCPCS_FILE, ICD10CM_FILE
from questions.generators.common import SHARED_DATA, progress, write_gzip_text


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def icd10cm_lines() -> list[str]:
    """Every ICD-10-CM code (no chapters or blocks), billable or header."""
    import simple_icd_10_cm as cm  # offline only: ~190 MB

    lines = []
    for code in cm.get_all_codes(True):
        if cm.is_chapter_or_block(code):
            continue
        kind = "B" if cm.is_leaf(code) else "H"
        lines.append(f"{code}\t{kind}\t{_clean(cm.get_description(code))}")
    return lines


def hcpcs_lines(data: Path) -> list[str]:
    """HCPCS Level II codes and modifiers from the CMS extract in shared/data."""
    lines = []
    with (data / "hcpcs_codes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["code"].startswith("D"):  # CDT codes belong to the ADA: never shipped
                continue
            kind = "A" if row["status"] == "active" else "T"
            lines.append(f"{row['code']}\t{kind}\t{_clean(row['long_description'])}")
    with (data / "hcpcs_modifiers.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            kind = "M" if row["status"] == "active" else "m"
            lines.append(f"{row['code']}\t{kind}\t{_clean(row['long_description'])}")
    return lines


def main() -> int:
    CODESET_DIR.mkdir(parents=True, exist_ok=True)
    progress("Reading ICD-10-CM (April 2026) from simple-icd-10-cm ...")
    icd = icd10cm_lines()
    write_gzip_text(ICD10CM_FILE, "\n".join(icd) + "\n")
    progress(f"Wrote {len(icd):,} ICD-10-CM codes to {ICD10CM_FILE.name}.")
    hcpcs_data = SHARED_DATA / "hcpcs"
    if not (hcpcs_data / "hcpcs_codes.csv").is_file():
        progress(f"HCPCS data not found at {hcpcs_data}; set STUDYBOT_SHARED_DATA.")
        return 1
    hcpcs = hcpcs_lines(hcpcs_data)
    write_gzip_text(HCPCS_FILE, "\n".join(hcpcs) + "\n")
    progress(f"Wrote {len(hcpcs):,} HCPCS Level II codes and modifiers to {HCPCS_FILE.name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
