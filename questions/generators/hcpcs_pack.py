"""Build questions/packs/hcpcs-generated.yaml: HCPCS Level II drills from the CMS file.

    python -m questions.generators.hcpcs_pack [--out PATH]

Reads only the CMS Alpha-Numeric HCPCS extract in ../shared/data/hcpcs (October
2025; see its SOURCE.md): active procedure codes and active modifiers. D-codes
(the ADA's CDT) are never used, and no CPT (Level I) code or modifier is used as
an answer or a choice. Every item is a four-choice MCQ in one of five families:

1. description -> code   (``hcpcs.code.<code>``, topic hcpcs.codes)
2. code -> description   (``hcpcs.desc.<code>``, topic hcpcs.codes)
3. sections              (``hcpcs.section.<l>``, ``hcpcs.section-letter.<l>``,
                          ``hcpcs.section-of.<code>``, topic hcpcs.sections)
4. modifiers             (``hcpcs.mod.<m>``, ``hcpcs.mod-find.<m>``, topic hcpcs.modifiers)
5. drug units            (``hcpcs.unit.<code>``, ``hcpcs.units-calc.<code>``, topic hcpcs.codes)

The output is byte-for-byte reproducible: input rows are sorted, every "random"
choice is a SHA-256 of a fixed salt and the item id, and nothing depends on dates.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from functools import partial
from pathlib import Path

from questions.codes import HCPCS_RELEASE
from questions.generators.common import REPO, SHARED_DATA, dump_pack, mcq_item, progress
from questions.schema import Exam, Item, PackFile, PackMeta
from questions.validate import MAX_BODY, NEAR_DUPLICATE, normalise_text

DATA_DIR = SHARED_DATA / "hcpcs"
OUT = REPO / "questions" / "packs" / "hcpcs-generated.yaml"

EXAMS: list[Exam] = ["CPC", "COC", "CCA", "CCS"]
YEAR = 2025
CITE = "CMS HCPCS Level II, October 2025"
SALT = "hcpcs-pack-v1"

# How many items some families aim for (the whole pack comes to ~480).
QUOTA_DESC_TO_CODE = 125
QUOTA_CODE_TO_DESC = 85
QUOTA_UNIT_AMOUNT = 16
QUOTA_UNIT_CALC = 16

MAX_PROMPT_DESCRIPTION = 400  # "skip descriptions longer than ~400 characters"
MAX_CHOICE = 300
MAX_EXPLANATION = 2000

# A code mentioned inside a description (CMS writes them in lower case: "j2185"),
# or a five-character CPT-like code ("98940", "0001u"): such texts are not used as
# prompts or choices, so no item shows a code it does not check.
_CODE_IN_TEXT = re.compile(r"\b(?:[a-z][0-9]{4}|[0-9]{4}[0-9a-z])\b", re.IGNORECASE)
_HCPCS_CODE = re.compile(r"^[A-CEGHJ-MP-V][0-9]{4}$")
_MODIFIER_CODE = re.compile(r"^[A-Z0-9]{2}$")


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """One active HCPCS Level II procedure code."""

    code: str
    description: str
    letter: str

    @property
    def number(self) -> int:
        return int(self.code[1:])


@dataclass(frozen=True)
class Modifier:
    """One active HCPCS Level II modifier."""

    code: str
    description: str


@dataclass(frozen=True)
class Data:
    codes: tuple[Code, ...]
    modifiers: tuple[Modifier, ...]

    def by_letter(self) -> dict[str, list[Code]]:
        groups: dict[str, list[Code]] = defaultdict(list)
        for code in self.codes:
            groups[code.letter].append(code)
        return dict(sorted(groups.items()))


def _clean(text: str) -> str:
    return " ".join(text.split())


def load_codes(data_dir: Path = DATA_DIR) -> tuple[Code, ...]:
    """Active Level II codes from hcpcs_codes_active.csv, sorted; never a D-code."""
    codes: list[Code] = []
    with (data_dir / "hcpcs_codes_active.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip().upper()
            if row["status"] != "active" or code.startswith("D") or not _HCPCS_CODE.match(code):
                continue
            codes.append(Code(code, _clean(row["long_description"]), code[0]))
    return tuple(sorted(codes, key=lambda c: c.code))


def load_modifiers(data_dir: Path = DATA_DIR) -> tuple[Modifier, ...]:
    """Active Level II modifiers from hcpcs_modifiers.csv, sorted."""
    modifiers: list[Modifier] = []
    with (data_dir / "hcpcs_modifiers.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip().upper()
            if row["status"] != "active" or not _MODIFIER_CODE.match(code) or code.isdigit():
                continue
            modifiers.append(Modifier(code, _clean(row["long_description"])))
    return tuple(sorted(modifiers, key=lambda m: m.code))


def load_data(data_dir: Path = DATA_DIR) -> Data:
    return Data(load_codes(data_dir), load_modifiers(data_dir))


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _hash(*parts: str) -> int:
    digest = hashlib.sha256(":".join((SALT, *parts)).encode("utf-8")).hexdigest()
    return int(digest[:16], 16)


def _hash_order(values: Iterable[str], *salt: str) -> list[str]:
    return sorted(values, key=lambda value: (_hash(*salt, value), value))


def _quote(text: str, limit: int) -> str:
    """CMS text in double quotes, cut at a word boundary if it is longer than `limit`."""
    if len(text) <= limit:
        return f'"{text}"'
    cut = text[: max(limit - 1, 10)].rsplit(" ", 1)[0].rstrip(",;:")
    return f'"{cut}…"'


def _similarity(left: str, right: str) -> float:
    return SequenceMatcher(None, left.lower(), right.lower(), autojunk=False).ratio()


def _mentions_code(text: str) -> bool:
    return bool(_CODE_IN_TEXT.search(text))


def _fit(render: Callable[[int], str], limits: Sequence[int] = (260, 200, 150, 110, 80, 60)) -> str:
    """The first rendering (longest quotes first) that fits in an explanation."""
    for limit in limits:
        text = render(limit)
        if len(text) <= MAX_EXPLANATION:
            return text
    raise ValueError("explanation does not fit")  # pragma: no cover - guarded by the limits


def _number(value: Decimal) -> str:
    """1, 0.25, 2.5, 1000: plain decimal notation, no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _units(count: int) -> str:
    return "1 unit" if count == 1 else f"{count} units"


def _join(parts: Sequence[str]) -> str:
    return "; ".join(parts)


# --------------------------------------------------------------------------
# Item assembly and the validator's gates, applied while building
# --------------------------------------------------------------------------


def _mcq(
    item_id: str,
    topic: str,
    difficulty: int,
    prompt: str,
    correct: str,
    distractors: Sequence[str],
    explanation: str,
    reference: str,
) -> Item:
    """Four choices in an order fixed by hashes of the id and the texts.

    The whole list is shuffled, not the right answer inserted into sorted
    distractors: an out-of-order code would give the answer away.
    """
    if len(distractors) != 3:
        raise ValueError(f"{item_id}: needs 3 distractors, got {len(distractors)}")
    choices = sorted(
        [correct, *distractors], key=lambda text: (_hash("order", item_id, text), text)
    )
    return mcq_item(
        item_id=item_id,
        topic=topic,
        exams=EXAMS,
        difficulty=difficulty,
        prompt=prompt,
        choices=choices,
        correct=choices.index(correct),
        explanation=explanation,
        reference=reference,
        year=YEAR,
    )


@dataclass
class PackBuilder:
    """Collects items and refuses any that would fail the pack validator's text gates."""

    items: list[Item] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    prompts: set[str] = field(default_factory=set)
    by_answer: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def problem(self, item: Item) -> str | None:
        if item.id in self.ids:
            return "duplicate id"
        if len({normalise_text(choice) for choice in item.choices}) != 4:
            return "choices not distinct"
        if any(len(choice) > MAX_CHOICE for choice in item.choices):
            return "choice too long"
        body = len(item.prompt) + sum(len(choice) + 8 for choice in item.choices)
        if body > MAX_BODY:
            return "body too long"
        if len(item.explanation) > MAX_EXPLANATION or len(item.reference) > 1000:
            return "explanation or reference too long"
        prompt = normalise_text(item.prompt)
        answer = normalise_text(item.correct_text)
        if len(answer) >= 4 and re.search(rf"\b{re.escape(answer)}\b", prompt):
            return "prompt gives the answer away"
        if prompt in self.prompts:
            return "duplicate prompt"
        for other in self.by_answer[answer]:
            matcher = SequenceMatcher(None, other, prompt, autojunk=False)
            if (
                matcher.real_quick_ratio() >= NEAR_DUPLICATE
                and matcher.quick_ratio() >= NEAR_DUPLICATE
                and matcher.ratio() >= NEAR_DUPLICATE
            ):
                return "near-duplicate prompt with the same answer"
        return None

    def add(self, item: Item) -> bool:
        if self.problem(item) is not None:
            return False
        self.items.append(item)
        self.ids.add(item.id)
        prompt = normalise_text(item.prompt)
        self.prompts.add(prompt)
        self.by_answer[normalise_text(item.correct_text)].append(prompt)
        return True


# --------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    letter: str
    meaning: str  # our own words
    evidence: tuple[str, ...]  # each pattern must match at least one active description
    example: str  # an active code that shows the section's content


SECTIONS: tuple[Section, ...] = (
    Section(
        "A",
        "Transportation services including ambulance, medical and surgical supplies "
        "(dressings, ostomy and catheter supplies) and miscellaneous items such as "
        "radiopharmaceuticals",
        ("ambulance", "dressing", "ostomy", "catheter", "tc-99m"),
        "A0428",
    ),
    Section(
        "B",
        "Enteral and parenteral nutrition: formulas, nutrition solutions, supply kits and pumps",
        ("enteral formula", "parenteral nutrition solution", "supply kit", "pump"),
        "B4150",
    ),
    Section(
        "C",
        "Codes for the Medicare hospital outpatient prospective payment system (OPPS), such "
        "as implantable devices, brachytherapy sources and new drugs and procedures",
        ("implantable", "brachytherapy", "injection"),
        "C1713",
    ),
    Section(
        "E",
        "Durable medical equipment such as canes, walkers, hospital beds, wheelchairs and "
        "oxygen equipment",
        ("cane", "walker", "hospital bed", "wheelchair", "oxygen"),
        "E0100",
    ),
    Section(
        "G",
        "Temporary codes for procedures and professional services, including many "
        "quality-measure reporting codes",
        ("administration of", "visit", "screening", "measurement period"),
        "G0008",
    ),
    Section(
        "H",
        "Behavioral health services: alcohol and drug treatment and mental health services",
        ("alcohol and/or drug", "mental health"),
        "H0001",
    ),
    Section(
        "J",
        "Drugs, mostly given other than by mouth (injections, infusions, inhalation "
        "solutions), including chemotherapy drugs",
        ("injection", "infusion", "inhalation solution", "chemotherap|antineoplastic"),
        "J1100",
    ),
    Section(
        "K",
        "Temporary codes for the durable medical equipment Medicare administrative "
        "contractors (DME MACs), such as wheelchairs and their parts",
        ("wheelchair", "dme"),
        "K0001",
    ),
    Section(
        "L",
        "Orthotic and prosthetic devices and procedures (orthoses, artificial limbs and "
        "their additions)",
        ("orthosis", "prosthe"),
        "L3000",
    ),
    Section(
        "M",
        "Medical services (for example vaccine administration in the home) and quality-"
        "measure reporting codes, including MIPS value pathways",
        ("mips value pathway", "measurement period", "administration"),
        "M0201",
    ),
    Section(
        "P",
        "Pathology and laboratory services, including blood and blood products for transfusion",
        ("blood", "transfusion", "papanicolaou"),
        "P9010",
    ),
    Section(
        "Q",
        "Temporary codes for items and services with no permanent code yet, such as casting "
        "supplies, skin substitutes and biosimilar drugs",
        ("casting supplies", "per square centimeter", "biosimilar"),
        "Q4001",
    ),
    Section(
        "R",
        "Diagnostic radiology services: transporting portable X-ray and EKG equipment",
        ("portable x-ray", "ekg"),
        "R0070",
    ),
    Section(
        "S",
        "Temporary national codes created for private (commercial) payers rather than "
        "Medicare, such as home infusion therapy per diems",
        ("home infusion therapy", "per diem"),
        "S9126",
    ),
    Section(
        "T",
        "Codes created for state Medicaid agencies, such as waiver services, personal care "
        "and incontinence products",
        ("waiver", "personal care", "incontinence"),
        "T1019",
    ),
    Section(
        "U",
        "Coronavirus (COVID-19) laboratory tests",
        ("coronavirus", "ncov"),
        "U0001",
    ),
    Section(
        "V",
        "Vision and hearing services and items (lenses, frames, hearing aids), plus a few "
        "speech-language items",
        ("lens", "frames", "hearing aid", "speech"),
        "V5030",
    ),
)

# For "which section holds <description>": only sections whose content is
# unmistakable are asked or offered; the catch-all temporary and payer sections
# (C, G, K, Q, S, T) hold items that look like anything, so they are never offered.
DISTINCT_SECTIONS = ("A", "B", "E", "H", "J", "L", "P", "V")
NEVER_CONFUSE = {
    "A": {"E"},  # supplies vs equipment: replacement parts sit in A, the device in E
    "E": {"A"},
    "R": {"A", "P"},  # transport (A) and laboratory (P) would be unfair for R and U
    "U": {"A", "P"},
}
SECTION_OF_PICKS: dict[str, Callable[[Code], bool]] = {
    "A": lambda c: c.number < 1000 or 4000 <= c.number < 8000,
    "B": lambda c: True,
    "E": lambda c: True,
    "H": lambda c: bool(
        re.search(r"alcohol|drug|mental|psychiatric|behavioral", c.description, re.I)
    ),
    "J": lambda c: c.description.startswith("Injection, "),
    "L": lambda c: True,
    "P": lambda c: c.number >= 9000,
    "V": lambda c: True,
    "R": lambda c: True,
    "U": lambda c: True,
}
SECTION_OF_QUOTA = {"A": 5, "B": 5, "E": 5, "H": 5, "J": 5, "L": 5, "P": 5, "V": 5, "R": 1, "U": 1}


def check_sections(data: Data) -> dict[str, Section]:
    """Every section meaning is backed by the data: letters present, evidence found."""
    groups = data.by_letter()
    sections = {section.letter: section for section in SECTIONS}
    if set(groups) != set(sections):
        raise ValueError(f"section letters in the data {sorted(groups)} != {sorted(sections)}")
    known = {code.code for code in data.codes}
    for section in SECTIONS:
        descriptions = [code.description.lower() for code in groups[section.letter]]
        for pattern in section.evidence:
            if not any(re.search(pattern, text) for text in descriptions):
                raise ValueError(f"section {section.letter}: no description matches {pattern!r}")
        if section.example not in known or not section.example.startswith(section.letter):
            raise ValueError(f"section {section.letter}: example {section.example} not active")
    return sections


def _section_span(codes: Sequence[Code]) -> str:
    return f"{len(codes)} active codes, {codes[0].code}-{codes[-1].code}"


def _short_meaning(meaning: str) -> str:
    return meaning[0].lower() + meaning[1:]


def _section_explanation(
    first: str,
    section: Section,
    others: Sequence[str],
    sections: dict[str, Section],
    groups: dict[str, list[Code]],
    descriptions: dict[str, str],
) -> str:
    rest = _join([f"{o} is {_short_meaning(sections[o].meaning)}" for o in sorted(others)])
    example = f"{section.example} {_quote(descriptions[section.example], 120)}"
    return (
        f"{first} In the October 2025 CMS file section {section.letter} has "
        f"{_section_span(groups[section.letter])}; for example {example}. "
        f"The other choices describe other sections: {rest}."
    )


def section_items(data: Data, builder: PackBuilder, used: set[str]) -> dict[str, int]:
    sections = check_sections(data)
    groups = data.by_letter()
    descriptions = {code.code: code.description for code in data.codes}
    counts = {"letter-to-meaning": 0, "meaning-to-letter": 0, "code-to-letter": 0}
    letters = list(sections)

    for section in SECTIONS:
        letter = section.letter
        span = _section_span(groups[letter])
        others = sorted([o for o in _hash_order(letters, "section", letter) if o != letter][:3])
        first = f"{letter} codes are: {_short_meaning(section.meaning)}."
        item = _mcq(
            f"hcpcs.section.{letter.lower()}",
            "hcpcs.sections",
            1,
            f"Which description best fits HCPCS Level II codes beginning with the letter {letter}?",
            section.meaning,
            [sections[o].meaning for o in others],
            _section_explanation(first, section, others, sections, groups, descriptions),
            f"{CITE}: section {letter} ({span})",
        )
        if builder.add(item):
            counts["letter-to-meaning"] += 1

        wrong = sorted([o for o in _hash_order(letters, "letter", letter) if o != letter][:3])
        first = f"Section {letter} holds these codes."
        item = _mcq(
            f"hcpcs.section-letter.{letter.lower()}",
            "hcpcs.sections",
            1,
            f"Which HCPCS Level II section letter is used for {_short_meaning(section.meaning)}?",
            letter,
            wrong,
            _section_explanation(first, section, wrong, sections, groups, descriptions),
            f"{CITE}: section {letter} ({span})",
        )
        if builder.add(item):
            counts["meaning-to-letter"] += 1

    # "Which section letter holds <an actual code's description>?"
    heads: dict[str, set[str]] = defaultdict(set)
    for code in data.codes:
        heads[_head(code.description)].add(code.letter)
    for letter, quota in SECTION_OF_QUOTA.items():
        pool = [
            code
            for code in groups[letter]
            if SECTION_OF_PICKS[letter](code)
            and _usable_prompt(code.description, limit=200)
            and code.code not in used
        ]
        added = 0
        for code_id in _hash_order([c.code for c in pool], "section-of", letter):
            if added >= quota:
                break
            code = next(c for c in pool if c.code == code_id)
            banned = heads[_head(code.description)] | NEVER_CONFUSE.get(letter, set()) | {letter}
            offer = [o for o in _hash_order(DISTINCT_SECTIONS, "of", code.code) if o not in banned]
            if len(offer) < 3:
                continue
            wrong = sorted(offer[:3])
            rest = _join([f"{o} is {_short_meaning(sections[o].meaning)}" for o in wrong])
            item = _mcq(
                f"hcpcs.section-of.{code.code.lower()}",
                "hcpcs.sections",
                1,
                "In which HCPCS Level II section (first letter of the code) is this item "
                f'found: "{code.description}"?',
                letter,
                wrong,
                f"CMS lists this as {code.code}, so it is in section {letter}: "
                f"{_short_meaning(sections[letter].meaning)}. The other letters are other "
                f"sections: {rest}.",
                f"{CITE}: {code.code}",
            )
            if builder.add(item):
                used.add(code.code)
                added += 1
                counts["code-to-letter"] += 1
    return counts


def _head(description: str) -> str:
    """The leading words before the first comma, semicolon or parenthesis."""
    return re.split(r"[,;(]", description.lower(), maxsplit=1)[0].strip()


# --------------------------------------------------------------------------
# Families 1 and 2: description -> code and code -> description
# --------------------------------------------------------------------------

# Quality-measure reporting codes (MIPS/eCQM numerators and exclusions) are
# thousands of near-identical sentences that no exam asks you to look up.
_MEASURE_TEXT = re.compile(
    r"measurement period|performance period|documented|documentation|mips|"
    r"\bpatients? (?:with|who|had|has|have|received|not|refused|is|are|was|were)\b|"
    r"reason(?:s)? not given|\bmeasure\b|\bdenominator\b|\bnumerator\b",
    re.IGNORECASE,
)


# "<brand>, per square centimeter": skin substitutes told apart only by brand name.
_BRAND_ONLY = re.compile(r"^[^,;()]+, per square centimeter$", re.IGNORECASE)


def _is_measure_code(code: Code) -> bool:
    if code.letter == "M" and code.number >= 1000:
        return True
    if code.letter == "G" and (code.number >= 8000 or 4000 <= code.number < 5000):
        return True
    return bool(_MEASURE_TEXT.search(code.description))


def _usable_prompt(description: str, limit: int = MAX_PROMPT_DESCRIPTION) -> bool:
    return len(description) <= limit and not _mentions_code(description)


def _usable_choice(description: str) -> bool:
    return len(description) <= MAX_CHOICE and not _mentions_code(description)


def _neighbours(
    code: Code, same_letter: Sequence[Code], accept: Callable[[Code], bool], count: int = 3
) -> list[Code]:
    """The nearest codes in the same section, alternating below and above the code."""
    index = next(i for i, c in enumerate(same_letter) if c.code == code.code)
    seen = {normalise_text(code.description)}
    picked: list[Code] = []
    for distance in range(1, len(same_letter)):
        for other_index in (index - distance, index + distance):
            if not 0 <= other_index < len(same_letter):
                continue
            other = same_letter[other_index]
            key = normalise_text(other.description)
            if key in seen or not accept(other):
                continue
            seen.add(key)
            picked.append(other)
            if len(picked) == count:
                return picked
    return picked


def _similar_elsewhere(
    code: Code, codes: Sequence[Code], exclude: set[str], accept: Callable[[Code], bool], count: int
) -> list[Code]:
    """Fallback for tiny sections (R, U): the codes sharing most words with this one."""
    words = set(normalise_text(code.description).split())
    seen = {normalise_text(code.description)}
    scored: list[tuple[float, str, Code]] = []
    for other in codes:
        if other.code in exclude or other.code == code.code or not accept(other):
            continue
        other_words = set(normalise_text(other.description).split())
        overlap = len(words & other_words) / max(len(words | other_words), 1)
        scored.append((-overlap, other.code, other))
    picked: list[Code] = []
    for _, _, other in sorted(scored, key=lambda entry: (entry[0], entry[1])):
        key = normalise_text(other.description)
        if key in seen:
            continue
        seen.add(key)
        picked.append(other)
        if len(picked) == count:
            break
    return picked


def _distractor_codes(
    code: Code, data: Data, groups: dict[str, list[Code]], accept: Callable[[Code], bool]
) -> list[Code]:
    picked = _neighbours(code, groups[code.letter], accept)
    if len(picked) < 3:
        exclude = {c.code for c in picked}
        picked += _similar_elsewhere(code, data.codes, exclude, accept, 3 - len(picked))
    return picked


def _quotas(pools: dict[str, list[Code]], total: int) -> dict[str, int]:
    """Spread `total` over the sections by the square root of their pool sizes."""
    weights = {letter: math.sqrt(len(pool)) for letter, pool in pools.items() if pool}
    scale = total / sum(weights.values())
    raw = {letter: weight * scale for letter, weight in weights.items()}
    quotas = {letter: min(max(1, int(value)), len(pools[letter])) for letter, value in raw.items()}
    remainders = sorted(raw, key=lambda letter: (-(raw[letter] - int(raw[letter])), letter))
    for letter in remainders * 3:
        if sum(quotas.values()) >= total:
            break
        if quotas[letter] < len(pools[letter]):
            quotas[letter] += 1
    return quotas


def _spread(pool: Sequence[Code], chunks: int, salt: str) -> list[Code]:
    """An order that visits the whole numeric range of a section before repeating."""
    chunks = max(1, min(chunks, len(pool)))
    size = len(pool) / chunks
    buckets = [list(pool[round(i * size) : round((i + 1) * size)]) for i in range(chunks)]
    ordered = [sorted(b, key=lambda c: (_hash(salt, c.code), c.code)) for b in buckets]
    result: list[Code] = []
    for depth in range(max(len(b) for b in ordered)):
        result.extend(bucket[depth] for bucket in ordered if depth < len(bucket))
    return result


def _difficulty(answer: str, others: Sequence[str]) -> int:
    closest = max(_similarity(answer, other) for other in others)
    return 3 if closest >= 0.8 else 2


def _desc_to_code(code: Code, data: Data, groups: dict[str, list[Code]]) -> Item | None:
    if not _usable_prompt(code.description):
        return None
    distractors = _distractor_codes(code, data, groups, lambda other: True)
    if len(distractors) < 3:
        return None
    same = all(d.letter == code.letter for d in distractors)
    where = f"nearby {code.letter} codes" if same else "codes with similar descriptions"

    def render(limit: int) -> str:
        others = _join([f"{d.code} is {_quote(d.description, limit)}" for d in distractors])
        return (
            f"{code.code} is the code CMS describes with exactly this wording. The other "
            f"choices are {where}, easy to confuse with it: {others}."
        )

    return _mcq(
        f"hcpcs.code.{code.code.lower()}",
        "hcpcs.codes",
        _difficulty(code.description, [d.description for d in distractors]),
        f'Which HCPCS Level II code is described as: "{code.description}"?',
        code.code,
        sorted(d.code for d in distractors),
        _fit(render),
        f"{CITE}: {code.code} (distractors {', '.join(sorted(d.code for d in distractors))})",
    )


def _code_to_desc(code: Code, data: Data, groups: dict[str, list[Code]]) -> Item | None:
    if not _usable_choice(code.description):
        return None
    distractors = _distractor_codes(code, data, groups, lambda o: _usable_choice(o.description))
    if len(distractors) < 3:
        return None

    def render(limit: int) -> str:
        others = _join([f"{_quote(d.description, limit)} is {d.code}" for d in distractors])
        return (
            f"CMS describes {code.code} as {_quote(code.description, limit)}. The other choices "
            f"are the descriptions of neighbouring codes: {others}."
        )

    return _mcq(
        f"hcpcs.desc.{code.code.lower()}",
        "hcpcs.codes",
        _difficulty(code.description, [d.description for d in distractors]),
        f"Which is the CMS long description of HCPCS Level II code {code.code}?",
        code.description,
        [d.description for d in sorted(distractors, key=lambda d: d.code)],
        _fit(render),
        f"{CITE}: {code.code} (distractors {', '.join(sorted(d.code for d in distractors))})",
    )


def code_items(data: Data, builder: PackBuilder, used: set[str]) -> dict[str, int]:
    groups = data.by_letter()
    pools = {
        letter: [
            c
            for c in codes
            if not _is_measure_code(c)
            and not _BRAND_ONLY.match(c.description)
            and c.code not in used
            and not _mentions_code(c.description)
        ]
        for letter, codes in groups.items()
    }
    total = QUOTA_DESC_TO_CODE + QUOTA_CODE_TO_DESC
    quotas = _quotas(pools, total)
    counts = {"desc-to-code": 0, "code-to-desc": 0}
    for letter, pool in pools.items():
        quota = quotas.get(letter, 0)
        want_desc = round(quota * QUOTA_DESC_TO_CODE / total)
        want = {"desc-to-code": max(want_desc, 1), "code-to-desc": max(quota - want_desc, 1)}
        have = {"desc-to-code": 0, "code-to-desc": 0}
        for code in _spread(pool, quota, letter):
            if all(have[f] >= want[f] for f in have):
                break
            order = sorted(have, key=lambda f: (have[f] / want[f], f))
            for family in order:
                if have[family] >= want[family]:
                    continue
                make = _desc_to_code if family == "desc-to-code" else _code_to_desc
                item = make(code, data, groups)
                if item is not None and builder.add(item):
                    have[family] += 1
                    used.add(code.code)
                    break
        for family, count in have.items():
            counts[family] += count
        progress(
            f"  {letter}: {have['desc-to-code']} description->code, {have['code-to-desc']} back"
        )
    return counts


# --------------------------------------------------------------------------
# Family 4: modifiers
# --------------------------------------------------------------------------

MODIFIER_FAMILIES: dict[str, tuple[str, ...]] = {
    "side": ("LT", "RT"),
    "eyelid": ("E1", "E2", "E3", "E4"),
    "hand": ("FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"),
    "foot": ("TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"),
    "coronary": ("LC", "LD", "LM", "RC", "RI"),
    "distinct": ("XE", "XP", "XS", "XU"),
    "liability": ("GA", "GU", "GX", "GY", "GZ", "GK", "GL", "KX", "EY"),
    "anesthesia": ("AA", "AD", "QK", "QX", "QY", "QZ", "QS", "G8", "G9"),
    "physical-status": ("P1", "P2", "P3", "P4", "P5", "P6"),
    "wounds": ("A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9"),
    "prosthesis-level": ("K0", "K1", "K2", "K3", "K4"),
    "therapy": ("GN", "GO", "GP", "CO", "CQ"),
    "telehealth": ("GT", "GQ", "FQ", "FR", "G0"),
    "dme": ("RR", "NU", "UE", "LL", "NR", "KH", "KI", "KJ", "KR", "MS", "BP", "BR", "RA", "RB"),
    "drug": ("JW", "JZ", "JA", "JB", "JE", "JK", "JL", "KD", "KO", "KP", "KQ", "EJ", "TB"),
    "teaching": ("GC", "GE", "GR"),
    "research": ("Q0", "Q1", "Q2", "Q3"),
    "wrong-surgery": ("PA", "PB", "PC"),
    "component": ("TC", "FX", "FY", "CT", "QW"),
    "outpatient": ("PN", "PO", "ER", "PD"),
    "mammography": ("GG", "GH", "PT"),
    "esa": ("EA", "EB", "EC", "ED", "EE", "GS"),
    "ambulance": ("QM", "QN", "QL", "GM", "TK", "TP", "TQ"),
    "practitioner": ("AS", "AH", "AJ", "AE", "AF", "AG", "AI", "AM", "SA", "SB", "GF"),
}

# Asked in both directions: the exam favourites.
MODIFIER_FAVOURITES: tuple[str, ...] = (
    *("LT", "RT"),
    *("E1", "E2", "E3", "E4"),
    *("FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"),
    *("TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"),
    *("LC", "LD", "LM", "RC", "RI"),
    *("XE", "XP", "XS", "XU"),
    *("GA", "GX", "GY", "GZ", "KX"),
    *("AA", "AD", "QK", "QX", "QY", "QZ", "QS", "G8", "G9"),
    *("P1", "P2", "P3", "P4", "P5", "P6"),
    *("K0", "K1", "K2", "K3", "K4"),
    *("GN", "GO", "GP", "CO", "CQ"),
    *("GT", "GQ", "FQ"),
    *("RR", "NU", "UE"),
    *("JW", "JZ"),
    *("GC", "GE"),
    *("Q0", "Q1"),
    *("PA", "PB", "PC"),
    *("TC", "QW"),
)
# Context shared by a whole family, in our own words, added to the explanation.
FAMILY_NOTES: dict[str, str] = {
    "distinct": (
        "XE, XP, XS and XU are the HCPCS Level II subsets of CPT modifier 59; CMS encourages "
        "the more specific X modifier when one applies."
    ),
    "liability": (
        "GA and GX record that a liability notice (such as an advance beneficiary notice) was "
        "issued, GY marks an item or service excluded by statute and GZ one expected to be "
        "denied as not reasonable and necessary; KX says the medical policy's requirements "
        "were met."
    ),
    "hand": "FA and F1-F9 identify the fingers: FA-F4 the left hand, F5-F9 the right.",
    "foot": "TA and T1-T9 identify the toes: TA-T4 the left foot, T5-T9 the right.",
    "eyelid": "E1-E4 identify the eyelids: E1/E2 left upper/lower, E3/E4 right upper/lower.",
    "side": "LT and RT identify the side of the body; they are HCPCS Level II modifiers.",
    "physical-status": (
        "P1-P6 are the anesthesia physical status modifiers, from a normal healthy patient "
        "(P1) to a brain-dead organ donor (P6)."
    ),
    "anesthesia": (
        "AA, AD, QK, QX, QY and QZ tell who furnished anesthesia and how it was directed; "
        "QS, G8 and G9 mark monitored anesthesia care."
    ),
    "prosthesis-level": (
        "K0-K4 are the lower extremity prosthesis functional levels, from K0 (cannot "
        "ambulate) to K4 (high-impact activity beyond basic ambulation)."
    ),
    "therapy": (
        "GN, GO and GP name the therapy plan of care (speech-language, occupational, "
        "physical); CO and CQ flag services furnished in whole or in part by an assistant."
    ),
    "coronary": "LC, LD, LM, RC and RI identify the coronary artery treated.",
}

_SELF_REFERENCE = "this modifier"


def modifier_meaning(modifier: Modifier) -> str:
    """CMS text with the modifier's own code (e.g. "the 'rr' modifier") replaced."""
    code = re.escape(modifier.code.lower())
    text = modifier.description
    patterns = (
        rf"the '{code}' modifier",
        rf"modifier '{code}'",
        rf"modifier {code}\b",
        f"'{code}'",
    )
    for pattern in patterns:
        text = re.sub(pattern, _SELF_REFERENCE, text, flags=re.IGNORECASE)
    return text


def _usable_meaning(modifier: Modifier) -> bool:
    meaning = modifier_meaning(modifier)
    return len(meaning) <= MAX_CHOICE and not _mentions_code(meaning)


def _own_code_note(modifier: Modifier) -> str:
    if modifier_meaning(modifier) == modifier.description:
        return ""
    return f' (where we write "{_SELF_REFERENCE}", CMS writes the code {modifier.code})'


def _family_of(code: str) -> str | None:
    for name, members in MODIFIER_FAMILIES.items():
        if code in members:
            return name
    return None


def _mentions(text: str, code: str) -> bool:
    return bool(re.search(rf"\b{re.escape(code.lower())}\b", text.lower()))


def _modifier_distractors(
    modifier: Modifier, modifiers: dict[str, Modifier], accept: Callable[[Modifier], bool]
) -> list[Modifier]:
    """Three from the same family first, then modifiers sharing the first character,
    then the modifiers whose meanings share the most words."""
    family = _family_of(modifier.code)
    candidates: list[str] = []
    if family is not None:
        members = [m for m in MODIFIER_FAMILIES[family] if m != modifier.code]
        candidates += _hash_order(members, "mod", modifier.code)
    same_start = [m for m in modifiers if m[0] == modifier.code[0] and m != modifier.code]
    candidates += _hash_order(same_start, "mod-start", modifier.code)
    words = set(normalise_text(modifier.description).split())

    def overlap(code: str) -> tuple[float, str]:
        other = set(normalise_text(modifiers[code].description).split())
        return (-len(words & other) / max(len(words | other), 1), code)

    candidates += sorted((m for m in modifiers if m != modifier.code), key=overlap)
    picked: list[Modifier] = []
    seen = {normalise_text(modifier_meaning(modifier))}
    for code in candidates:
        other = modifiers.get(code)
        if other is None or other in picked:
            continue
        key = normalise_text(modifier_meaning(other))
        if key in seen or not accept(other):
            continue
        if _mentions(other.description, modifier.code) or _mentions(
            modifier.description, other.code
        ):
            continue
        seen.add(key)
        picked.append(other)
        if len(picked) == 3:
            break
    return picked


def _modifier_note(code: str) -> str:
    family = _family_of(code)
    note = FAMILY_NOTES.get(family or "", "")
    return f" {note}" if note else ""


def _distractor_list(distractors: Sequence[Modifier]) -> str:
    return ", ".join(sorted(d.code for d in distractors))


def _explain_meaning(modifier: Modifier, distractors: Sequence[Modifier], limit: int) -> str:
    code = modifier.code
    meaning = modifier_meaning(modifier)
    others = _join([f"{_quote(modifier_meaning(d), limit)} is {d.code}" for d in distractors])
    return (
        f"CMS defines {code} as {_quote(meaning, limit)}{_own_code_note(modifier)}. The other "
        f"choices are other modifiers' meanings: {others}.{_modifier_note(code)}"
    )


def _explain_find(modifier: Modifier, distractors: Sequence[Modifier], limit: int) -> str:
    code = modifier.code
    others = _join([f"{d.code} is {_quote(modifier_meaning(d), limit)}" for d in distractors])
    return (
        f"{code} is the modifier CMS describes this way{_own_code_note(modifier)}. The other "
        f"choices mean something else: {others}.{_modifier_note(code)}"
    )


def _modifier_to_meaning(modifier: Modifier, modifiers: dict[str, Modifier]) -> Item | None:
    code = modifier.code
    meaning = modifier_meaning(modifier)
    if len(meaning) > MAX_CHOICE:
        return None
    distractors = _modifier_distractors(modifier, modifiers, _usable_meaning)
    if len(distractors) < 3:
        return None
    return _mcq(
        f"hcpcs.mod.{code.lower()}",
        "hcpcs.modifiers",
        1 if _family_of(code) in {"side", "distinct", "liability"} else 2,
        f"What does HCPCS Level II modifier {code} mean?",
        meaning,
        [modifier_meaning(d) for d in sorted(distractors, key=lambda d: d.code)],
        _fit(partial(_explain_meaning, modifier, distractors)),
        f"{CITE}: modifier {code} (distractors {_distractor_list(distractors)})",
    )


def _meaning_to_modifier(modifier: Modifier, modifiers: dict[str, Modifier]) -> Item | None:
    code = modifier.code
    meaning = modifier_meaning(modifier)
    if len(meaning) > MAX_PROMPT_DESCRIPTION + 150:
        return None
    distractors = _modifier_distractors(modifier, modifiers, lambda m: True)
    if len(distractors) < 3:
        return None
    return _mcq(
        f"hcpcs.mod-find.{code.lower()}",
        "hcpcs.modifiers",
        2,
        f'Which HCPCS Level II modifier is described as: "{meaning}"?',
        code,
        sorted(d.code for d in distractors),
        _fit(partial(_explain_find, modifier, distractors)),
        f"{CITE}: modifier {code} (distractors {_distractor_list(distractors)})",
    )


def modifier_items(data: Data, builder: PackBuilder) -> dict[str, int]:
    modifiers = {m.code: m for m in data.modifiers}
    counts = {"modifier-to-meaning": 0, "meaning-to-modifier": 0}
    for code in MODIFIER_FAVOURITES:
        modifier = modifiers.get(code)
        if modifier is None:
            progress(f"  modifier {code} is not active in the file: skipped")
            continue
        meaning = modifier_meaning(modifier)
        if _mentions(meaning, code) or _mentions_code(meaning):
            progress(f"  modifier {code}: its description names itself or a code; skipped")
            continue
        item = _modifier_to_meaning(modifier, modifiers)
        if item is not None and builder.add(item):
            counts["modifier-to-meaning"] += 1
        item = _meaning_to_modifier(modifier, modifiers)
        if item is not None and builder.add(item):
            counts["meaning-to-modifier"] += 1
    return counts


# --------------------------------------------------------------------------
# Family 5: drug units
# --------------------------------------------------------------------------

_DOSE = re.compile(
    r"^Injection, (?P<drug>[a-z0-9][^;]*?), (?P<per>per )?"
    r"(?P<amount>[0-9]+(?:\.[0-9]+)?) (?P<unit>mg|mcg|micrograms?)$"
)
_ANY_DOSE = re.compile(
    r"[0-9]\s*(?:mg|mcg|ml|cc|g|gm|grams?|units?|iu|micrograms?|milligrams?|%)\b", re.IGNORECASE
)
# Codes asked as "reported per what amount?" first (then others in hash order).
UNIT_PINNED = (
    *("J1100", "J3010", "J2060", "J9060", "J9299", "J1745", "J9190", "J2250", "J2175"),
    *("J2795", "J9267"),
)
# Dose scenarios for "how many units?": round adult doses, written in the unit a
# chart would use (grams for antibiotics, micrograms for some antiemetics), so
# several items test a unit conversion. The generator checks that each gives a
# whole number of units of at least 2, and skips any that does not.
CALC_SCENARIOS: tuple[tuple[str, str, str], ...] = (
    ("J0696", "1", "g"),  # ceftriaxone, per 250 mg
    ("J1885", "60", "mg"),  # ketorolac, per 15 mg
    ("J1650", "40", "mg"),  # enoxaparin, 10 mg
    ("J0690", "2", "g"),  # cefazolin, 500 mg
    ("J9045", "450", "mg"),  # carboplatin, 50 mg
    ("J9035", "400", "mg"),  # bevacizumab, 10 mg
    ("J0897", "60", "mg"),  # denosumab, 1 mg
    ("J9271", "200", "mg"),  # pembrolizumab, 1 mg
    ("J2469", "0.25", "mg"),  # palonosetron, 25 mcg
    ("J1010", "40", "mg"),  # methylprednisolone acetate, 1 mg
    ("J0165", "1", "mg"),  # epinephrine, 0.1 mg
    ("J3301", "40", "mg"),  # triamcinolone acetonide, 10 mg
    ("J2704", "200", "mg"),  # propofol, 10 mg
    ("J9201", "1.8", "g"),  # gemcitabine, 200 mg
    ("J9312", "700", "mg"),  # rituximab, 10 mg
    ("J2405", "8", "mg"),  # ondansetron, per 1 mg
    ("J9355", "420", "mg"),  # trastuzumab, 10 mg
)
CALC_FACTORS = (2, 3, 4, 5, 6, 8, 10, 12)  # fallback scenarios: this many units


@dataclass(frozen=True)
class Dose:
    """What one billed unit of a drug code is, parsed from its CMS description."""

    code: str
    description: str
    drug: str
    amount: Decimal
    unit: str  # mg or mcg (CMS's "microgram" is the same unit)

    @property
    def label(self) -> str:
        return f"{_number(self.amount)} {self.unit}"


def parse_dose(code: str, description: str) -> Dose | None:
    """The per-unit dose when the description states exactly one, plainly; else None.

    "Injection, dexamethasone sodium phosphate, 1 mg" -> 1 mg. Refused: "up to"
    amounts, several doses, ratios (mg/ml), code mentions and trailing notes.
    """
    match = _DOSE.match(description)
    if match is None or _mentions_code(description):
        return None
    drug = match["drug"]
    if _ANY_DOSE.search(drug) or "up to" in drug or "/" in drug:
        return None
    unit = "mg" if match["unit"] == "mg" else "mcg"
    amount = Decimal(match["amount"])
    if amount <= 0:
        return None
    return Dose(code, description, drug, amount, unit)


def convert(amount: Decimal, unit: str, to: str) -> Decimal:
    """Convert between g, mg and mcg."""
    scale = {"g": Decimal(1000000), "mg": Decimal(1000), "mcg": Decimal(1)}
    return amount * scale[unit] / scale[to]


def doses(data: Data) -> list[Dose]:
    found = []
    for code in data.codes:
        if code.letter != "J":
            continue
        dose = parse_dose(code.code, code.description)
        if dose is not None:
            found.append(dose)
    return found


def _amount_distractors(dose: Dose) -> list[str]:
    other_unit = "mcg" if dose.unit == "mg" else "mg"
    options = [
        f"{_number(dose.amount * 10)} {dose.unit}",
        f"{_number(dose.amount / 10)} {dose.unit}",
        f"{_number(dose.amount)} {other_unit}",
        f"{_number(dose.amount * 100)} {dose.unit}",
    ]
    return options[:3]


def _explain_amount(dose: Dose, wrong: Sequence[str]) -> str:
    other_unit = "mcg" if dose.unit == "mg" else "mg"
    notes = []
    for text in wrong:
        if text.endswith(other_unit):
            factor = "1,000 times smaller" if dose.unit == "mg" else "1,000 times larger"
            notes.append(f"{text} is the right number with the wrong unit ({factor})")
        else:
            value = Decimal(text.split()[0])
            ratio = value / dose.amount
            how = f"{_number(ratio)} times" if ratio > 1 else f"1/{_number(1 / ratio)} of"
            notes.append(f"{text} is {how} the amount CMS states")
    return (
        f"CMS describes {dose.code} as {_quote(dose.description, 200)}: one unit of "
        f"{dose.code} is {dose.label}, so the units reported are the dose given divided by "
        f"{dose.label}. {_join(notes)}."
    )


def _calc_choices(given: Decimal, units: int) -> list[tuple[int, str]]:
    """Three wrong unit counts, each with the slip that produces it."""
    candidates: list[tuple[int, str]] = []
    if given == given.to_integral_value():
        candidates.append((int(given), "the dose's number billed as if it were the unit count"))
    candidates += [
        (1, "one unit per administration, ignoring the dose"),
        (units * 10, "ten times too many, a decimal-place slip"),
        (units * 2, "double the right count"),
        (units + 1, "one unit too many"),
    ]
    wrong: dict[int, str] = {}
    for value, why in candidates:
        if value != units and value > 0 and value not in wrong:
            wrong[value] = why
        if len(wrong) == 3:
            break
    return sorted(wrong.items())


def _unit_amount_item(dose: Dose) -> Item:
    code = dose.code
    wrong = _amount_distractors(dose)
    return _mcq(
        f"hcpcs.unit.{code.lower()}",
        "hcpcs.codes",
        2,
        f"HCPCS Level II code {code} ({dose.drug}) is reported per what amount (one billed unit)?",
        dose.label,
        wrong,
        _explain_amount(dose, wrong),
        f"{CITE}: {code}",
    )


def _drug_phrase(drug: str) -> str:
    """The drug as a sentence would name it: CMS's qualifiers that only split codes go."""
    for qualifier in (", not otherwise specified", ", excludes biosimilar", ", powder or solution"):
        drug = drug.replace(qualifier, "")
    return drug


def _unit_calc_item(dose: Dose, given: Decimal, given_unit: str) -> Item | None:
    code = dose.code
    in_unit = convert(given, given_unit, dose.unit)
    ratio = in_unit / dose.amount
    if ratio != ratio.to_integral_value() or ratio < 2:
        return None
    units = int(ratio)
    given_text = f"{_number(given)} {given_unit}"
    converted = given_unit != dose.unit
    wrong = _calc_choices(given, units)
    conversion = f"{given_text} is {_number(in_unit)} {dose.unit}; " if converted else ""
    slips = _join([f"{_units(value)} would be {why}" for value, why in wrong])
    explanation = (
        f"CMS describes {code} as {_quote(dose.description, 200)}, so one unit is "
        f"{dose.label}. {conversion}{_number(in_unit)} {dose.unit} / {dose.label} = {units}, "
        f"so report {_units(units)}. {slips}."
    )
    return _mcq(
        f"hcpcs.units-calc.{code.lower()}",
        "hcpcs.codes",
        3 if converted else 2,
        f"A patient is given {given_text} of {_drug_phrase(dose.drug)}. CMS describes HCPCS "
        f'Level II code {code} as "{dose.description}". How many units of {code} are reported?',
        _units(units),
        [_units(value) for value, _ in wrong],
        explanation,
        f"{CITE}: {code}",
    )


def _calc_scenarios(found: dict[str, Dose]) -> list[tuple[Dose, Decimal, str]]:
    """The curated scenarios first, then every other dose at a hashed whole count."""
    scenarios: list[tuple[Dose, Decimal, str]] = []
    for code, amount, unit in CALC_SCENARIOS:
        if code in found:
            scenarios.append((found[code], Decimal(amount), unit))
        else:
            progress(f"  dose scenario {code}: not an active code with a plain unit; skipped")
    curated = {code for code, _, _ in CALC_SCENARIOS}
    for code in _hash_order([c for c in found if c not in curated], "unit-calc"):
        dose = found[code]
        count = CALC_FACTORS[_hash("factor", code) % len(CALC_FACTORS)]
        scenarios.append((dose, dose.amount * count, dose.unit))
    return scenarios


def unit_items(data: Data, builder: PackBuilder, used: set[str]) -> dict[str, int]:
    found = {dose.code: dose for dose in doses(data)}
    counts = {"unit-amount": 0, "unit-calc": 0}
    drugs_done: set[str] = set()
    reserved = {code for code, _, _ in CALC_SCENARIOS}
    pinned = [c for c in UNIT_PINNED if c in found and c not in reserved]
    rest = _hash_order([c for c in found if c not in pinned and c not in reserved], "unit")
    for code in [*pinned, *rest]:
        if counts["unit-amount"] >= QUOTA_UNIT_AMOUNT:
            break
        dose = found[code]
        if code in used or dose.drug in drugs_done:
            continue
        if builder.add(_unit_amount_item(dose)):
            used.add(code)
            drugs_done.add(dose.drug)
            counts["unit-amount"] += 1
    for dose, given, given_unit in _calc_scenarios(found):
        if counts["unit-calc"] >= QUOTA_UNIT_CALC:
            break
        if dose.code in used or dose.drug in drugs_done:
            continue
        item = _unit_calc_item(dose, given, given_unit)
        if item is None:
            progress(f"  dose scenario {dose.code}: not a whole number of units; skipped")
        elif builder.add(item):
            used.add(dose.code)
            drugs_done.add(dose.drug)
            counts["unit-calc"] += 1
    return counts


# --------------------------------------------------------------------------
# The pack
# --------------------------------------------------------------------------


def build(data_dir: Path = DATA_DIR) -> PackFile:
    """The whole pack, deterministically, from the CSV files in `data_dir`."""
    progress(f"Reading HCPCS Level II from {data_dir} ...")
    data = load_data(data_dir)
    progress(f"  {len(data.codes)} active codes, {len(data.modifiers)} active modifiers")
    builder = PackBuilder()
    used: set[str] = set()
    counts: dict[str, int] = {}
    progress("Drug units ...")
    counts.update(unit_items(data, builder, used))
    progress("Sections ...")
    counts.update(section_items(data, builder, used))
    progress("Modifiers ...")
    counts.update(modifier_items(data, builder))
    progress("Codes and descriptions ...")
    counts.update(code_items(data, builder, used))
    for name, count in counts.items():
        progress(f"  {name}: {count}")
    progress(f"  total: {len(builder.items)} items")
    meta = PackMeta(
        id="hcpcs-generated",
        title="HCPCS Level II drills (generated)",
        version=1,
        origin="generated",
        source="Generated by questions/generators/hcpcs_pack.py from the CMS Alpha-Numeric "
        "HCPCS file",
        licence="HCPCS Level II: public domain (CMS). Items: CC BY 4.0",
        release=HCPCS_RELEASE,
        description="Drills on HCPCS Level II codes, sections, modifiers and drug units, "
        "generated from the CMS October 2025 file.",
    )
    items = sorted(builder.items, key=lambda item: item.id)
    return PackFile(pack=meta, items=items)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the YAML pack")
    args = parser.parse_args(argv)
    pack = build()
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    dump_pack(pack, out)
    progress(f"Wrote {len(pack.items)} items to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
