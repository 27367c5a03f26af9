"""An independent check that a schedule is conflict-free.

It re-derives everything from the raw instance (not from the compiled ``Problem`` the solvers
use), so a bug in compilation or in a solver cannot hide itself:

* every placement names a known request (once) and a slot of the edition, within its dates;
* both participants are present (arrival, departure), not blocked, not in a session;
* nobody is in more meetings at once than they have representatives (by time, not by slot);
* on site: a table that exists, is set up in that slot, is used once, is the host's fixed
  booth when the host has one and nobody else's booth; no online-only participant;
* online: no table, and inside every participant's local hours in their own time zone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from boyin_scheduling.solver.model import Instance, Mode, Participant, Request, Schedule, Slot


@dataclass(frozen=True)
class Violation:
    code: str
    detail: str
    request_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValidationReport:
    meetings: int
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        if self.ok:
            return f"OK: {self.meetings} meetings, no conflict"
        codes: dict[str, int] = defaultdict(int)
        for v in self.violations:
            codes[v.code] += 1
        return f"{len(self.violations)} violations: " + ", ".join(
            f"{c} ×{n}" for c, n in sorted(codes.items())
        )


def _available(p: Participant, slot: Slot, sessions: dict[str, tuple[datetime, datetime]]) -> str:
    """Why ``p`` cannot meet in ``slot`` ("" if they can)."""
    if p.arrival is not None and slot.start < p.arrival:
        return "not_arrived"
    if p.departure is not None and slot.end > p.departure:
        return "departed"
    for span in p.blocked:
        if span.start < slot.end and slot.start < span.end:
            return "blocked"
    for sid in p.sessions:
        start, end = sessions[sid]
        if start < slot.end and slot.start < end:
            return "in_session"
    return ""


def _local_hours(p: Participant, slot: Slot, instance: Instance) -> bool:
    tz = ZoneInfo(p.timezone)
    start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
    lo, hi = instance.edition.local_hours
    return start.date() == end.date() and lo <= start.time() and end.time() <= hi


def validate_schedule(instance: Instance, schedule: Schedule) -> ValidationReport:
    edition = instance.edition
    people = {p.id: p for p in instance.participants}
    requests = {r.id: r for r in instance.requests}
    slots = {s.id: s for s in edition.slots}
    tables = {t.number: t for t in edition.tables}
    all_numbers = frozenset(tables)
    booths: dict[str, set[int]] = defaultdict(set)
    for t in edition.tables:
        if t.booth_of is not None:
            booths[t.booth_of].add(t.number)
    sessions = {s.id: (s.start, s.end) for s in edition.sessions}
    out: list[Violation] = []
    seen: set[str] = set()
    spans: dict[str, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    table_use: dict[tuple[str, int], str] = {}

    def bad(code: str, detail: str, *rids: str) -> None:
        out.append(Violation(code, detail, rids))

    for pl in schedule.placements:
        rid = pl.request_id
        req: Request | None = requests.get(rid)
        slot = slots.get(pl.slot_id)
        if req is None:
            bad("unknown_request", f"no request {rid}", rid)
            continue
        if rid in seen:
            bad("placed_twice", f"{rid} is placed more than once", rid)
            continue
        seen.add(rid)
        if slot is None:
            bad("unknown_slot", f"{rid}: no slot {pl.slot_id}", rid)
            continue
        if not edition.first_day <= slot.day <= edition.last_day:
            bad("outside_edition", f"{rid}: slot {slot.id} is outside the edition's dates", rid)
        pair = [people.get(req.a), people.get(req.b)]
        if pair[0] is None or pair[1] is None:
            bad("unknown_participant", f"{rid}: unknown participant", rid)
            continue
        for p in pair:
            assert p is not None
            why = _available(p, slot, sessions)
            if why:
                bad(why, f"{rid}: {p.id} cannot meet in {slot.id} ({why})", rid)
            spans[p.id].append((slot.start, slot.end, rid))
        if req.mode is Mode.ONLINE:
            if pl.table is not None:
                bad("table_for_online", f"{rid} is online but has table {pl.table}", rid)
            for p in pair:
                assert p is not None
                if not _local_hours(p, slot, instance):
                    bad(
                        "outside_local_hours",
                        f"{rid}: {slot.id} is outside {p.id}'s local hours ({p.timezone})",
                        rid,
                    )
            continue
        for p in pair:
            assert p is not None
            if p.online_only:
                bad("online_only_on_site", f"{rid}: {p.id} takes part online only", rid)
        if pl.table is None:
            bad("no_table", f"{rid} is on site without a table", rid)
            continue
        table = tables.get(pl.table)
        if table is None:
            bad("unknown_table", f"{rid}: table {pl.table} does not exist", rid)
            continue
        if pl.table not in (slot.tables if slot.tables is not None else all_numbers):
            bad("table_not_set_up", f"{rid}: table {pl.table} is not set up in {slot.id}", rid)
        host = req.a if req.a in booths else req.b if req.b in booths else None
        if host is not None and pl.table not in booths[host]:
            bad("booth_ignored", f"{rid}: {host} has a booth but meets at {pl.table}", rid)
        if table.booth_of is not None and table.booth_of != host:
            bad(
                "booth_taken",
                f"{rid}: table {pl.table} is {table.booth_of}'s booth",
                rid,
            )
        other = table_use.get((slot.id, pl.table))
        if other is not None:
            bad(
                "table_double_booked",
                f"table {pl.table} in {slot.id}: {other} and {rid}",
                other,
                rid,
            )
        table_use[(slot.id, pl.table)] = rid

    # double booking, by time: the most meetings anyone has at once
    for pid, items in spans.items():
        limit = people[pid].representatives
        events = sorted(
            [(start, 1, rid) for start, _, rid in items]
            + [(end, -1, rid) for _, end, rid in items],
            key=lambda e: (e[0], e[1]),
        )
        active: list[str] = []
        for _, step, rid in events:
            if step > 0:
                active.append(rid)
                if len(active) > limit:
                    bad("double_booked", f"{pid} is in {len(active)} meetings at once", *active)
            else:
                active.remove(rid)
    return ValidationReport(meetings=len(seen), violations=tuple(out))
