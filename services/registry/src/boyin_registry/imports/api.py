"""HTTP API of spreadsheet imports and exports of demands, talents and organisations
(format: docs/import-format.md).

``POST /imports?kind=`` takes the file as ``multipart/form-data`` (field ``file``) or as
the raw request body (``?filename=`` names it) and answers 202 with the job; ``GET /imports/{id}``
reports its progress and the rows that failed, a page at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, cast
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response, status
from starlette.datastructures import UploadFile as StarletteUpload

from boyin_registry.demands.api import Filters
from boyin_registry.imports.domain import LAYOUTS, Job, scope_of
from boyin_registry.imports.export import CSV_MEDIA_TYPE, template
from boyin_registry.imports.schemas import import_out
from boyin_registry.imports.service import Importer
from boyin_registry.imports.spreadsheets import (
    MAX_FILE_BYTES,
    ReadStopped,
    Sheet,
    read_sheet,
    too_large,
)
from boyin_shared.api.registry import Format, HeaderLanguage, ImportKind, ImportOut
from boyin_shared.callers import CurrentActor, CurrentMember
from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, Message
from boyin_shared.spreadsheets import XLSX_MEDIA_TYPE
from boyin_shared.threads import while_connected

router = APIRouter(tags=["imports"])
log = logging.getLogger("boyin.registry.imports")

#: the form's own bytes around the file
_MAX_BODY = MAX_FILE_BYTES + 64 * 1024


async def importer(request: Request) -> Importer:
    return cast(Importer, request.app.state.service.imports)


Imports = Annotated[Importer, Depends(importer)]


# -- uploads --------------------------------------------------------------------------------


def _bad_upload(zh: str, en: str) -> BoyinError:
    return BoyinError(code="BAD_UPLOAD", message=Message(zh, en), status=400)


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > _MAX_BODY:
        raise too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > _MAX_BODY:
            raise too_large()
        chunks.append(chunk)
    return b"".join(chunks)


async def _upload(request: Request, filename: str | None) -> tuple[bytes, str | None]:
    """The uploaded file: the ``file`` field of a multipart form, or the raw body."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        return await _body(request), filename
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > _MAX_BODY:
        raise too_large()
    form = await request.form(max_files=1, max_fields=10)
    try:
        upload = form.get("file")
        if not isinstance(upload, StarletteUpload):
            raise _bad_upload(
                "请在表单字段 file 中上传文件", "upload the file in the form field “file”"
            )
        data = await upload.read(_MAX_BODY + 1)
        if len(data) > _MAX_BODY:
            raise too_large()
        return data, upload.filename
    finally:
        await form.close()


def _download(data: bytes, fmt: str, name: str) -> Response:
    media_type = CSV_MEDIA_TYPE if fmt == "csv" else XLSX_MEDIA_TYPE
    disposition = f"attachment; filename=\"{name}.{fmt}\"; filename*=UTF-8''{quote(name)}.{fmt}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


async def _out(imports: Importer, job: Job, offset: int, limit: int) -> ImportOut:
    return import_out(job, await imports.failures(job, offset, limit))


# -- routes ---------------------------------------------------------------------------------


@router.get("/imports/template")
async def import_template(
    actor: CurrentActor,
    format: Format = "xlsx",
    headers: HeaderLanguage = "zh",
    kind: ImportKind = ImportKind.DEMANDS,
) -> Response:
    """An empty import file of ``kind`` with the header row (XLSX adds a sheet of notes)."""
    layout = LAYOUTS[kind]
    return _download(template(layout, format, headers), format, f"{layout.name}-import-template")


@router.post("/imports", status_code=status.HTTP_202_ACCEPTED)
async def start_import(
    request: Request,
    actor: CurrentMember,
    imports: Imports,
    filename: str | None = None,
    kind: ImportKind = ImportKind.DEMANDS,
) -> ImportOut:
    scope_of(actor)  # 403 before reading the body
    data, name = await _upload(request, filename)
    layout = LAYOUTS[kind]

    def read(stop: Callable[[], bool]) -> Sheet:
        try:
            return read_sheet(data, layout, stop)
        except ReadStopped as stopped:
            log.info("spreadsheet read stopped after %d rows: its request is gone", stopped.rows)
            raise

    sheet = await while_connected(request, "spreadsheet read", read)
    job = await imports.start(actor, sheet, name)
    return await _out(imports, job, 0, 100)


@router.get("/imports/{job_id}")
async def get_import(
    job_id: str,
    actor: CurrentMember,
    imports: Imports,
    errors_offset: Annotated[int, Query(ge=0)] = 0,
    errors_limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ImportOut:
    job = await imports.job(actor, job_id)
    return await _out(imports, job, errors_offset, errors_limit)


@router.post("/imports/{job_id}/resume", status_code=status.HTTP_202_ACCEPTED)
async def resume_import(job_id: str, actor: CurrentMember, imports: Imports) -> ImportOut:
    job = await imports.resume(actor, job_id)
    return await _out(imports, job, 0, 100)


@router.get("/exports/demands", tags=["demands"])
async def export_demands(
    actor: CurrentActor,
    imports: Imports,
    filters: Filters,
    format: Format = "xlsx",
    headers: HeaderLanguage = "zh",
) -> Response:
    """The demands ``GET /demands`` would list with these filters, in the import format."""
    data = await imports.export(actor, filters, format, headers)
    return _download(data, format, f"demands-{utcnow():%Y%m%d}")


@router.get("/exports/organisations", tags=["profiles"])
async def export_organisations(
    actor: CurrentActor,
    imports: Imports,
    district_code: str | None = None,
    format: Format = "xlsx",
    headers: HeaderLanguage = "zh",
) -> Response:
    """The organisations the caller may see (of ``district_code`` if given), in the import
    format; their contacts where the caller may see them."""
    kind = ImportKind.ORGANISATIONS
    data = await imports.export_profiles(actor, kind, format, headers, district_code)
    return _download(data, format, f"organisations-{utcnow():%Y%m%d}")


@router.get("/exports/talents", tags=["profiles"])
async def export_talents(
    actor: CurrentMember,
    imports: Imports,
    format: Format = "xlsx",
    headers: HeaderLanguage = "zh",
) -> Response:
    """The talents (for signed-in people), in the import format; their contacts where the
    caller may see them."""
    data = await imports.export_profiles(actor, ImportKind.TALENTS, format, headers, None)
    return _download(data, format, f"talents-{utcnow():%Y%m%d}")
