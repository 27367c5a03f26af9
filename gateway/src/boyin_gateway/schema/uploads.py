"""GraphQL of files sent to the registry: attachments and spreadsheet imports of demands.

Files arrive as GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec)
and go on to the registry as they came; downloads are plain GET routes (``boyin_gateway.files``).
A multipart request must carry a header that makes a browser ask first (see ``files``).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload

from boyin_gateway.clients import FilePart, ServiceError
from boyin_gateway.context import Context
from boyin_gateway.dto import ImportDto
from boyin_gateway.errors import problem
from boyin_gateway.types import (
    Attachment,
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    LocalizedText,
    NotFound,
    described_field,
    described_mutation,
)

Info = strawberry.Info[Context, None]

MAX_ERRORS_PAGE = 1000


@strawberry.enum
class ImportStatus(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    #: interrupted (a restart, the database): resumeImport goes on where it stopped
    FAILED = "failed"


@strawberry.type
class ImportCounts:
    created: int
    updated: int
    unchanged: int
    failed: int


@strawberry.type(description="One problem with one cell (or, without a column, the row).")
class ImportCellError:
    #: the column's header as the file writes it; null for the row as a whole
    column: str | None
    field: str
    code: str
    message: LocalizedText


@strawberry.type(description="A row that was not imported, and why.")
class ImportRowError:
    #: the row's number as the spreadsheet shows it (the header is row 1)
    row: int
    #: the row's external ref
    key: str | None
    errors: list[ImportCellError]


@strawberry.type(description="A page of the rows that failed so far.")
class ImportErrors:
    total: int
    offset: int
    #: pass as errorsOffset for the next page; null on the last
    next_offset: int | None
    rows: list[ImportRowError]


@strawberry.type
class ImportFailure:
    code: str
    message: LocalizedText


@strawberry.type(description="A spreadsheet import of demands, running in the background.")
class ImportJob:
    id: strawberry.ID
    status: ImportStatus
    resumable: bool
    #: ops, or the importing district officer's district
    scope: str
    filename: str | None
    format: str
    total: int
    processed: int
    counts: ImportCounts
    #: headers of the file that name no column (their cells were not read)
    ignored_columns: list[str]
    error: ImportFailure | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    errors: ImportErrors

    @classmethod
    def of(cls, dto: ImportDto) -> ImportJob:
        e = dto.errors
        return cls(
            id=strawberry.ID(dto.id),
            status=ImportStatus(dto.status),
            resumable=dto.resumable,
            scope=dto.scope,
            filename=dto.filename,
            format=dto.format,
            total=dto.total,
            processed=dto.processed,
            counts=ImportCounts(
                created=dto.counts.created,
                updated=dto.counts.updated,
                unchanged=dto.counts.unchanged,
                failed=dto.counts.failed,
            ),
            ignored_columns=list(dto.ignored_columns),
            error=ImportFailure(
                code=dto.error.code,
                message=LocalizedText(zh=dto.error.message.zh, en=dto.error.message.en),
            )
            if dto.error
            else None,
            created_at=dto.created_at,
            started_at=dto.started_at,
            finished_at=dto.finished_at,
            errors=ImportErrors(
                total=e.total,
                offset=e.offset,
                next_offset=e.next_offset,
                rows=[
                    ImportRowError(
                        row=r.row,
                        key=r.key,
                        errors=[
                            ImportCellError(
                                column=c.column,
                                field=c.field,
                                code=c.code,
                                message=LocalizedText(zh=c.message.zh, en=c.message.en),
                            )
                            for c in r.errors
                        ],
                    )
                    for r in e.items
                ],
            ),
        )


UploadAttachmentResult = Annotated[
    Attachment | InvalidInput | Forbidden, strawberry.union("UploadAttachmentResult")
]
StartImportResult = Annotated[
    ImportJob | InvalidInput | Forbidden, strawberry.union("StartImportResult")
]
ImportJobResult = Annotated[ImportJob | NotFound | Forbidden, strawberry.union("ImportJobResult")]
ResumeImportResult = Annotated[
    ImportJob | Conflict | NotFound | Forbidden, strawberry.union("ResumeImportResult")
]


def _not_a_file() -> InvalidInput:
    message = LocalizedText(
        zh="请以 multipart 请求上传文件", en="send the file in a multipart request"
    )
    return InvalidInput(
        code="VALIDATION_FAILED",
        message=LocalizedText(
            zh="输入有误，请检查标出的字段", en="Invalid input; see the fields listed"
        ),
        fields=[FieldError(field="file", code="NOT_A_FILE", message=message)],
    )


def _part(file: Upload) -> FilePart | InvalidInput:
    """The uploaded file as the registry takes it (streamed, not read into memory here)."""
    upload: object = file
    if not isinstance(upload, UploadFile):
        return _not_a_file()
    return (upload.filename or "", upload.file, upload.content_type or "")


@strawberry.type
class UploadQuery:
    @described_field(
        "An import's progress and its first failed rows (operators, "
        "administrators, and district officers for their district's imports)."
    )
    async def import_job(
        self, info: Info, id: strawberry.ID, errors_first: int = 20, errors_offset: int = 0
    ) -> ImportJobResult:
        try:
            dto = await info.context.registry.import_job(
                str(id),
                errors_offset=max(0, errors_offset),
                errors_limit=max(1, min(errors_first, MAX_ERRORS_PAGE)),
            )
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, NotFound | Forbidden), result
            return result
        return ImportJob.of(dto)


@strawberry.type
class UploadMutation:
    @described_mutation(
        "Upload a file (PDF, PNG, JPEG or an Office document) to attach to a "
        "demand or to a claim as evidence."
    )
    async def upload_attachment(self, info: Info, file: Upload) -> UploadAttachmentResult:
        part = _part(file)
        if isinstance(part, InvalidInput):
            return part
        try:
            return Attachment.of(await info.context.registry.upload_attachment(part))
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, InvalidInput | Forbidden), result
            return result

    @described_mutation(
        "Start importing demands from a CSV or XLSX file (the template is at "
        "/files/imports/template); follow it with importJob."
    )
    async def start_import(self, info: Info, file: Upload) -> StartImportResult:
        part = _part(file)
        if isinstance(part, InvalidInput):
            return part
        try:
            return ImportJob.of(await info.context.registry.start_import(part))
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, InvalidInput | Forbidden), result
            return result

    @described_mutation("Go on with a failed (interrupted) import where it stopped.")
    async def resume_import(self, info: Info, id: strawberry.ID) -> ResumeImportResult:
        try:
            return ImportJob.of(await info.context.registry.resume_import(str(id)))
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, Conflict | NotFound | Forbidden), result
            return result
