"""Spreadsheet imports over HTTP: a job's progress and the rows that failed
(file format: docs/import-format.md)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel

from boyin_shared.api.errors import MessageOut

#: the file formats of imports, exports and the template
Format = Literal["xlsx", "csv"]
#: the language of a written file's header row
HeaderLanguage = Literal["zh", "en"]


class ImportKind(StrEnum):
    """What one row of an import file is (docs/import-format.md)."""

    DEMANDS = "DEMANDS"
    TALENTS = "TALENTS"
    ORGANISATIONS = "ORGANISATIONS"


class ImportStatus(StrEnum):
    """Where an import job stands (``ImportOut.status``)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    #: interrupted (a restart, the database): resuming goes on where it stopped
    FAILED = "failed"


class CellErrorOut(BaseModel):
    #: the column's header as the file writes it; None for the row as a whole
    column: str | None
    field: str
    code: str
    message: MessageOut


class RowErrorOut(BaseModel):
    #: the row's number as the spreadsheet shows it
    row: int
    key: str | None
    errors: list[CellErrorOut]


class ErrorsOut(BaseModel):
    #: rows that failed so far
    total: int
    offset: int
    items: list[RowErrorOut]
    #: pass as ``errors_offset`` for the next page; None on the last
    next_offset: int | None


class CountsOut(BaseModel):
    created: int
    updated: int
    unchanged: int
    failed: int


class JobErrorOut(BaseModel):
    code: str
    message: MessageOut


class ImportOut(BaseModel):
    id: str
    #: what the file's rows are
    kind: ImportKind
    #: an :class:`ImportStatus` (a string in the OpenAPI document, as it has always been)
    status: str
    #: failed jobs (interrupted by a restart, or by the database) go on where they stopped
    resumable: bool
    scope: str
    filename: str | None
    format: str
    total: int
    processed: int
    counts: CountsOut
    #: headers of the file that name no column (their cells were not read)
    ignored_columns: list[str]
    error: JobErrorOut | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    errors: ErrorsOut
