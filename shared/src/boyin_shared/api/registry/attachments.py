"""Attachments over HTTP: what an upload answers."""

from __future__ import annotations

from pydantic import BaseModel


class AttachmentOut(BaseModel):
    # Two models are called AttachmentOut (this one and a demand's attachment in ``demands``),
    # so the OpenAPI document names each by its module. The module it lived in before the
    # move to shared keeps the component name of the snapshot,
    # boyin_registry__attachments_api__AttachmentOut (tests/contracts/openapi/registry.json).
    # It is a name only: nothing imports that module, which no longer exists.
    __module__ = "boyin_registry.attachments_api"

    id: str
    name: str
    content_type: str
    size: int
    sha256: str
