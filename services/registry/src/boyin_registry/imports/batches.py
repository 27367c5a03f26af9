"""Importing a batch of rows with a few reads and writes for all of them, not per row.

What the rows of several batches need is read together (the demands their keys name, and
their owners); then each batch's rows are decided one by one and their writes sent
together: every key to bind in one insert, every new demand in one insert (each with its
events in its own document's outbox), every changed demand in one update guarded by the
revision it was read at. A row whose key or demand an earlier row of the same reads has
written is decided again on fresh reads, after the writes before it; so is a row whose
write lost a race with another writer.
"""

from __future__ import annotations

from collections.abc import Sequence

from boyin_registry.demands.domain import owner_kind
from boyin_registry.demands.service import DemandCommands
from boyin_registry.imports.domain import RowResult
from boyin_registry.imports.rows import Found, Lookups, Owner, Plan, RowDecider, Vacant, owner_of
from boyin_registry.imports.spreadsheets import Row, Sheet
from boyin_registry.reference.domain import Reference
from boyin_shared import faults
from boyin_shared.errors import BoyinError, Message, conflict
from boyin_shared.identity import Actor
from boyin_shared.retry import AGAIN, Again, optimistic

#: how often a row whose write keeps losing races is decided again (as an edit is retried)
ATTEMPTS = 5


def _concurrent_import() -> BoyinError:
    return conflict(
        "CONCURRENT_IMPORT",
        Message("该编号正被另一导入使用，请稍后重试", "another import bound this key; retry"),
    )


class RowImporter:
    """Imports the rows of one file for one actor, batch by batch."""

    def __init__(
        self, commands: DemandCommands, reference: Reference, actor: Actor, sheet: Sheet
    ) -> None:
        self.commands = commands
        self.decider = RowDecider(commands, reference, actor, sheet)
        #: what was read for the rows being imported
        self._found = Lookups()
        #: the numbers of the rows ``_found`` was read for
        self._rows: set[int] = set()
        #: the keys and demand ids written since: what ``_found`` says of them is stale
        self._written: set[str] = set()

    @property
    def reference(self) -> Reference:
        return self.decider.reference

    @reference.setter
    def reference(self, reference: Reference) -> None:
        self.decider.reference = reference

    async def look_up(self, rows: Sequence[Row]) -> None:
        """Read what ``rows`` (those of the next few batches) need, with one query each
        for their keys' bindings, their demands, and each kind of owner."""
        self._found = await self._read(rows)
        self._rows = {row.number for row in rows}
        self._written = set()

    async def run(self, rows: Sequence[Row]) -> list[RowResult]:
        """Import a batch of rows looked up before: each decided on its own, their writes
        sent together; the results in row order."""
        plans: list[Plan] = []
        pending: list[Plan] = []
        for row in rows:
            if self._stale(row):  # after the writes before it, on fresh reads
                plans += await self._write(pending)
                pending = []
                plan = await self._afresh(row)
                plans.append(plan)
            else:
                plan = self.decider.decide(row, self._found)
                pending.append(plan)
            self._written |= plan.touches
        plans += await self._write(pending)
        return [self.decider.result(p) for p in plans]

    # -- reading ------------------------------------------------------------------------

    def _stale(self, row: Row) -> bool:
        """Whether what was read for the row is missing (it was not among the rows looked
        up) or stale (its key or its demand was written since)."""
        if row.number not in self._rows:
            return True
        if not row.key:
            return False
        ref = self.decider.ref_of(row.key)
        if ref in self._written:
            return True
        found = self._found.demands[ref]
        return isinstance(found, Found) and found.loaded.aggregate.id in self._written

    async def _read(self, rows: Sequence[Row]) -> Lookups:
        demands = self.commands.demands
        refs = {self.decider.ref_of(r.key): r.key for r in rows if r.key}
        bound = await demands.bound_ids(list(refs))
        wanted = [*bound.values(), *(k for r, k in refs.items() if r not in bound)]
        loaded = await demands.loaded_many([i for i in wanted if i.startswith("dem_")])
        found = Lookups()
        for ref, key in refs.items():
            if ref in bound:
                demand = loaded.get(bound[ref])
                found.demands[ref] = Found(demand, True) if demand else Vacant(bound[ref])
            else:
                found.demands[ref] = Found(loaded[key], False) if key in loaded else Vacant()
        owners = {(owner_kind(c), o) for c, o in map(owner_of, rows) if c and o}
        organisations = await self.commands.organisations.get_many(
            [o for kind, o in owners if kind == "organisation"]
        )
        talents = await self.commands.talents.get_many(
            [o for kind, o in owners if kind != "organisation"]
        )
        for kind, owner_id in owners:
            if kind == "organisation":
                org = organisations.get(owner_id)
                found.owners[(kind, owner_id)] = Owner(org.details.district_code) if org else None
            else:
                found.owners[(kind, owner_id)] = Owner(None) if owner_id in talents else None
        return found

    # -- writing ------------------------------------------------------------------------

    async def _write(self, plans: Sequence[Plan]) -> list[Plan]:
        """Write the plans (no two write one key or demand); a plan whose write lost a
        race is decided again on fresh reads. Returns the plans as they ended."""
        lost = {id(p) for p in await self._written_together(plans)}
        return [await self._afresh(p.row) if id(p) in lost else p for p in plans]

    async def _written_together(self, plans: Sequence[Plan]) -> list[Plan]:
        """Bind the keys, create the demands, save the changed ones: three writes for all.
        Returns the plans that lost a race (to decide again)."""
        demands = self.commands.demands
        writing = [p for p in plans if p.writes]
        if not writing:
            return []
        bindings = {p.ref: p.bind for p in writing if p.ref and p.bind}
        bound = await demands.bind_refs(bindings)
        faults.hit("import_keys_bound")  # the keys are bound, their demands not yet written
        lost: list[Plan] = []
        for p in writing:
            if p.ref and p.bind and bound.get(p.ref) != p.bind:
                if p.create:  # another import bound the key first: its demand is the row's
                    lost.append(p)
                else:
                    p.failed(_concurrent_import())
        going = [p for p in writing if p not in lost]
        taken = await demands.add_many([p.create for p in going if p.create])
        stale = await demands.save_many([p.save for p in going if p.save])
        for p in going:
            if (p.create and p.create[0].id in taken) or (p.save and p.save[1].id in stale):
                lost.append(p)
        return lost

    async def _afresh(self, row: Row) -> Plan:
        """The row decided on fresh reads and written on its own, again while its write
        loses races (then it fails, as an edit that keeps losing does)."""

        async def attempt() -> Plan | Again:
            plan = self.decider.decide(row, await self._read([row]))
            lost = await self._written_together([plan])
            self._written |= plan.touches
            return AGAIN if lost else plan

        try:
            return await optimistic(attempt, attempts=ATTEMPTS)
        except BoyinError as exc:
            return self.decider.failed(row, exc)
