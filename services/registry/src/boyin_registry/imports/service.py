"""Use cases of imports: start, run, report and resume import jobs (of demands, talents or
organisations), and export each in the same format.

An import runs as a job in this process, its rows in batches; the progress is saved after
each. A job whose process died stops beating its heart; it is then reported as failed and
resumable, and resuming goes on from the last batch it finished.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import timedelta

from prometheus_client import Counter

from boyin_registry.demands.domain import Demand
from boyin_registry.demands.repository import DemandQuery
from boyin_registry.demands.service import DemandCommands
from boyin_registry.imports.batches import RowImporter
from boyin_registry.imports.columns import DEMANDS
from boyin_registry.imports.domain import (
    BATCH,
    HEARTBEAT_SECONDS,
    JOB_STATUS_ZH,
    LAYOUTS,
    LOOKED_UP_TOGETHER,
    ErrorsPage,
    Job,
    Outcome,
    RowResult,
    export_key,
    scope_of,
)
from boyin_registry.imports.export import demand_cells, write
from boyin_registry.imports.profile_export import profile_cells
from boyin_registry.imports.profile_import import ProfileRowImporter
from boyin_registry.imports.repository import ImportJobs
from boyin_registry.imports.spreadsheets import MAX_ROWS, Sheet
from boyin_registry.profiles.domain import Organisation, Talent
from boyin_registry.profiles.service import Profiles, Viewed
from boyin_registry.reference.domain import Reference
from boyin_shared.api.registry import ImportKind
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import BoyinError, Message, conflict, not_found
from boyin_shared.identity import Actor
from boyin_shared.propagation import TRACER
from boyin_shared.spreadsheets import Cell

log = logging.getLogger("boyin.registry.imports")
#: rows imported, by kind and outcome (``rate()`` of it: rows per second)
ROWS = Counter("boyin_import_rows_total", "Spreadsheet rows imported", ["kind", "outcome"])


class _Stopped(Exception):
    """The process is stopping: leave the job as a crash would, to be resumed."""


def _job_not_found(job_id: str) -> BoyinError:
    return not_found("import", job_id, zh_kind="导入任务")


class Importer:
    """Starts, runs, reports and resumes import jobs; exports demands."""

    def __init__(
        self,
        commands: DemandCommands,
        profiles: Profiles,
        reference: Callable[[], Awaitable[Reference]],
        jobs: ImportJobs,
    ) -> None:
        self.commands = commands
        self.profiles = profiles
        #: the current reference data (operators may change the taxonomy during a job)
        self.reference = reference
        self.jobs = jobs
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
            kind=sheet.layout.kind,
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
                Message(
                    f"该导入任务{JOB_STATUS_ZH.get(job.status, '状态未知')}，无需继续",
                    f"the import is {job.status}",
                ),
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
        """Stop this process's jobs after the batch each is writing; they are left
        resumable, as after a crash (cancelled if a batch takes longer than
        ``grace_seconds``)."""
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
                await self.jobs.drop_rows(job)  # the scope's next job need not wait for it
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
        rows = self._importer(job, await self.reference())
        for start in range(job.processed // BATCH, job.batches, LOOKED_UP_TOGETHER):
            indexes = range(start, min(start + LOOKED_UP_TOGETHER, job.batches))
            batches = await self.jobs.rows_of(job.id, indexes)
            await rows.look_up([row for batch in batches for row in batch])
            for index, batch in zip(indexes, batches, strict=True):
                if self._stopping:
                    raise _Stopped()
                rows.reference = await self.reference()
                with TRACER.start_as_current_span(
                    "import batch",
                    attributes={"boyin.import.kind": job.kind.value, "boyin.import.batch": index},
                ):
                    await self._record(job, index, await rows.run(batch))
        job.status = "done"
        job.finished_at = utcnow()
        await self.jobs.save_progress(job)

    def _importer(self, job: Job, reference: Reference) -> RowImporter | ProfileRowImporter:
        if job.kind is ImportKind.DEMANDS:
            return RowImporter(self.commands, reference, job.actor, job.sheet())
        return ProfileRowImporter(self.profiles, self.jobs, reference, job.actor, job.sheet())

    async def _record(self, job: Job, index: int, results: list[RowResult]) -> None:
        for r in results:
            ROWS.labels(job.kind.value, r.outcome.value).inc()
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
        return await asyncio.to_thread(write, DEMANDS, fmt, rows, lang)

    async def export_profiles(
        self, actor: Actor, kind: ImportKind, fmt: str, lang: str, district_code: str | None
    ) -> bytes:
        """Every talent or organisation the actor may see (organisations of
        ``district_code`` if given), in the import format; contacts where visible."""
        rows: list[dict[str, Cell]] = []
        after: str | None = None
        while True:
            page: Sequence[Viewed[Talent] | Viewed[Organisation]]
            # an export asks for the contacts: each one shown is a disclosure, audited
            if kind is ImportKind.TALENTS:
                page = await self.profiles.talents_page(
                    actor, after=after, limit=200, contacts=True
                )
            else:
                page = await self.profiles.organisations_page(
                    actor, district_code=district_code, after=after, limit=200, contacts=True
                )
            rows += [profile_cells(v.profile, contacts=v.contacts_visible) for v in page]
            if len(rows) > MAX_ROWS:
                raise _too_many()
            if len(page) < 200:
                break
            after = page[-1].profile.id
        return await asyncio.to_thread(write, LAYOUTS[kind], fmt, rows, lang)

    async def _matching(self, actor: Actor, query: DemandQuery) -> list[Demand]:
        out: list[Demand] = []
        after = query.after
        while True:
            page = await self.commands.page(actor, replace(query, after=after, limit=200))
            out += page
            if len(out) > MAX_ROWS:
                raise _too_many()
            if len(page) < 200:
                return out
            after = page[-1].id


def _too_many() -> BoyinError:
    return BoyinError(
        code="TOO_MANY_ROWS",
        message=Message(
            f"超过 {MAX_ROWS} 行，请缩小筛选范围", f"more than {MAX_ROWS} rows; narrow it"
        ),
        status=422,
    )


def _export_scope(actor: Actor) -> str | None:
    try:
        return scope_of(actor)
    except BoyinError:
        return None  # people who do not import get demand ids as keys
