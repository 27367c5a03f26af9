"""From import jobs and row results to the registry's API models."""

from __future__ import annotations

from boyin_registry.imports.domain import ErrorsPage, Job, RowResult
from boyin_shared.api.registry import (
    CellErrorOut,
    CountsOut,
    ErrorsOut,
    ImportOut,
    JobErrorOut,
    MessageOut,
    RowErrorOut,
)
from boyin_shared.errors import Message


def message_out(m: Message) -> MessageOut:
    return MessageOut(zh=m.zh, en=m.en)


def row_error_out(r: RowResult) -> RowErrorOut:
    return RowErrorOut(
        row=r.row,
        key=r.key,
        errors=[
            CellErrorOut(
                column=e.column, field=e.field, code=e.code, message=message_out(e.message)
            )
            for e in r.errors
        ],
    )


def import_out(job: Job, page: ErrorsPage) -> ImportOut:
    """The job with one page of the rows that failed."""
    shown = page.offset + len(page.items)
    return ImportOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        resumable=job.status == "failed",
        scope=job.scope,
        filename=job.filename,
        format=job.format,
        total=job.total,
        processed=job.processed,
        counts=CountsOut(**job.counts),
        ignored_columns=job.ignored,
        error=JobErrorOut(code=job.error_code or "", message=message_out(job.error))
        if job.error
        else None,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        errors=ErrorsOut(
            total=page.total,
            offset=page.offset,
            items=[row_error_out(r) for r in page.items],
            next_offset=shown if page.items and shown < page.total else None,
        ),
    )
