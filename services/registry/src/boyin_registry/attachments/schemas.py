"""From attachments to the registry's API models."""

from __future__ import annotations

from boyin_registry.attachments.domain import Attachment
from boyin_shared.api.registry import AttachmentOut


def attachment_out(a: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=a.id, name=a.name, content_type=a.content_type, size=a.size, sha256=a.sha256
    )
