"""Deciding what importing one spreadsheet row comes to, from what was looked up for it
(no reads or writes here): its outcome and problems, and the writes that make it so.

Each row is validated on its own and becomes at most one demand write (a create, or one
edit that may also submit) and one binding of its key, so a row is imported whole or not
at all. A row's key is bound to its demand in ``demand_refs`` (an exported demand's id is
recognised too, so it comes back to itself). A new demand's id is chosen before anything
is written and its key bound to that id first: an import that stopped in between leaves
the key bound to an id that has no demand yet, and the next import of the row creates the
demand under that very id, so a row's demand is never created twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from boyin_registry.attachments.domain import Attachment
from boyin_registry.demands.content import ClaimInput, demand_content
from boyin_registry.demands.domain import (
    EDITABLE,
    STATUS_ZH,
    Demand,
    DemandContent,
    owner_kind,
)
from boyin_registry.demands.eligibility import Claim
from boyin_registry.demands.service import DemandCommands
from boyin_registry.imports.cells import RowValues, column_of, read_row
from boyin_registry.imports.columns import LABELS, choice
from boyin_registry.imports.domain import CellError, Outcome, RowResult, same_content, scope_of
from boyin_registry.imports.spreadsheets import Row, Sheet
from boyin_registry.reference.domain import Reference
from boyin_shared.api.registry import Channel, Status
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import BoyinError, FieldError, Message
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from boyin_shared.repository import Loaded


def _problem(field_path: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field_path, code, Message(zh, en))


@dataclass(frozen=True)
class Owner:
    """A row's owner as looked up: the district of an organisation (None for a talent)."""

    district_code: str | None


@dataclass(frozen=True)
class Found:
    """The demand a row's key names, as read."""

    loaded: Loaded[Demand]
    #: whether the key is bound to it already (else the key is its id)
    bound: bool


@dataclass(frozen=True)
class Vacant:
    """No demand for a row's key: the key is free, or bound to the id of a demand an
    interrupted import was about to create (``bound_to``)."""

    bound_to: str | None = None


@dataclass
class Lookups:
    """What was read for some rows: per reference ``{scope}:{key}`` its demand, per owner
    (kind, id) whether it exists and its district."""

    demands: dict[str, Found | Vacant] = field(default_factory=dict)
    owners: dict[tuple[str, str], Owner | None] = field(default_factory=dict)


@dataclass(eq=False)
class Plan:
    """What importing one row comes to, decided before anything is written."""

    row: Row
    values: RowValues
    outcome: Outcome
    problems: list[FieldError] = field(default_factory=list)
    ref: str | None = None
    #: the demand id the row's key is to be bound to (None: nothing to bind)
    bind: str | None = None
    #: a new demand and its first events
    create: tuple[Demand, list[Event]] | None = None
    #: a demand as read, as changed, and the change's events
    save: tuple[Loaded[Demand], Demand, list[Event]] | None = None

    @property
    def writes(self) -> bool:
        return bool(self.bind or self.create or self.save)

    @property
    def touches(self) -> set[str]:
        """The reference and the demand id it writes (none when it writes nothing)."""
        if not self.writes:
            return set()
        out = {self.ref or "", self.bind or ""}
        if self.create:
            out.add(self.create[0].id)
        if self.save:
            out.add(self.save[1].id)
        return out - {""}

    def failed(self, error: BoyinError) -> None:
        """The row failed with ``error``: it writes no demand (a binding made stays)."""
        prefix = f"rows.{self.row.number}."
        self.outcome = Outcome.FAILED
        self.problems = error.fields or [FieldError(prefix.rstrip("."), error.code, error.message)]
        self.create = self.save = None


def owner_of(row: Row) -> tuple[Channel | None, str | None]:
    return choice(Channel, row.cells.get("channel", "")), row.cells.get("owner_id")


class RowDecider:
    """Decides, for one actor's file, what importing each row comes to."""

    def __init__(
        self, commands: DemandCommands, reference: Reference, actor: Actor, sheet: Sheet
    ) -> None:
        self.commands = commands
        #: the current reference data (the caller refreshes it between batches)
        self.reference = reference
        self.actor = actor
        self.scope = scope_of(actor)
        self.sheet = sheet
        self.today = utcnow().date()

    def ref_of(self, key: str) -> str:
        return f"{self.scope}:{key}"

    def decide(self, row: Row, found: Lookups) -> Plan:
        """The row's plan; ``found`` holds what was looked up for it."""
        prefix = f"rows.{row.number}."
        values = read_row(row, prefix)
        plan = Plan(row, values, Outcome.FAILED)
        try:
            self._decide(plan, found, prefix)
        except BoyinError as exc:
            plan.failed(exc)
        return plan

    def failed(self, row: Row, error: BoyinError) -> Plan:
        """The row failed with ``error`` (whatever it says)."""
        plan = Plan(row, read_row(row, f"rows.{row.number}."), Outcome.FAILED)
        plan.failed(error)
        return plan

    def result(self, plan: Plan) -> RowResult:
        """The row's result as the job reports it."""
        prefix = f"rows.{plan.row.number}."
        slots = [c.slot for c in plan.values.claims]
        errors = tuple(self._located(p, prefix, slots) for p in plan.problems)
        return RowResult(plan.row.number, plan.values.key, plan.outcome, errors)

    def _located(self, problem: FieldError, prefix: str, slots: Sequence[int]) -> CellError:
        key = column_of(problem.field.removeprefix(prefix), slots)
        column = self.sheet.header(key) if key else None
        return CellError(column, problem.field, problem.code, problem.message)

    def _decide(self, plan: Plan, found: Lookups, prefix: str) -> None:
        v = plan.values
        problems = list(v.problems)
        if v.key is None or v.channel is None or v.owner_id is None or v.details is None:
            plan.problems = problems
            return
        owner = found.owners[(owner_kind(v.channel), v.owner_id)]
        problems += self._owner_problems(v.channel, v.owner_id, owner, prefix)
        ref = self.ref_of(v.key)
        existing = found.demands[ref]
        demand = existing.loaded.aggregate if isinstance(existing, Found) else None
        if demand is not None:
            problems += self._fits(demand, v, prefix)
        content, invalid = self._content(v, demand, prefix)
        problems += invalid
        if problems or content is None:
            plan.problems = problems
            return
        plan.ref = ref
        if isinstance(existing, Vacant):
            assert owner is not None
            self._creating(plan, existing, owner, content)
            return
        if not existing.bound:
            plan.bind = existing.loaded.aggregate.id
        try:
            self._updating(plan, existing.loaded, content, prefix)
        except BoyinError as exc:  # the binding stays: the key does name this demand
            plan.failed(exc)

    def _creating(self, plan: Plan, vacant: Vacant, owner: Owner, content: DemandContent) -> None:
        v = plan.values
        assert v.channel is not None and v.owner_id is not None
        demand_id = vacant.bound_to or new_id("dem_")
        plan.create = self.commands.new_demand(
            self.actor,
            v.channel,
            v.owner_id,
            owner.district_code,
            content,
            submit=v.submit,
            external_ref=plan.ref,
            demand_id=demand_id,
        )
        plan.bind = None if vacant.bound_to else demand_id
        plan.outcome = Outcome.CREATED

    def _updating(
        self, plan: Plan, loaded: Loaded[Demand], content: DemandContent, prefix: str
    ) -> None:
        v = plan.values
        demand = loaded.aggregate
        submit = v.submit and demand.status in (Status.DRAFT, Status.RETURNED)
        if same_content(demand.content, content):
            plan.outcome = Outcome.UNCHANGED
            if not submit:
                return
            after, events = self.commands.stepped(
                demand, lambda d: d.submit(self.actor, utcnow()), self.actor
            )
        elif demand.status not in EDITABLE:
            plan.outcome = Outcome.FAILED
            plan.problems = [self._not_updatable(demand.status, prefix)]
            return
        else:
            after, events = self.commands.stepped(
                demand, lambda d: self._edited(d, content, v.submit)
            )
        plan.outcome = Outcome.UPDATED
        plan.save = (loaded, after, events)

    # -- checking ---------------------------------------------------------------------

    def _owner_problems(
        self, channel: Channel, owner_id: str, owner: Owner | None, prefix: str
    ) -> list[FieldError]:
        kind = owner_kind(channel)
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
                    f"该编号的需求渠道为“{LABELS[Channel][demand.channel.value]}”，不能更改",
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
            f"该需求当前为“{STATUS_ZH[status]}”状态，不能通过导入修改",
            f"the demand is {status.value} and cannot be changed by an import",
        )
