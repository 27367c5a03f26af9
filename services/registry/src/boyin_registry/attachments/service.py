"""Attachments: evidence files and demand documents, kept by content hash in a file store.

Files go to a folder (``BOYIN_FILES_DIR``, a mounted volume in production); their metadata
lives in the registry's ``attachments`` collection. A file is accepted only when its bytes
are what its type claims (PDF, PNG, JPEG, or an Office Open XML document).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from boyin_registry.domain.demands import Attachment
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import BoyinError, FieldError, Message, invalid, not_found
from boyin_shared.identity import Actor
from boyin_shared.store import DocumentStore, Index
from boyin_shared.text import clean

#: content type -> the leading bytes every such file starts with
ALLOWED: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (b"PK\x03\x04",),
}


def too_large(limit: int) -> BoyinError:
    mb = limit // (1024 * 1024)
    return BoyinError(
        code="FILE_TOO_LARGE",
        message=Message(f"文件超过 {mb} MB 上限", f"the file is larger than {mb} MB"),
        fields=[FieldError("file", "FILE_TOO_LARGE", Message(f"最大 {mb} MB", f"at most {mb} MB"))],
        status=413,
    )


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


@dataclass
class Attachments:
    store: DocumentStore
    files: LocalFileStore
    max_bytes: int

    def __post_init__(self) -> None:
        self.collection = self.store.collection("attachments")

    async def prepare(self) -> None:
        await self.collection.ensure_indexes([Index((("uploaded_by", 1),))])

    async def upload(
        self, actor: Actor, name: str, content_type: str, chunks: AsyncIterator[bytes]
    ) -> Attachment:
        buffer = bytearray()
        async for chunk in chunks:
            buffer.extend(chunk)
            if len(buffer) > self.max_bytes:
                raise too_large(self.max_bytes)
        data = bytes(buffer)
        problems = []
        cleaned = clean(name or "", "file.name", max_length=200)
        if isinstance(cleaned, FieldError):
            problems.append(cleaned)
        elif not cleaned:
            problems.append(
                FieldError(
                    "file.name", "REQUIRED", Message("文件名不能为空", "the file needs a name")
                )
            )
        if not data:
            problems.append(FieldError("file", "EMPTY", Message("文件为空", "the file is empty")))
        signatures = ALLOWED.get(content_type)
        if signatures is None:
            problems.append(
                FieldError(
                    "file.content_type",
                    "FILE_TYPE",
                    Message(
                        "仅接受 PDF、PNG、JPEG 和 Office 文档",
                        "only PDF, PNG, JPEG and Office documents",
                    ),
                )
            )
        elif data and not data.startswith(signatures):
            problems.append(
                FieldError(
                    "file",
                    "FILE_CONTENT",
                    Message("文件内容与其类型不符", f"the content is not a {content_type} file"),
                )
            )
        if problems:
            raise invalid(problems)
        assert isinstance(cleaned, str)
        sha = hashlib.sha256(data).hexdigest()
        await self.files.put(data, sha)  # the file first: metadata never points at nothing
        attachment = Attachment(new_id("att_"), cleaned, content_type, len(data), sha)
        await self.collection.insert(
            {
                "_id": attachment.id,
                "name": attachment.name,
                "content_type": content_type,
                "size": attachment.size,
                "sha256": sha,
                "uploaded_by": actor.account_id,
                "uploaded_at": utcnow().isoformat(),
            }
        )
        return attachment

    async def usable_by(self, actor: Actor, ids: list[str], field: str) -> tuple[Attachment, ...]:
        """The attachments ``ids`` if the caller uploaded them (or is staff)."""
        docs = {d["_id"]: d for d in await self.collection.get_many(ids)}
        problems = []
        out = []
        for i, attachment_id in enumerate(ids):
            doc = docs.get(attachment_id)
            if doc is None or not (actor.is_staff or doc["uploaded_by"] == actor.account_id):
                problems.append(
                    FieldError(
                        f"{field}.{i}",
                        "UNKNOWN_ATTACHMENT",
                        Message(
                            f"未找到附件：{attachment_id}", f"no such attachment: {attachment_id}"
                        ),
                    )
                )
                continue
            out.append(
                Attachment(doc["_id"], doc["name"], doc["content_type"], doc["size"], doc["sha256"])
            )
        if problems:
            raise invalid(problems)
        return tuple(out)

    async def read(self, attachment_id: str) -> tuple[dict[str, object], bytes]:
        doc = await self.collection.get(attachment_id)
        if doc is None:
            raise not_found("attachment", attachment_id, zh_kind="附件")
        return doc, await self.files.get(str(doc["sha256"]))
