"""The shipped code sets: does a code exist, is it billable, what is it called.

Loaded lazily from questions/codesets/*.tsv.gz (a few MB, well under a second) so
the running bot can validate moderators' items without the ICD-10-CM library.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CODESET_DIR = Path(__file__).resolve().parent / "codesets"
ICD10CM_FILE = CODESET_DIR / "icd10cm-2026-04.tsv.gz"
HCPCS_FILE = CODESET_DIR / "hcpcs-2025-10.tsv.gz"
ICD10CM_RELEASE = "ICD-10-CM April 2026 (CDC/NCHS, via simple-icd-10-cm 1.5.0)"
HCPCS_RELEASE = "HCPCS Level II October 2025 (CMS Alpha-Numeric HCPCS file)"

# A letter then two characters (QA0 of the 2026 release has a letter second), a dot,
# up to four more.
ICD10CM_PATTERN = re.compile(r"^[A-Z][0-9A-Z][0-9A-Z](\.[0-9A-Z]{1,4})?$")
HCPCS_PATTERN = re.compile(r"^[A-CEGHJ-MP-V][0-9]{4}$")
MODIFIER_PATTERN = re.compile(r"^[A-Z0-9]{2}$")


@dataclass(frozen=True)
class CodeEntry:
    code: str
    kind: str
    description: str


@dataclass(frozen=True)
class CodeSet:
    """One code set, keyed by the code as printed (ICD-10-CM with its dot)."""

    release: str
    entries: dict[str, CodeEntry]

    def get(self, code: str) -> CodeEntry | None:
        return self.entries.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self.entries


def _load(path: Path, release: str) -> CodeSet:
    entries: dict[str, CodeEntry] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            code, kind, description = line.rstrip("\n").split("\t", 2)
            entries[code] = CodeEntry(code, kind, description)
    return CodeSet(release, entries)


@lru_cache(maxsize=1)
def icd10cm() -> CodeSet:
    """ICD-10-CM: kind `B` billable, `H` a header that needs more characters."""
    return _load(ICD10CM_FILE, ICD10CM_RELEASE)


@lru_cache(maxsize=1)
def hcpcs() -> CodeSet:
    """HCPCS Level II: `A`/`T` active/terminated codes, `M`/`m` active/terminated modifiers."""
    return _load(HCPCS_FILE, HCPCS_RELEASE)


def icd10cm_with_dot(code: str) -> str:
    """S72001A -> S72.001A: the printed form, from any case, dots or spaces."""
    bare = re.sub(r"[\s.]", "", code).upper()
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"
