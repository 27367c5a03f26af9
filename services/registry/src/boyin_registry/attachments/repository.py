"""Where attachments are kept: the files by SHA-256 in a folder (``BOYIN_FILES_DIR``, a
mounted volume in production) and their metadata in the ``attachments`` collection."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from boyin_registry.attachments.domain import Attachment, Uploaded
from boyin_shared.clock import utcnow
from boyin_shared.contracts.attachments import AttachmentHold
from boyin_shared.store import AlreadyExists, Document, DocumentStore, Edit, Index, Update


class LocalFileStore:
    """Files by SHA-256 under a folder; writing is atomic (temporary file, then rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    async def put(self, data: bytes, sha256: str) -> None:
        def write() -> None:
            target = self.path(sha256)
            if target.exists():
                os.utime(target)  # uploaded again: fresh for the orphan sweep
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_suffix(f".{os.getpid()}.tmp")
            temp.write_bytes(data)
            temp.replace(target)

        await asyncio.to_thread(write)

    async def get(self, sha256: str) -> bytes:
        return await asyncio.to_thread(self.path(sha256).read_bytes)

    async def remove_if_older(self, sha256: str, cutoff: datetime) -> bool:
        """Remove the file unless it was written (or uploaded again) after ``cutoff``."""

        def remove() -> bool:
            target = self.path(sha256)
            try:
                if target.stat().st_mtime > cutoff.timestamp():
                    return False
                target.unlink()
            except FileNotFoundError:
                return False
            return True

        return await asyncio.to_thread(remove)


def _uploaded_from(doc: Document) -> Uploaded:
    attachment = Attachment(
        doc["_id"], doc["name"], doc["content_type"], doc["size"], doc["sha256"]
    )
    return Uploaded(attachment, doc["uploaded_by"])


class AttachmentRecords:
    """The metadata of uploaded files, one document each."""

    def __init__(self, store: DocumentStore) -> None:
        self.collection = store.collection("attachments")

    async def prepare(self) -> None:
        await self.collection.ensure_indexes(
            [
                Index((("uploaded_by", 1),)),
                Index((("uploaded_by", 1), ("uploaded_at", 1))),
                Index((("uploaded_at", 1),)),
                Index((("sha256", 1),)),
            ]
        )

    async def bytes_uploaded_since(self, account_id: str, since: datetime) -> int:
        """What ``account_id`` uploaded from ``since`` on, in bytes."""
        docs = await self.collection.find(
            {"uploaded_by": account_id, "uploaded_at": {"$gte": since.isoformat()}}
        )
        return sum(int(d["size"]) for d in docs)

    async def add(self, uploaded: Uploaded) -> None:
        a = uploaded.attachment
        await self.collection.insert(
            {
                "_id": a.id,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_by": uploaded.uploaded_by,
                "uploaded_at": utcnow().isoformat(),
            }
        )

    async def get(self, attachment_id: str) -> Uploaded | None:
        doc = await self.collection.get(attachment_id)
        return None if doc is None else _uploaded_from(doc)

    async def get_many(self, ids: Sequence[str]) -> dict[str, Uploaded]:
        return {d["_id"]: _uploaded_from(d) for d in await self.collection.get_many(ids)}

    async def touch(self, ids: Sequence[str]) -> None:
        """Mark the attachments used now (about to be attached): not swept meanwhile."""
        now = utcnow().isoformat()
        await self.collection.update_many([Edit(i, Update(set={"used_at": now})) for i in ids])

    async def idle_since(self, cutoff: datetime, limit: int) -> list[Document]:
        """Attachments uploaded, and last used, before ``cutoff`` (oldest first)."""
        at = cutoff.isoformat()
        return await self.collection.find(
            {
                "uploaded_at": {"$lt": at},
                "$or": [{"used_at": {"$exists": False}}, {"used_at": {"$lt": at}}],
            },
            sort=[("uploaded_at", 1)],
            limit=limit,
        )

    async def remove(self, doc: Document) -> bool:
        """Remove the record as it was read (not if it was used or changed since)."""
        return await self.collection.delete(doc["_id"], expected_rev=doc["_rev"])

    async def share_file(self, sha256: str) -> bool:
        """Whether any record still names the file ``sha256``."""
        return bool(await self.collection.count({"sha256": sha256}))


class AttachmentHolds:
    """Which other services hold which attachments, one document per hold, as their
    ``AttachmentHeld``/``AttachmentReleased`` events said (a projection)."""

    def __init__(self, store: DocumentStore) -> None:
        self.collection = store.collection("attachment_holds")

    async def prepare(self) -> None:
        await self.collection.ensure_indexes([Index((("attachment_id", 1),))])

    @staticmethod
    def key(hold: AttachmentHold) -> str:
        return f"{hold.attachment_id}|{hold.service}|{hold.holder_kind}|{hold.holder_id}"

    async def hold(self, hold: AttachmentHold) -> None:
        with contextlib.suppress(AlreadyExists):  # held already: one hold
            await self.collection.insert({"_id": self.key(hold), **hold.model_dump()})

    async def release(self, hold: AttachmentHold) -> None:
        await self.collection.delete(self.key(hold))

    async def held(self, attachment_id: str) -> bool:
        return bool(await self.collection.count({"attachment_id": attachment_id}))
