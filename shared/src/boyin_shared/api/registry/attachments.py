"""Attachments over HTTP: what an upload answers."""

from __future__ import annotations

from pydantic import BaseModel


class AttachmentOut(BaseModel):
    """A stored file, as its upload answers (with the content's SHA-256)."""

    id: str
    name: str
    content_type: str
    size: int
    sha256: str
