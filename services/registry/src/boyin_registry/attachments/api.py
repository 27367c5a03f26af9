"""Uploading and downloading attachments."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, cast
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response, UploadFile, status
from pydantic import BaseModel

from boyin_registry.attachments import Attachments
from boyin_registry.repository import Demands
from boyin_shared.errors import not_found
from boyin_shared.identity import CurrentActor, CurrentMember

router = APIRouter(prefix="/attachments", tags=["attachments"])
CHUNK = 256 * 1024


def attachments(request: Request) -> Attachments:
    return cast(Attachments, request.app.state.service.attachments)


def demands(request: Request) -> Demands:
    return cast(Demands, request.app.state.service.demands.demands)


Files = Annotated[Attachments, Depends(attachments)]
DemandRepo = Annotated[Demands, Depends(demands)]


class AttachmentOut(BaseModel):
    id: str
    name: str
    content_type: str
    size: int
    sha256: str


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK):
        yield chunk


@router.post("", status_code=status.HTTP_201_CREATED)
async def upload(file: UploadFile, actor: CurrentMember, files: Files) -> AttachmentOut:
    """Upload one file (PDF, PNG, JPEG or an Office document; size limit BOYIN_MAX_UPLOAD_MB)."""
    a = await files.upload(actor, file.filename or "", file.content_type or "", _chunks(file))
    return AttachmentOut(
        id=a.id, name=a.name, content_type=a.content_type, size=a.size, sha256=a.sha256
    )


@router.get("/{attachment_id}")
async def download(
    attachment_id: str, actor: CurrentActor, files: Files, repo: DemandRepo
) -> Response:
    """The uploader and staff may always download; others when a demand they may see carries it."""
    doc, data = await files.read(attachment_id)
    allowed = actor.is_staff or doc["uploaded_by"] == actor.account_id
    if not allowed:
        carriers = await repo.collection.find({"attachment_ids": attachment_id}, limit=20)
        allowed = any(repo.from_doc(d).may_view(actor) for d in carriers)
    if not allowed:
        raise not_found("attachment", attachment_id, zh_kind="附件")
    return Response(
        content=data,
        media_type=str(doc["content_type"]),
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{_quoted(str(doc['name']))}"
        },
    )


def _quoted(name: str) -> str:
    return quote(name, safe="")
