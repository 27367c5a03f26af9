"""Where import jobs are kept: every query and write of ``imports`` (a job's progress),
``import_rows`` (its waiting rows, one document per batch) and ``import_errors`` (the rows
that failed, one document per batch that had any). Every access is by ``_id``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from boyin_registry.imports.domain import BATCH, CellError, Job, Outcome, RowResult
from boyin_registry.imports.spreadsheets import Row
from boyin_shared.api.registry import ImportKind
from boyin_shared.clock import utcnow
from boyin_shared.errors import Message
from boyin_shared.identity import Actor, Role
from boyin_shared.store import AlreadyExists, Collection, Document, DocumentStore, Update


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _progress(job: Job) -> dict[str, Any]:
    return {
        "status": job.status,
        "processed": job.processed,
        "counts": dict(job.counts),
        "error_rows": list(job.error_rows),
        "error": _error_doc(job),
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
        "heartbeat_at": _iso(job.heartbeat_at),
    }


def _error_doc(job: Job) -> dict[str, str] | None:
    if job.error is None:
        return None
    return {"code": job.error_code or "", "zh": job.error.zh, "en": job.error.en}


def _job_doc(job: Job) -> Document:
    return {
        "_id": job.id,
        "scope": job.scope,
        "kind": job.kind.value,
        "actor": {
            "account_id": job.actor.account_id,
            "role": job.actor.role.value,
            "district_code": job.actor.district_code,
            "party_id": job.actor.party_id,
        },
        "filename": job.filename,
        "format": job.format,
        "language": job.language,
        "headers": job.headers,
        "ignored": job.ignored,
        "total": job.total,
        "created_at": job.created_at.isoformat(),
        **_progress(job),
    }


def _job_from(doc: Document) -> Job:
    a = doc["actor"]
    error = doc.get("error")
    heartbeat = _when(doc.get("heartbeat_at"))
    return Job(
        id=doc["_id"],
        scope=doc["scope"],
        # jobs stored before profiles could be imported are of demands
        kind=ImportKind(doc.get("kind", ImportKind.DEMANDS.value)),
        actor=Actor(a["account_id"], Role(a["role"]), a.get("district_code"), a.get("party_id")),
        filename=doc.get("filename"),
        format=doc["format"],
        language=doc["language"],
        headers=dict(doc["headers"]),
        ignored=list(doc["ignored"]),
        total=doc["total"],
        status=doc["status"],
        processed=doc["processed"],
        counts=dict(doc["counts"]),
        error_rows=list(doc["error_rows"]),
        error=Message(error["zh"], error["en"]) if error else None,
        error_code=error["code"] if error else None,
        created_at=datetime.fromisoformat(doc["created_at"]),
        started_at=_when(doc.get("started_at")),
        finished_at=_when(doc.get("finished_at")),
        heartbeat_at=heartbeat or utcnow(),
        rev=doc.get("_rev", 0),
    )


def _chunk_id(job_id: str, index: int) -> str:
    return f"{job_id}:{index:05d}"


def _result_doc(r: RowResult) -> dict[str, Any]:
    return {
        "row": r.row,
        "key": r.key,
        "errors": [
            {
                "column": e.column,
                "field": e.field,
                "code": e.code,
                "zh": e.message.zh,
                "en": e.message.en,
            }
            for e in r.errors
        ],
    }


def _result_from(doc: dict[str, Any]) -> RowResult:
    errors = tuple(
        CellError(e["column"], e["field"], e["code"], Message(e["zh"], e["en"]))
        for e in doc["errors"]
    )
    return RowResult(doc["row"], doc.get("key"), Outcome.FAILED, errors)


class ImportJobs:
    """Where jobs, their waiting rows and their failed rows are kept (``_id`` access only)."""

    def __init__(self, store: DocumentStore) -> None:
        self.jobs: Collection = store.collection("imports")
        self.rows: Collection = store.collection("import_rows")
        self.errors: Collection = store.collection("import_errors")
        #: ``{scope}:{kind}:{key}`` -> the talent or organisation a row's key names
        self.profile_refs: Collection = store.collection("import_profile_refs")

    async def add(self, job: Job, rows: Sequence[Row]) -> None:
        """Store the rows first, so a job never exists without them."""
        chunks = [
            {
                "_id": _chunk_id(job.id, i),
                "rows": [{"n": r.number, "c": dict(r.cells)} for r in rows[s : s + BATCH]],
            }
            for i, s in enumerate(range(0, len(rows), BATCH))
        ]
        if chunks:
            await self.rows.insert_many(chunks)
        await self.jobs.insert(_job_doc(job))

    async def get(self, job_id: str) -> Job | None:
        doc = await self.jobs.get(job_id)
        return None if doc is None else _job_from(doc)

    async def rows_of(self, job_id: str, indexes: Sequence[int]) -> list[list[Row]]:
        """The waiting rows of some batches, in one read."""
        chunks = [_chunk_id(job_id, i) for i in indexes]
        docs = {d["_id"]: d for d in await self.rows.get_many(chunks)}
        missing = [i for i, chunk in zip(indexes, chunks, strict=True) if chunk not in docs]
        if missing:
            raise RuntimeError(f"import {job_id}: rows of batches {missing} are missing")
        return [[Row(r["n"], r["c"]) for r in docs[chunk]["rows"]] for chunk in chunks]

    async def save_progress(self, job: Job) -> None:
        await self.jobs.update(job.id, Update(set=_progress(job)))

    async def beat(self, job_id: str) -> None:
        await self.jobs.update(job_id, Update(set={"heartbeat_at": utcnow().isoformat()}))

    async def take_over(self, job: Job) -> bool:
        """Claim an interrupted job for this process; False if another claimed it first."""
        change = Update(set={"status": "queued", "heartbeat_at": utcnow().isoformat()})
        return await self.jobs.update(job.id, change, where={"_rev": job.rev})

    async def record_failures(self, job_id: str, index: int, failed: list[RowResult]) -> None:
        chunk = _chunk_id(job_id, index)
        doc = {"_id": chunk, "rows": [_result_doc(r) for r in failed]}
        try:
            await self.errors.insert(doc)
        except AlreadyExists:  # the batch ran before an interruption: write it again
            old = await self.errors.get(chunk)
            assert old is not None
            await self.errors.replace(doc, expected_rev=old["_rev"])

    async def failures(self, job: Job, offset: int, limit: int) -> list[RowResult]:
        out: list[RowResult] = []
        start = 0
        for index, count in enumerate(job.error_rows):
            if count and start + count > offset and len(out) < limit:
                doc = await self.errors.get(_chunk_id(job.id, index))
                rows = [_result_from(r) for r in (doc or {}).get("rows", [])]
                out += rows[max(0, offset - start) :]
            start += count
        return out[:limit]

    async def bound_profile(self, ref: str) -> str | None:
        """The profile id ``ref`` is bound to, if any."""
        doc = await self.profile_refs.get(ref)
        return None if doc is None else str(doc["profile_id"])

    async def bind_profile(self, ref: str, profile_id: str) -> str:
        """Bind ``ref`` to ``profile_id`` unless it is bound already; the id it is bound to."""
        try:
            await self.profile_refs.insert({"_id": ref, "profile_id": profile_id})
        except AlreadyExists:
            bound = await self.bound_profile(ref)
            assert bound is not None
            return bound
        return profile_id

    async def drop_rows(self, job: Job) -> None:
        await self.rows.delete_many([_chunk_id(job.id, index) for index in range(job.batches)])
