"""Uploading and downloading attachments."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, cast
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response, UploadFile, status

from boyin_registry.attachments.schemas import attachment_out
from boyin_registry.attachments.service import Attachments
from boyin_shared.api.registry import AttachmentOut
from boyin_shared.callers import CurrentActor, CurrentMember

router = APIRouter(prefix="/attachments", tags=["attachments"])
CHUNK = 256 * 1024


async def attachments(request: Request) -> Attachments:
    return cast(Attachments, request.app.state.service.attachments)


Files = Annotated[Attachments, Depends(attachments)]


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK):
        yield chunk


@router.post("", status_code=status.HTTP_201_CREATED)
async def upload(file: UploadFile, actor: CurrentMember, files: Files) -> AttachmentOut:
    """Upload one file (PDF, PNG, JPEG or an Office document; size limit BOYIN_MAX_UPLOAD_MB)."""
    a = await files.upload(actor, file.filename or "", file.content_type or "", _chunks(file))
    return attachment_out(a)


@router.get("/{attachment_id}")
async def download(attachment_id: str, actor: CurrentActor, files: Files) -> Response:
    """The uploader and staff may always download; others when a demand they may see carries it."""
    attachment, data = await files.download(actor, attachment_id)
    return Response(
        content=data,
        media_type=attachment.content_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{_quoted(attachment.name)}"},
    )


def _quoted(name: str) -> str:
    return quote(name, safe="")
