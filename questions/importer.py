"""Import validated packs into the database: idempotent by item id, all or nothing."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from questions.loader import LoadedPack, PackError, PackInvalid, bundled_pack_paths, load_pack
from questions.schema import Item
from storage.database import Database
from storage.models import PACK, QUESTION

Progress = Callable[[int, int], None]
_CHUNK = 500


@dataclass(frozen=True)
class ImportResult:
    """What an import changed, for the command line and the logs."""

    pack_id: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    skipped: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired)


def item_hash(item: Item) -> str:
    """A fingerprint of what a learner sees; a change bumps the item's revision."""
    payload = item.model_dump(mode="json")
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def stored_id(item_id: str, workspace_id: int | None) -> str:
    """Ids are global for bundled items; a workspace's own items live in its namespace."""
    return item_id if workspace_id is None else f"w{workspace_id}.{item_id}"


PACK_STRIDE = 1_000_000  # position = pack order x stride + place in the pack


def _row(item: Item, pack_id: str, position: int, workspace_id: int | None) -> dict[str, Any]:
    return {
        "item_id": stored_id(item.id, workspace_id),
        "pack_id": pack_id,
        "workspace_id": workspace_id,
        "position": position,
        "kind": item.kind.value,
        "topic": item.topic,
        "exams": ",".join(item.exams),
        "difficulty": item.difficulty,
        "prompt": item.prompt,
        "choices_json": json.dumps(item.choices),
        "answer": item.answer_text,
        "explanation": item.explanation,
        "reference": item.reference,
        "accepted_json": json.dumps(item.accepted),
        "code_set": item.code_set or "",
        "sequence": item.sequence,
        "billable": item.billable,
        "teaches_invalid_code": item.teaches_invalid_code,
        "content_hash": item_hash(item),
        "retired": False,
    }


def import_pack_in(
    conn: Connection,
    pack: LoadedPack,
    now: datetime,
    workspace_id: int | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Upsert one pack inside the caller's transaction."""
    meta = pack.content.pack
    pack_id = meta.id if workspace_id is None else f"w{workspace_id}-{meta.id}"[:64]
    pack_row = {
        "id": pack_id,
        "title": meta.title,
        "version": meta.version,
        "origin": meta.origin,
        "source": meta.source,
        "licence": meta.licence,
        "release": meta.release,
        "content_hash": pack.content_hash,
        "imported_at": now,
    }
    exists = (conn.execute(sa.select(PACK.c.id).where(PACK.c.id == pack_id))).first()
    if exists:
        conn.execute(PACK.update().where(PACK.c.id == pack_id).values(**pack_row))
    else:
        conn.execute(PACK.insert().values(**pack_row))

    ids = [stored_id(item.id, workspace_id) for item in pack.content.items]
    existing = {
        row.item_id: row
        for row in conn.execute(
            sa.select(
                QUESTION.c.id,
                QUESTION.c.item_id,
                QUESTION.c.pack_id,
                QUESTION.c.content_hash,
                QUESTION.c.revision,
                QUESTION.c.position,
                QUESTION.c.retired,
            ).where(QUESTION.c.item_id.in_(ids))
        )
    }
    # Bundled ids are global: two packs may not claim one. A workspace's ids live in its
    # own namespace, so an item may move between that workspace's packs (export, edit,
    # import again under another file name).
    foreign = [row for row in existing.values() if row.pack_id != pack_id]
    if foreign and workspace_id is None:
        errors = [
            PackError(
                str(pack.path),
                None,
                f"id {row.item_id!r}",
                f"already belongs to pack {row.pack_id!r}",
            )
            for row in foreign
        ]
        raise PackInvalid(errors)

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for index, item in enumerate(pack.content.items):
        position = meta.order * PACK_STRIDE + index
        row = _row(item, pack_id, position, workspace_id)
        old = existing.get(row["item_id"])
        if old is None:
            inserts.append({**row, "revision": 1})
        elif old.content_hash != row["content_hash"]:
            updates.append({**row, "revision": old.revision + 1, "b_id": old.id})
        elif old.position != position or old.retired:
            updates.append({**row, "revision": old.revision, "b_id": old.id})
        else:
            unchanged += 1
    total, done = len(inserts) + len(updates), 0
    for start in range(0, len(inserts), _CHUNK):
        conn.execute(QUESTION.insert(), inserts[start : start + _CHUNK])
        done += len(inserts[start : start + _CHUNK])
        if progress:
            progress(done, total)
    if updates:
        values: dict[str, Any] = {key: sa.bindparam(key) for key in updates[0] if key != "b_id"}
        statement = QUESTION.update().where(QUESTION.c.id == sa.bindparam("b_id")).values(values)
        for start in range(0, len(updates), _CHUNK):
            conn.execute(statement, updates[start : start + _CHUNK])
            done += len(updates[start : start + _CHUNK])
            if progress:
                progress(done, total)

    retired = conn.execute(
        QUESTION.update()
        .where(QUESTION.c.pack_id == pack_id, QUESTION.c.retired.is_(False))
        .where(QUESTION.c.item_id.not_in(ids))
        .values(retired=True)
    )
    changed_content = sum(1 for update in updates if update["revision"] > 1)
    return ImportResult(
        pack_id=pack_id,
        added=len(inserts),
        updated=changed_content,
        unchanged=unchanged + len(updates) - changed_content,
        retired=retired.rowcount or 0,
    )


async def import_pack(
    database: Database,
    pack: LoadedPack,
    now: datetime,
    workspace_id: int | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one pack as one transaction: all of it or nothing."""

    def work(conn: Connection) -> ImportResult:
        return import_pack_in(conn, pack, now, workspace_id, progress)

    return await database.write(work)


async def sync_bundled_packs(database: Database, now: datetime) -> list[ImportResult]:
    """Import every bundled pack whose file changed since it was last imported.

    An unchanged file is recognised by its hash alone, so starting the bot does not
    parse megabytes of YAML it already has; parsing runs off the event loop."""

    def stored_hashes(conn: Connection) -> dict[str, str]:
        rows = conn.execute(sa.select(PACK.c.content_hash, PACK.c.id))
        return {row.content_hash: row.id for row in rows}

    hashes = await database.read(stored_hashes)
    results: list[ImportResult] = []
    for path in bundled_pack_paths():
        digest = hashlib.sha256(await asyncio.to_thread(path.read_bytes)).hexdigest()
        if digest in hashes:
            results.append(ImportResult(pack_id=hashes[digest], skipped=True))
        else:
            pack = await asyncio.to_thread(load_pack, path)
            results.append(await import_pack(database, pack, now))
    return results
