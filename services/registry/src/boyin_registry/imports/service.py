"""Importing demands from spreadsheets as jobs, and exporting them in the same format.

A row is idempotent by its external reference: ``{scope}:{key}`` (scope ``ops`` for
operators and admins, the district code for district officers) is bound to one demand in
``demand_refs``. A re-import edits that demand when its content changed and leaves it alone
when not. Each row is validated on its own and written once (a create, or one edit that may
also submit), so a row is imported whole or not at all.

An import runs as a job: its document in ``imports`` holds the progress, the rows wait in
``import_rows`` (one document per batch) and the rows that failed are kept in
``import_errors`` (one document per batch that had any). Every read and write per row is by
``_id``. A job whose process died stops beating its heart; it is then reported as failed and
resumable, and resuming goes on from the last batch it finished.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from boyin_registry.demand_commands import DemandCommands
from boyin_registry.domain.demands import (
    EDITABLE,
    Attachment,
    Channel,
    ClaimInput,
    Demand,
    DemandContent,
    Status,
    demand_content,
)
from boyin_registry.domain.eligibility import Claim
from boyin_registry.reference import Reference
from boyin_registry.repository import DemandQuery
from boyin_registry.spreadsheets import (
    LABELS,
    MAX_ROWS,
    Row,
    RowValues,
    Sheet,
    choice,
    column_of,
    demand_cells,
    read_row,
    write,
)
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import BoyinError, FieldError, Message, conflict, forbidden, not_found
from boyin_shared.identity import Actor, Role
from boyin_shared.store import AlreadyExists, Collection, Document, DocumentStore, Update

log = logging.getLogger("boyin.registry.imports")

OPS = "ops"
BATCH = 100
HEARTBEAT_SECONDS = 10.0
_LIVE = ("queued", "running")

_STATUS_ZH = {
    Status.DRAFT: "草稿",
    Status.SUBMITTED: "已提交",
    Status.UNDER_REVIEW: "审核中",
    Status.PUBLISHED: "已发布",
    Status.RETURNED: "已退回",
    Status.REJECTED: "已驳回",
    Status.WITHDRAWN: "已撤回",
    Status.EXPIRED: "已过期",
}


def scope_of(actor: Actor) -> str:
    """Whose keys the actor's rows are: ``ops``, or a district officer's district."""
    if actor.role in (Role.OPERATOR, Role.ADMIN):
        return OPS
    if actor.role is Role.DISTRICT_OFFICER and actor.district_code:
        return actor.district_code
    raise forbidden(
        Message(
            "只有运营人员和区县工作人员可以导入需求", "only operators and district officers import"
        )
    )


def export_key(demand: Demand, scope: str | None) -> str:
    """The key an export writes: the importer's own key, else the demand id (which a
    re-import recognises, so an exported demand comes back to itself)."""
    ref = demand.external_ref
    if scope and ref and ref.startswith(scope + ":"):
        return ref[len(scope) + 1 :]
    return demand.id


def same_content(a: DemandContent, b: DemandContent) -> bool:
    """Equal as a spreadsheet can say it (claim reviews are not part of a row)."""

    def said(c: DemandContent) -> tuple[tuple[str, str | None, str | None], ...]:
        return tuple((x.criterion.value, x.evidence, x.evidence_file) for x in c.claims)

    return replace(a, claims=()) == replace(b, claims=()) and said(a) == said(b)


# -- one row ------------------------------------------------------------------------------


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class CellError:
    #: the column's header as the file writes it (None: the row as a whole)
    column: str | None
    field: str
    code: str
    message: Message


@dataclass(frozen=True)
class RowResult:
    row: int
    key: str | None
    outcome: Outcome
    errors: tuple[CellError, ...] = ()


@dataclass(frozen=True)
class _Owner:
    district_code: str | None


@dataclass(frozen=True)
class _Existing:
    demand: Demand
    #: whether the row's reference is bound to it already (else the key is its id)
    bound: bool


T = TypeVar("T")


async def _bounded(work: Iterable[Awaitable[T]], at_once: int = 8) -> list[T]:
    """Await all of ``work``, at most ``at_once`` at a time."""
    gate = asyncio.Semaphore(at_once)

    async def one(step: Awaitable[T]) -> T:
        async with gate:
            return await step

    return await asyncio.gather(*(one(step) for step in work))


def _owner_of(row: Row) -> tuple[Channel | None, str | None]:
    return choice(Channel, row.cells.get("channel", "")), row.cells.get("owner_id")


def _problem(field_path: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field_path, code, Message(zh, en))


class RowImporter:
    """Imports the rows of one file for one actor; remembers the owners it has looked up."""

    def __init__(
        self, commands: DemandCommands, reference: Reference, actor: Actor, sheet: Sheet
    ) -> None:
        self.commands = commands
        self.reference = reference
        self.actor = actor
        self.scope = scope_of(actor)
        self.sheet = sheet
        self.today = utcnow().date()
        self._owners: dict[tuple[str, str], _Owner | None] = {}
        #: reference -> the demand it names (None: none), for the batch being imported
        self._known: dict[str, _Existing | None] = {}

    async def prefetch(self, rows: Sequence[Row]) -> None:
        """Look up a batch's existing demands with two ``_id`` queries (``$in``) instead of two
        lookups per row: FerretDB spends about as long on one lookup as on a batch."""
        refs = {f"{self.scope}:{r.key}": r.key for r in rows if r.key}
        docs = await self.commands.demands.refs.get_many(list(refs))
        bound = {str(d["_id"]): str(d["demand_id"]) for d in docs}
        wanted = [*bound.values(), *(k for r, k in refs.items() if r not in bound)]
        found = await self.commands.demands.get_many([i for i in wanted if i.startswith("dem_")])
        self._known = {}
        for ref, key in refs.items():
            if ref not in bound:
                self._known[ref] = _Existing(found[key], bound=False) if key in found else None
            elif bound[ref] in found:
                self._known[ref] = _Existing(found[bound[ref]], bound=True)
            # else: bound to a demand that is gone; the row looks again and reports it
        owners = {(c.owner_kind, o) for c, o in map(_owner_of, rows) if c and o}
        await _bounded(self._owner(kind, owner_id) for kind, owner_id in owners)

    async def apply(self, row: Row) -> RowResult:
        prefix = f"rows.{row.number}."
        values = read_row(row, prefix)
        try:
            outcome, problems = await self._apply(values, prefix)
        except BoyinError as exc:
            outcome = Outcome.FAILED
            problems = exc.fields or [FieldError(prefix.rstrip("."), exc.code, exc.message)]
        slots = [c.slot for c in values.claims]
        errors = tuple(self._located(p, prefix, slots) for p in problems)
        return RowResult(row.number, values.key, outcome, errors)

    def _located(self, problem: FieldError, prefix: str, slots: Sequence[int]) -> CellError:
        key = column_of(problem.field.removeprefix(prefix), slots)
        column = self.sheet.header(key) if key else None
        return CellError(column, problem.field, problem.code, problem.message)

    async def _apply(self, v: RowValues, prefix: str) -> tuple[Outcome, list[FieldError]]:
        problems = list(v.problems)
        if v.key is None or v.channel is None or v.owner_id is None or v.details is None:
            return Outcome.FAILED, problems
        problems += await self._owner_problems(v.channel, v.owner_id, prefix)
        ref = f"{self.scope}:{v.key}"
        existing = await self._existing(ref, v.key)
        if existing is not None:
            problems += self._fits(existing.demand, v, prefix)
        content, invalid = self._content(v, existing.demand if existing else None, prefix)
        problems += invalid
        if problems or content is None:
            return Outcome.FAILED, problems
        if existing is None:
            return await self._create(ref, v, content, prefix)
        if not existing.bound:
            await self._bind(ref, existing.demand.id)
        return await self._update(existing.demand, v, content, prefix)

    # -- looking up ------------------------------------------------------------------

    async def _owner(self, kind: str, owner_id: str) -> _Owner | None:
        if (kind, owner_id) not in self._owners:
            if kind == "organisation":
                org = await self.commands.organisations.get(owner_id)
                found = _Owner(org.aggregate.details.district_code) if org else None
            else:
                talent = await self.commands.talents.get(owner_id)
                found = _Owner(None) if talent else None
            self._owners[(kind, owner_id)] = found
        return self._owners[(kind, owner_id)]

    async def _owner_problems(
        self, channel: Channel, owner_id: str, prefix: str
    ) -> list[FieldError]:
        kind = channel.owner_kind
        owner = await self._owner(kind, owner_id)
        if owner is None:
            kind_zh = "单位" if kind == "organisation" else "人才"
            return [
                _problem(
                    prefix + "owner_id",
                    "UNKNOWN_OWNER",
                    f"未找到{kind_zh}：{owner_id}（“{LABELS[Channel][channel.value]}”的主体应为{kind_zh}）",
                    f"no {kind} {owner_id} ({channel.value} is owned by a {kind})",
                )
            ]
        district = self.actor.district_code
        if self.actor.role is Role.DISTRICT_OFFICER and owner.district_code != district:
            return [
                _problem(
                    prefix + "owner_id",
                    "OUT_OF_DISTRICT",
                    f"区县工作人员只能导入本区县（{district}）单位的需求",
                    f"a district officer imports demands of organisations in {district} only",
                )
            ]
        return []

    async def _existing(self, ref: str, key: str) -> _Existing | None:
        if ref in self._known:
            return self._known.pop(ref)
        return await self._find(ref, key)

    async def _find(self, ref: str, key: str) -> _Existing | None:
        demand_id = await self.commands.demands.id_for_ref(ref)
        if demand_id is not None:
            loaded = await self.commands.demands.get(demand_id)
            if loaded is None:
                raise not_found("demand", demand_id, zh_kind="需求")
            return _Existing(loaded.aggregate, bound=True)
        if key.startswith("dem_"):
            loaded = await self.commands.demands.get(key)
            if loaded is not None:
                return _Existing(loaded.aggregate, bound=False)
        return None

    def _fits(self, demand: Demand, v: RowValues, prefix: str) -> list[FieldError]:
        """Problems of a row that targets an existing demand."""
        if not demand.may_edit(self.actor):
            return [
                _problem(
                    prefix + "external_ref", "FORBIDDEN", "无权修改该需求", "you may not edit it"
                )
            ]
        out = []
        if demand.channel is not v.channel:
            out.append(
                _problem(
                    prefix + "channel",
                    "CHANNEL_CHANGED",
                    f"该编号的需求渠道为 {demand.channel.value}，不能更改",
                    f"this key's demand is {demand.channel.value}; the channel cannot change",
                )
            )
        if demand.owner_id != v.owner_id:
            out.append(
                _problem(
                    prefix + "owner_id",
                    "OWNER_CHANGED",
                    f"该编号的需求属于 {demand.owner_id}，不能更改主体",
                    f"this key's demand belongs to {demand.owner_id}; the owner cannot change",
                )
            )
        return out

    # -- validating -------------------------------------------------------------------

    def _content(
        self, v: RowValues, existing: Demand | None, prefix: str
    ) -> tuple[DemandContent | None, list[FieldError]]:
        assert v.channel is not None and v.details is not None
        kept: dict[str, Claim] = {}
        today = self.today
        attachments: tuple[Attachment, ...] = ()
        if existing is not None:
            # Files are not in spreadsheets: a re-import keeps those already attached.
            kept = {c.criterion.value: c for c in existing.content.claims}
            attachments = existing.content.attachments
            if v.expires_on is not None and v.expires_on == existing.content.expires_on:
                today = min(today, v.expires_on)  # an unchanged past deadline is no error
        claims = [
            ClaimInput(c.criterion, c.evidence, kept[c.criterion].evidence_file)
            if c.criterion in kept
            else ClaimInput(c.criterion, c.evidence)
            for c in v.claims
        ]
        try:
            return self._validated(v, claims, attachments, today, prefix), []
        except BoyinError as exc:
            return None, exc.fields

    def _validated(
        self,
        v: RowValues,
        claims: list[ClaimInput],
        attachments: Sequence[Any],
        today: date,
        prefix: str,
    ) -> DemandContent:
        assert v.channel is not None and v.details is not None
        return demand_content(
            channel=v.channel,
            title_zh=v.title_zh,
            title_en=v.title_en,
            description_zh=v.description_zh,
            description_en=v.description_en,
            taxonomy_codes=v.taxonomy_codes,
            keywords=v.keywords,
            editions=v.editions,
            claims=claims,
            details=v.details,
            attachments=attachments,
            expires_on=v.expires_on,
            ref=self.reference,
            known_editions=list(self.reference.editions),
            today=today,
            prefix=prefix,
        )

    # -- writing ------------------------------------------------------------------------

    async def _create(
        self, ref: str, v: RowValues, content: DemandContent, prefix: str
    ) -> tuple[Outcome, list[FieldError]]:
        assert v.channel is not None and v.owner_id is not None
        demand = await self.commands.create(
            self.actor, v.channel, v.owner_id, content, submit=v.submit, external_ref=ref
        )
        bound = await self.commands.demands.claim_ref(ref, demand.id)
        if bound == demand.id:
            return Outcome.CREATED, []
        # Another import of the same key won the race: ours must not stay as a duplicate.
        await self.commands.withdraw(self.actor, demand.id, f"duplicate import of {ref}")
        loaded = await self.commands.demands.get(bound)
        if loaded is None:
            raise not_found("demand", bound, zh_kind="需求")
        return await self._update(loaded.aggregate, v, content, prefix)

    async def _bind(self, ref: str, demand_id: str) -> None:
        if await self.commands.demands.claim_ref(ref, demand_id) != demand_id:
            raise conflict(
                "CONCURRENT_IMPORT",
                Message(
                    "该编号正被另一导入使用，请稍后重试", "another import bound this key; retry"
                ),
            )

    async def _update(
        self, demand: Demand, v: RowValues, content: DemandContent, prefix: str
    ) -> tuple[Outcome, list[FieldError]]:
        submit = v.submit and demand.status in (Status.DRAFT, Status.RETURNED)
        if same_content(demand.content, content):
            if not submit:
                return Outcome.UNCHANGED, []
            await self.commands.submit(self.actor, demand.id)
            return Outcome.UPDATED, []
        if demand.status not in EDITABLE:
            return Outcome.FAILED, [self._not_updatable(demand.status, prefix)]
        await self.commands.change(demand.id, lambda d: self._edited(d, content, v.submit))
        return Outcome.UPDATED, []

    def _edited(self, demand: Demand, content: DemandContent, submit: bool) -> Demand:
        now = utcnow()
        edited = demand.edit(content, self.actor, now)
        if submit and edited.status in (Status.DRAFT, Status.RETURNED):
            edited = edited.submit(self.actor, now)
        return edited

    @staticmethod
    def _not_updatable(status: Status, prefix: str) -> FieldError:
        return _problem(
            prefix + "external_ref",
            "NOT_UPDATABLE",
            f"该需求当前为“{_STATUS_ZH[status]}”状态，不能通过导入修改",
            f"the demand is {status.value} and cannot be changed by an import",
        )


# -- jobs ---------------------------------------------------------------------------------


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass
class Job:
    id: str
    scope: str
    actor: Actor
    filename: str | None
    format: str
    language: str
    headers: dict[str, str]
    ignored: list[str]
    total: int
    status: str = "queued"
    processed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    #: how many rows failed in each finished batch (pages the errors by batch document)
    error_rows: list[int] = field(default_factory=list)
    error: Message | None = None
    error_code: str | None = None
    created_at: datetime = field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime = field(default_factory=utcnow)
    rev: int = 0

    @property
    def batches(self) -> int:
        return -(-self.total // BATCH)

    def sheet(self) -> Sheet:
        """The file's headers, to name the columns of errors."""
        return Sheet(self.format, self.language, self.headers, tuple(self.ignored), ())

    def interrupted(self, now: datetime, stale_after: timedelta) -> bool:
        return self.status in _LIVE and now - self.heartbeat_at > stale_after

    def progress(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "processed": self.processed,
            "counts": dict(self.counts),
            "error_rows": list(self.error_rows),
            "error": self._error_doc(),
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "heartbeat_at": _iso(self.heartbeat_at),
        }

    def _error_doc(self) -> dict[str, str] | None:
        if self.error is None:
            return None
        return {"code": self.error_code or "", "zh": self.error.zh, "en": self.error.en}

    def to_doc(self) -> Document:
        return {
            "_id": self.id,
            "scope": self.scope,
            "actor": {
                "account_id": self.actor.account_id,
                "role": self.actor.role.value,
                "district_code": self.actor.district_code,
                "party_id": self.actor.party_id,
            },
            "filename": self.filename,
            "format": self.format,
            "language": self.language,
            "headers": self.headers,
            "ignored": self.ignored,
            "total": self.total,
            "created_at": self.created_at.isoformat(),
            **self.progress(),
        }

    @classmethod
    def from_doc(cls, doc: Document) -> Job:
        a = doc["actor"]
        error = doc.get("error")
        heartbeat = _when(doc.get("heartbeat_at"))
        return cls(
            id=doc["_id"],
            scope=doc["scope"],
            actor=Actor(
                a["account_id"], Role(a["role"]), a.get("district_code"), a.get("party_id")
            ),
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


@dataclass(frozen=True)
class ErrorsPage:
    #: how many rows failed so far
    total: int
    offset: int
    items: list[RowResult]


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
        await self.jobs.insert(job.to_doc())

    async def get(self, job_id: str) -> Job | None:
        doc = await self.jobs.get(job_id)
        return None if doc is None else Job.from_doc(doc)

    async def rows_of(self, job_id: str, index: int) -> list[Row]:
        doc = await self.rows.get(_chunk_id(job_id, index))
        if doc is None:
            raise RuntimeError(f"import {job_id}: rows of batch {index} are missing")
        return [Row(r["n"], r["c"]) for r in doc["rows"]]

    async def save_progress(self, job: Job) -> None:
        await self.jobs.update(job.id, Update(set=job.progress()))

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

    async def drop_rows(self, job: Job) -> None:
        for index in range(job.batches):
            await self.rows.delete(_chunk_id(job.id, index))


class _Stopped(Exception):
    """The process is stopping: leave the job as a crash would, to be resumed."""


def _job_not_found(job_id: str) -> BoyinError:
    return not_found("import", job_id, zh_kind="导入任务")


class Importer:
    """Starts, runs, reports and resumes import jobs; exports demands."""

    def __init__(
        self,
        commands: DemandCommands,
        reference: Callable[[], Awaitable[Reference]],
        store: DocumentStore,
    ) -> None:
        self.commands = commands
        #: the current reference data (operators may change the taxonomy during a job)
        self.reference = reference
        self.jobs = ImportJobs(store)
        #: a live job whose heart has not beaten for this long is reported interrupted
        self.stale_after = timedelta(seconds=6 * HEARTBEAT_SECONDS)
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._turns: dict[str, asyncio.Lock] = {}
        self._stopping = False

    # -- the API's verbs -------------------------------------------------------------------

    async def start(self, actor: Actor, sheet: Sheet, filename: str | None) -> Job:
        scope = scope_of(actor)
        job = Job(
            id=new_id("imp_"),
            scope=scope,
            actor=actor,
            filename=filename,
            format=sheet.format,
            language=sheet.language,
            headers=dict(sheet.headers),
            ignored=list(sheet.ignored),
            total=len(sheet.rows),
        )
        await self.jobs.add(job, sheet.rows)
        self._spawn(job.id)
        return job

    async def job(self, actor: Actor, job_id: str) -> Job:
        """The job as it stands, an interrupted one reported failed (and resumable)."""
        job = await self.jobs.get(job_id)
        if job is None or job.scope != scope_of(actor):
            raise _job_not_found(job_id)
        if job.id not in self._tasks and job.interrupted(utcnow(), self.stale_after):
            job.status = "failed"
            job.error_code = "INTERRUPTED"
            job.error = Message(
                "导入任务已中断（服务重启），可从中断处继续",
                "the import was interrupted (the service restarted); resume it",
            )
        return job

    async def failures(self, job: Job, offset: int, limit: int) -> ErrorsPage:
        items = await self.jobs.failures(job, offset, limit)
        return ErrorsPage(total=job.counts[Outcome.FAILED.value], offset=offset, items=items)

    async def resume(self, actor: Actor, job_id: str) -> Job:
        job = await self.job(actor, job_id)
        if job.status != "failed":
            raise conflict(
                "NOT_RESUMABLE",
                Message(f"该导入任务状态为 {job.status}，无需继续", f"the import is {job.status}"),
            )
        if not await self.jobs.take_over(job):
            raise conflict(
                "ALREADY_RESUMED", Message("该导入任务已被继续", "the import was resumed already")
            )
        self._spawn(job.id)
        taken = await self.jobs.get(job_id)
        assert taken is not None
        return taken

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Stop this process's jobs after the row each is writing; they are left resumable,
        as after a crash (cancelled if a row takes longer than ``grace_seconds``)."""
        tasks = list(self._tasks.values())
        if not tasks:
            return
        self._stopping = True
        try:
            _, late = await asyncio.wait(tasks, timeout=grace_seconds)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        finally:
            self._stopping = False

    async def idle(self) -> None:
        """Wait until this process runs no job (tests)."""
        while self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    # -- running ---------------------------------------------------------------------------

    def _spawn(self, job_id: str) -> None:
        self._tasks[job_id] = asyncio.create_task(self._run(job_id), name=f"import {job_id}")

    async def _run(self, job_id: str) -> None:
        try:
            async with self._heartbeat(job_id):
                job = await self.jobs.get(job_id)
                assert job is not None
                async with self._turns.setdefault(job.scope, asyncio.Lock()):
                    await self._process(job)
        except _Stopped:
            log.info("import %s stopped; it can be resumed", job_id)
        except Exception as exc:
            log.exception("import %s failed", job_id)
            await self._failed(job_id, exc)
        finally:
            self._tasks.pop(job_id, None)

    @contextlib.asynccontextmanager
    async def _heartbeat(self, job_id: str) -> AsyncIterator[None]:
        async def beat() -> None:
            while True:
                await asyncio.sleep(HEARTBEAT_SECONDS)
                await self.jobs.beat(job_id)

        task = asyncio.create_task(beat())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _process(self, job: Job) -> None:
        """One scope's jobs run one at a time, so two imports of one file never race."""
        job.status = "running"
        job.started_at = job.started_at or utcnow()
        job.error, job.error_code = None, None
        await self.jobs.save_progress(job)
        rows = RowImporter(self.commands, await self.reference(), job.actor, job.sheet())
        for index in range(job.processed // BATCH, job.batches):
            rows.reference = await self.reference()
            batch = await self.jobs.rows_of(job.id, index)
            await rows.prefetch(batch)
            results = []
            for row in batch:
                if self._stopping:
                    raise _Stopped()
                results.append(await rows.apply(row))
            await self._record(job, index, results)
        job.status = "done"
        job.finished_at = utcnow()
        await self.jobs.save_progress(job)
        await self.jobs.drop_rows(job)

    async def _record(self, job: Job, index: int, results: list[RowResult]) -> None:
        failed = [r for r in results if r.outcome is Outcome.FAILED]
        if failed:
            await self.jobs.record_failures(job.id, index, failed)
        for r in results:
            job.counts[r.outcome.value] += 1
        del job.error_rows[index:]
        job.error_rows.append(len(failed))
        job.processed = min((index + 1) * BATCH, job.total)
        job.heartbeat_at = utcnow()
        await self.jobs.save_progress(job)

    async def _failed(self, job_id: str, exc: Exception) -> None:
        with contextlib.suppress(Exception):
            job = await self.jobs.get(job_id)
            if job is None:
                return
            job.status = "failed"
            job.finished_at = utcnow()
            job.error_code = "IMPORT_FAILED"
            job.error = Message(
                f"导入任务出错，可从中断处继续（{type(exc).__name__}）",
                f"the import failed ({type(exc).__name__}); resume it to go on",
            )
            await self.jobs.save_progress(job)

    # -- export ----------------------------------------------------------------------------

    async def export(self, actor: Actor, query: DemandQuery, fmt: str, lang: str) -> bytes:
        """Every demand the actor may see that matches, in the import format."""
        demands = await self._matching(actor, query)
        scope = _export_scope(actor)
        rows = [demand_cells(d, export_key(d, scope), lang) for d in demands]
        return await asyncio.to_thread(write, fmt, rows, lang)

    async def _matching(self, actor: Actor, query: DemandQuery) -> list[Demand]:
        out: list[Demand] = []
        after = query.after
        while True:
            page = await self.commands.page(actor, replace(query, after=after, limit=200))
            out += page
            if len(out) > MAX_ROWS:
                raise BoyinError(
                    code="TOO_MANY_ROWS",
                    message=Message(
                        f"超过 {MAX_ROWS} 条需求，请缩小筛选范围",
                        f"more than {MAX_ROWS}; narrow it",
                    ),
                    status=422,
                )
            if len(page) < 200:
                return out
            after = page[-1].id


def _export_scope(actor: Actor) -> str | None:
    try:
        return scope_of(actor)
    except BoyinError:
        return None  # people who do not import get demand ids as keys
