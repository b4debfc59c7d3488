"""Read pack files into validated models, with errors that name the file, line and field."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from questions.schema import Item, PackFile
from questions.validate import check_items

BUNDLED_PACKS = Path(__file__).resolve().parent / "packs"
# libyaml's C parser when PyYAML was built with it: ~10x faster on the generated packs.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class PackError:
    """One problem in a pack file."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {field}{self.message}"


class PackInvalid(ValueError):
    """A pack that cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[PackError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass(frozen=True)
class LoadedPack:
    """A validated pack with the hash of its file, which decides re-imports."""

    path: Path
    content: PackFile
    content_hash: str


def _line_of(root: yaml.Node | None, location: tuple[int | str, ...]) -> int | None:
    """1-based line of the YAML node at a pydantic error location (deepest match)."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for key in location:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            match = node.value[key] if key < len(node.value) else None
        else:
            match = None
        if match is None:
            break
        node = match
        line = node.start_mark.line + 1
    return line


def _field_name(data: Any, location: tuple[int | str, ...]) -> str:
    """ "items[3] (term.prefix.brady).answer" style names for error messages."""
    parts: list[str] = []
    for index, key in enumerate(location):
        if isinstance(key, int):
            parts[-1] = f"{parts[-1]}[{key}]" if parts else f"[{key}]"
            if location[:index] == ("items",) and isinstance(data, dict):
                items = data.get("items")
                if isinstance(items, list) and key < len(items) and isinstance(items[key], dict):
                    item_id = items[key].get("id")
                    if item_id:
                        parts[-1] += f" ({item_id})"
        else:
            parts.append(str(key))
    return ".".join(parts)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        error = PackError(str(path), None, "", f"cannot read the file ({exc.strerror})")
        raise PackInvalid([error]) from None


def load_pack(path: Path, seen_ids: dict[str, str] | None = None) -> LoadedPack:
    """Parse, validate and gate one YAML pack; raises PackInvalid listing every error.

    `seen_ids` carries item ids across several files, so duplicates between them are
    found too.
    """
    name = str(path)
    raw = _read(path)
    try:
        text = raw.decode("utf-8")
        root = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)  # a safe loader: plain data only
    except UnicodeDecodeError:
        raise PackInvalid([PackError(name, None, "", "the file is not UTF-8 text")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PackInvalid([PackError(name, line, "", f"invalid YAML: {problem}")]) from None

    def error_at(where: tuple[int | str, ...], message: str) -> PackError:
        return PackError(name, _line_of(root, where), _field_name(data, where), message)

    try:
        content = PackFile.model_validate(data)
    except ValidationError as exc:
        errors = [
            error_at(tuple(error["loc"]), error["msg"].removeprefix("Value error, "))
            for error in exc.errors()
        ]
        # Gate the items that are well formed too, so one run lists every problem.
        valid = _well_formed_items(data)
        problems = check_items([item for _, item in valid], seen_ids, name)
        errors += [
            error_at(("items", valid[int(where[1])][0], *where[2:]), message)
            for where, message in problems
        ]
        raise PackInvalid(sorted(errors, key=lambda error: error.line or 0)) from None
    problems = check_items(content.items, seen_ids, name)
    if problems:
        raise PackInvalid([error_at(where, message) for where, message in problems])
    return LoadedPack(path=path, content=content, content_hash=hashlib.sha256(raw).hexdigest())


def _well_formed_items(data: Any) -> list[tuple[int, Item]]:
    """(index, item) for every item that passes the schema on its own."""
    raw_items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(raw_items, list):
        return []
    valid = []
    for index, raw in enumerate(raw_items):
        try:
            valid.append((index, Item.model_validate(raw)))
        except ValidationError:
            continue
    return valid


def bundled_pack_paths() -> list[Path]:
    """The packs that ship with StudyBot, in a stable order."""
    return sorted(BUNDLED_PACKS.glob("*.yaml"))
