"""The ``schedules`` collection: every query and write of an edition's timetables, and
the explicit mapping between a schedule and its stored document."""

from __future__ import annotations

from boyin_scheduling import stored
from boyin_scheduling.schedules.domain import Placed, Schedule, SolveProgress, Timetable
from boyin_shared.errors import Message
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import Document, DocumentStore


def _timetable(t: Timetable | None) -> stored.Doc | None:
    if t is None:
        return None
    return {
        # short keys keep 5,000 placements a small document; objects, not nested lists
        # (FerretDB 1.x stores no arrays inside arrays)
        "placements": [{"m": p.meeting_id, "s": p.slot_id, "t": p.table} for p in t.placements],
        "unscheduled": list(t.unscheduled),
        "reasons": {k: {"zh": m.zh, "en": m.en} for k, m in t.reasons.items()},
        "objective": t.objective,
        "bound": t.bound,
        "greedy_objective": t.greedy_objective,
        "solver": t.solver,
        "seconds": t.seconds,
        "computed_at": stored.dt(t.computed_at),
        "violations": t.violations,
        "fingerprint": t.fingerprint,
    }


def _timetable_from(d: stored.Doc | None) -> Timetable | None:
    if d is None:
        return None
    return Timetable(
        placements=tuple(Placed(p["m"], p["s"], p["t"]) for p in d["placements"]),
        unscheduled=tuple(d["unscheduled"]),
        reasons={k: Message(v["zh"], v["en"]) for k, v in d["reasons"].items()},
        objective=d["objective"],
        bound=d.get("bound"),
        greedy_objective=d.get("greedy_objective"),
        solver=d["solver"],
        seconds=d["seconds"],
        computed_at=stored.dt_from(d.get("computed_at")),
        violations=d["violations"],
        fingerprint=d.get("fingerprint", ""),
    )


def _progress(p: SolveProgress | None) -> stored.Doc | None:
    if p is None:
        return None
    return {
        "phase": p.phase,
        "incumbent": p.incumbent,
        "bound": p.bound,
        "updated_at": stored.dt(p.updated_at),
    }


def _progress_from(d: stored.Doc | None) -> SolveProgress | None:
    if d is None:
        return None
    return SolveProgress(
        d["phase"], d.get("incumbent"), d.get("bound"), stored.req_dt(d["updated_at"])
    )


def schedule_state(s: Schedule) -> stored.Doc:
    return {
        "draft": _timetable(s.draft),
        "published": _timetable(s.published),
        "version": s.version,
        "published_at": stored.dt(s.published_at),
        "job": s.job,
        "job_error": s.job_error,
        "job_started_at": stored.dt(s.job_started_at),
        "progress": _progress(s.progress),
        "pending": list(s.pending),
        "revision": s.revision,
    }


def schedule_from(d: Document) -> Schedule:
    return Schedule(
        id=d["_id"],
        draft=_timetable_from(d.get("draft")),
        published=_timetable_from(d.get("published")),
        version=d["version"],
        published_at=stored.dt_from(d.get("published_at")),
        job=d["job"],
        job_error=d.get("job_error"),
        job_started_at=stored.dt_from(d.get("job_started_at")),
        progress=_progress_from(d.get("progress")),
        pending=tuple(d.get("pending") or ()),
        revision=d["revision"],
    )


class Schedules(AggregateRepository[Schedule]):
    """One schedule per edition, stored under the edition's id."""

    collection_name = "schedules"

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=schedule_state, from_doc=schedule_from)
