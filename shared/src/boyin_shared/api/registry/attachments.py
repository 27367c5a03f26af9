"""Attachments over HTTP: what an upload answers."""

from __future__ import annotations

from pydantic import BaseModel


class AttachmentOut(BaseModel):
    # The OpenAPI document names this model by its first home (a demand's attachments
    # share the class name); the name is frozen with the snapshot.
    __module__ = "boyin_registry.attachments_api"

    id: str
    name: str
    content_type: str
    size: int
    sha256: str
