"""Where attachments are kept: the files by SHA-256 in a folder (``BOYIN_FILES_DIR``, a
mounted volume in production) and their metadata in the ``attachments`` collection."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from boyin_registry.attachments.domain import Attachment, Uploaded
from boyin_shared.clock import utcnow
from boyin_shared.store import Document, DocumentStore, Index


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
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_suffix(f".{os.getpid()}.tmp")
            temp.write_bytes(data)
            temp.replace(target)

        await asyncio.to_thread(write)

    async def get(self, sha256: str) -> bytes:
        return await asyncio.to_thread(self.path(sha256).read_bytes)


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
            [Index((("uploaded_by", 1),)), Index((("uploaded_by", 1), ("uploaded_at", 1)))]
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
