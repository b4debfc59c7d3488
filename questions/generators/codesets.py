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
    seen: set[str] = set()
    for code in cm.get_all_codes(True):
        # Chapters are numbers and blocks are ranges ("A00-A09"). A category that forms a
        # block on its own (B20, F99, R99...) is listed twice and is_block() says True for
        # it, yet it is a real code: keep it, once.
        if code.isdigit() or "-" in code or code in seen:
            continue
        seen.add(code)
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


def build(out_dir: Path = CODESET_DIR) -> list[Path]:
    """Write both code-set files into `out_dir`; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    hcpcs_data = SHARED_DATA / "hcpcs"
    if not (hcpcs_data / "hcpcs_codes.csv").is_file():
        raise FileNotFoundError(f"HCPCS data not found at {hcpcs_data}; set STUDYBOT_SHARED_DATA.")
    progress("Reading ICD-10-CM (April 2026) from simple-icd-10-cm ...")
    icd = icd10cm_lines()
    icd_path = out_dir / ICD10CM_FILE.name
    write_gzip_text(icd_path, "\n".join(icd) + "\n")
    progress(f"Wrote {len(icd):,} ICD-10-CM codes to {icd_path.name}.")
    hcpcs = hcpcs_lines(hcpcs_data)
    hcpcs_path = out_dir / HCPCS_FILE.name
    write_gzip_text(hcpcs_path, "\n".join(hcpcs) + "\n")
    progress(f"Wrote {len(hcpcs):,} HCPCS Level II codes and modifiers to {hcpcs_path.name}.")
    return [icd_path, hcpcs_path]


def main() -> int:
    try:
        build()
    except FileNotFoundError as exc:
        progress(str(exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
