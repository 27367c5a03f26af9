"""Importing one spreadsheet row as a demand, through the demands' use cases.

Each row is validated on its own and written once (a create, or one edit that may also
submit), so a row is imported whole or not at all. A row's key is bound to its demand in
``demand_refs`` (an exported demand's id is recognised too, so it comes back to itself).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from boyin_registry.attachments.domain import Attachment
from boyin_registry.demands.content import ClaimInput, demand_content
from boyin_registry.demands.domain import EDITABLE, Demand, DemandContent, owner_kind
from boyin_registry.demands.eligibility import Claim
from boyin_registry.demands.service import DemandCommands
from boyin_registry.imports.cells import RowValues, column_of, read_row
from boyin_registry.imports.columns import LABELS, choice
from boyin_registry.imports.domain import CellError, Outcome, RowResult, same_content, scope_of
from boyin_registry.imports.spreadsheets import Row, Sheet
from boyin_registry.reference.domain import Reference
from boyin_shared.api.registry import Channel, Status
from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, FieldError, Message, conflict, not_found
from boyin_shared.identity import Actor, Role

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
        bound = await self.commands.demands.bound_ids(list(refs))
        wanted = [*bound.values(), *(k for r, k in refs.items() if r not in bound)]
        found = await self.commands.demands.get_many([i for i in wanted if i.startswith("dem_")])
        self._known = {}
        for ref, key in refs.items():
            if ref not in bound:
                self._known[ref] = _Existing(found[key], bound=False) if key in found else None
            elif bound[ref] in found:
                self._known[ref] = _Existing(found[bound[ref]], bound=True)
            # else: bound to a demand that is gone; the row looks again and reports it
        owners = {(owner_kind(c), o) for c, o in map(_owner_of, rows) if c and o}
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
        kind = owner_kind(channel)
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
        attachments: Sequence[Attachment],
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
