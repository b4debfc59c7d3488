"""The dependency rule, checked over the source tree's import statements (AST)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLATFORM_SDKS = {"discord", "slack_bolt", "slack_sdk", "adapters"}
FORBIDDEN = {
    "bot": PLATFORM_SDKS,
    "storage": PLATFORM_SDKS | {"bot"},
    "questions": PLATFORM_SDKS | {"bot"},
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def violations(package: str, forbidden: set[str]) -> list[str]:
    problems = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in imported_modules(path):
            if module.split(".")[0] in forbidden:
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return problems


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_imports_only_what_it_may(package: str) -> None:
    assert (ROOT / package).is_dir()
    assert violations(package, FORBIDDEN[package]) == []


def test_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom discord import ui\nimport slack_bolt.app\n")
    modules = [module for _, module in imported_modules(sample)]
    assert [m for m in modules if m.split(".")[0] in PLATFORM_SDKS] == ["discord", "slack_bolt.app"]


def test_running_bot_never_imports_the_icd_library() -> None:
    for package in ("bot", "storage", "adapters"):
        for path in (ROOT / package).rglob("*.py"):
            for _, module in imported_modules(path):
                assert not module.startswith("simple_icd_10_cm"), path
