"""GraphQL of files sent to the registry: attachments and spreadsheet imports of demands.

Files arrive as GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec)
and go on to the registry as they came; downloads are plain GET routes (``boyin_gateway.files``).
A multipart request must carry a header that makes a browser ask first (see ``files``).
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload

from boyin_gateway import paging
from boyin_gateway.clients import FilePart, ServiceError
from boyin_gateway.context import Context
from boyin_gateway.derived import derived, shown_as
from boyin_gateway.errors import problem
from boyin_gateway.registry_enums import ImportKind, ImportStatus
from boyin_gateway.types import (
    Attachment,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    described_field,
    described_mutation,
)
from boyin_shared.api.registry import (
    CellErrorOut,
    CountsOut,
    DemandAttachmentOut,
    ErrorsOut,
    ImportOut,
    JobErrorOut,
    RowErrorOut,
)
from boyin_shared.errors import FieldError, Message, invalid

Info = strawberry.Info[Context, None]

MAX_ERRORS_PAGE = 1000


@derived(CountsOut, name="ImportCounts")
class ImportCounts:
    pass


@derived(
    CellErrorOut,
    name="ImportCellError",
    description="One problem with one cell (or, without a column, the row).",
)
class ImportCellError:
    pass


@derived(RowErrorOut, name="ImportRowError", description="A row that was not imported, and why.")
class ImportRowError:
    pass


def _rows(root: strawberry.Parent[ErrorsOut]) -> list[ImportRowError]:
    return [shown_as(ImportRowError, r) for r in root.items]


@derived(
    ErrorsOut,
    name="ImportErrors",
    description="A page of the rows that failed so far.",
    exclude=["items"],
)
class ImportErrors:
    rows: list[ImportRowError] = strawberry.field(resolver=_rows)


@derived(JobErrorOut, name="ImportFailure")
class ImportFailure:
    pass


@derived(
    ImportOut,
    name="ImportJob",
    description="A spreadsheet import of demands, talents or organisations, running in the "
    "background.",
)
class ImportJob:
    id: strawberry.ID
    kind: ImportKind
    status: ImportStatus


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
    message = Message("请以 multipart 请求上传文件", "send the file in a multipart request")
    result = problem(invalid([FieldError("file", "NOT_A_FILE", message)]))
    assert isinstance(result, InvalidInput), result
    return result


def upload_part(file: Upload) -> FilePart | InvalidInput:
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
            job = await info.context.registry.import_job(
                str(id),
                errors_offset=paging.offset(errors_offset, argument="errorsOffset"),
                errors_limit=paging.page_size(
                    errors_first, MAX_ERRORS_PAGE, argument="errorsFirst"
                ),
            )
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, NotFound | Forbidden), result
            return result
        return shown_as(ImportJob, job)


@strawberry.type
class UploadMutation:
    @described_mutation(
        "Upload a file (PDF, PNG, JPEG or an Office document) to attach to a "
        "demand or to a claim as evidence."
    )
    async def upload_attachment(self, info: Info, file: Upload) -> UploadAttachmentResult:
        part = upload_part(file)
        if isinstance(part, InvalidInput):
            return part
        try:
            uploaded = await info.context.registry.upload_attachment(part)
            # Attachment shows a demand's attachment; the upload answers that and its SHA-256.
            return shown_as(Attachment, DemandAttachmentOut.model_validate(uploaded.model_dump()))
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, InvalidInput | Forbidden), result
            return result

    @described_mutation(
        "Start importing demands, talents or organisations (kind) from a CSV or XLSX file "
        "(the template is at /files/imports/template?kind=…); follow it with importJob."
    )
    async def start_import(
        self, info: Info, file: Upload, kind: ImportKind = ImportKind.DEMANDS
    ) -> StartImportResult:
        part = upload_part(file)
        if isinstance(part, InvalidInput):
            return part
        try:
            return shown_as(ImportJob, await info.context.registry.start_import(part, kind))
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, InvalidInput | Forbidden), result
            return result

    @described_mutation("Go on with a failed (interrupted) import where it stopped.")
    async def resume_import(self, info: Info, id: strawberry.ID) -> ResumeImportResult:
        try:
            return shown_as(ImportJob, await info.context.registry.resume_import(str(id)))
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, Conflict | NotFound | Forbidden), result
            return result
