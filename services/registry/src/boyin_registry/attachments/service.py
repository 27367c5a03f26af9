"""Use cases of attachments: upload a file, lend uploaded files to a demand, download."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import timedelta

from boyin_registry.attachments.domain import (
    Attachment,
    Uploaded,
    checked_name,
    over_quota,
    too_large,
)
from boyin_registry.attachments.repository import AttachmentRecords, LocalFileStore
from boyin_registry.demands.repository import Demands
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import BoyinError, FieldError, Message, invalid, not_found
from boyin_shared.identity import Actor


def _absent(attachment_id: str) -> BoyinError:
    return not_found("attachment", attachment_id, zh_kind="附件")


@dataclass
class Attachments:
    records: AttachmentRecords
    files: LocalFileStore
    demands: Demands
    max_bytes: int
    #: bytes one account (not staff) may upload in 24 hours; 0: no quota
    daily_quota_bytes: int = 0

    async def upload(
        self, actor: Actor, name: str, content_type: str, chunks: AsyncIterator[bytes]
    ) -> Attachment:
        buffer = bytearray()
        async for chunk in chunks:
            buffer.extend(chunk)
            if len(buffer) > self.max_bytes:
                raise too_large(self.max_bytes)
        data = bytes(buffer)
        if self.daily_quota_bytes and not actor.is_staff:
            since = utcnow() - timedelta(days=1)
            used = await self.records.bytes_uploaded_since(actor.account_id, since)
            if used + len(data) > self.daily_quota_bytes:
                raise over_quota(self.daily_quota_bytes)
        cleaned = checked_name(name, content_type, data)
        sha = hashlib.sha256(data).hexdigest()
        await self.files.put(data, sha)  # the file first: metadata never points at nothing
        attachment = Attachment(new_id("att_"), cleaned, content_type, len(data), sha)
        await self.records.add(Uploaded(attachment, actor.account_id))
        return attachment

    async def usable_by(
        self, actor: Actor, ids: Sequence[str], field: str
    ) -> tuple[Attachment, ...]:
        """The attachments ``ids`` if the caller uploaded them (or is staff)."""
        found = await self.records.get_many(ids)
        problems = []
        out = []
        for i, attachment_id in enumerate(ids):
            uploaded = found.get(attachment_id)
            if uploaded is None or not (actor.is_staff or uploaded.uploaded_by == actor.account_id):
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
            out.append(uploaded.attachment)
        if problems:
            raise invalid(problems)
        await self.records.touch(ids)  # about to be attached: not swept meanwhile
        return tuple(out)

    async def download(self, actor: Actor, attachment_id: str) -> tuple[Attachment, bytes]:
        """The uploader and staff may always download; others when a demand they may see
        carries it (to the rest it does not exist)."""
        uploaded = await self.records.get(attachment_id)
        if uploaded is None:
            raise _absent(attachment_id)
        data = await self.files.get(uploaded.attachment.sha256)
        allowed = actor.is_staff or uploaded.uploaded_by == actor.account_id
        if not allowed:
            carriers = await self.demands.carrying(attachment_id, limit=20)
            allowed = any(d.may_view(actor) for d in carriers)
        if not allowed:
            raise _absent(attachment_id)
        return uploaded.attachment, data
