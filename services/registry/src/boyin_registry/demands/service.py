"""Use cases of demands: create, edit, move through review, list, follow, expire."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date

from boyin_registry.demands.domain import WITHDRAWABLE, Demand, DemandContent, owner_kind
from boyin_registry.demands.events import demand_events
from boyin_registry.demands.repository import DemandQuery, Demands, ScreeningResults
from boyin_registry.demands.screening import ScreeningResult
from boyin_registry.profiles.repository import Organisations, Talents
from boyin_shared.api.registry import Channel, ClaimReview, Criterion, Status
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import BoyinError, FieldError, Message, forbidden, invalid, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role, require

SYSTEM = Actor(account_id="system:expiry", role=Role.SERVICE)


def _absent(demand_id: str) -> BoyinError:
    # Not visible is reported as absent, so existence is not leaked.
    return not_found("demand", demand_id, zh_kind="需求")


@dataclass
class DemandCommands:
    demands: Demands
    organisations: Organisations
    talents: Talents

    async def _owner_district(self, channel: Channel, owner_id: str) -> str | None:
        """The reviewing district of a new demand; checks the owner exists."""
        if owner_kind(channel) == "organisation":
            loaded = await self.organisations.get(owner_id)
            if loaded is None:
                raise not_found("organisation", owner_id, zh_kind="单位")
            return loaded.aggregate.details.district_code
        if await self.talents.get(owner_id) is None:
            raise not_found("talent", owner_id, zh_kind="人才")
        return None

    def _may_create(
        self, actor: Actor, channel: Channel, owner_id: str, district: str | None
    ) -> None:
        if actor.is_staff:
            return
        if actor.party_id == owner_id and actor.role.value.lower() == owner_kind(channel):
            return
        if (
            actor.role is Role.DISTRICT_OFFICER
            and district is not None
            and district == actor.district_code
        ):
            return  # district officers submit on behalf of organisations in their district
        raise forbidden(
            Message("无权为该主体创建需求", "you may not create demands for this party")
        )

    def new_demand(
        self,
        actor: Actor,
        channel: Channel,
        owner_id: str,
        district: str | None,
        content: DemandContent,
        *,
        submit: bool = False,
        external_ref: str | None = None,
        demand_id: str | None = None,
    ) -> tuple[Demand, list[Event]]:
        """A new demand, not stored yet, and its first events; ``district`` is its owner's
        (what :meth:`create` reads), ``demand_id`` a fresh one unless given."""
        self._may_create(actor, channel, owner_id, district)
        now = utcnow()
        demand = Demand(
            id=demand_id or new_id("dem_"),
            channel=channel,
            owner_id=owner_id,
            district_code=district,
            content=content,
            status=Status.DRAFT,
            history=(),
            revision=1,
            created_at=now,
            updated_at=now,
            external_ref=external_ref,
        )
        if submit:
            demand = demand.submit(actor, now)
        return demand, demand_events(None, demand)

    async def create(
        self,
        actor: Actor,
        channel: Channel,
        owner_id: str,
        content: DemandContent,
        *,
        submit: bool = False,
        external_ref: str | None = None,
    ) -> Demand:
        district = await self._owner_district(channel, owner_id)
        demand, events = self.new_demand(
            actor, channel, owner_id, district, content, submit=submit, external_ref=external_ref
        )
        await self.demands.add(demand, events)
        return demand

    async def get(self, actor: Actor, demand_id: str) -> Demand:
        loaded = await self.demands.get(demand_id)
        if loaded is None or not loaded.aggregate.may_view(actor):
            raise _absent(demand_id)
        return loaded.aggregate

    async def change(
        self, demand_id: str, step: Callable[[Demand], Demand], actor: Actor = SYSTEM
    ) -> Demand:
        """Apply a domain step with its events; retried on a concurrent write.

        A demand the caller may not see is reported as absent, as on reads."""

        async def mutate(before: Demand) -> tuple[Demand, Sequence[Event]]:
            return self.stepped(before, step, actor)

        changed = await self.demands.change(demand_id, mutate, attempts=5)
        if changed is None:
            raise _absent(demand_id)
        return changed

    @staticmethod
    def stepped(
        before: Demand, step: Callable[[Demand], Demand], actor: Actor = SYSTEM
    ) -> tuple[Demand, list[Event]]:
        """A domain step on a demand as read, with its events (what :meth:`change` writes);
        a demand the caller may not see is reported as absent."""
        if not before.may_view(actor):
            raise _absent(before.id)
        after = step(before)
        return after, demand_events(before, after)

    async def edit(self, actor: Actor, demand_id: str, content: DemandContent) -> Demand:
        return await self.change(demand_id, lambda d: d.edit(content, actor, utcnow()), actor)

    async def submit(self, actor: Actor, demand_id: str) -> Demand:
        return await self.change(demand_id, lambda d: d.submit(actor, utcnow()), actor)

    async def start_review(self, actor: Actor, demand_id: str) -> Demand:
        return await self.change(demand_id, lambda d: d.start_review(actor, utcnow()), actor)

    async def review_claim(
        self,
        actor: Actor,
        demand_id: str,
        criterion: Criterion,
        outcome: ClaimReview,
        note: str | None,
    ) -> Demand:
        return await self.change(
            demand_id, lambda d: d.review_claim(criterion, outcome, actor, utcnow(), note), actor
        )

    async def publish(self, actor: Actor, demand_id: str) -> Demand:
        return await self.change(demand_id, lambda d: d.publish(actor, utcnow()), actor)

    async def send_back(self, actor: Actor, demand_id: str, comments: str) -> Demand:
        return await self.change(demand_id, lambda d: d.send_back(actor, utcnow(), comments), actor)

    async def reject(self, actor: Actor, demand_id: str, reason: str) -> Demand:
        return await self.change(demand_id, lambda d: d.reject(actor, utcnow(), reason), actor)

    async def withdraw(self, actor: Actor, demand_id: str, reason: str | None) -> Demand:
        return await self.change(demand_id, lambda d: d.withdraw(actor, utcnow(), reason), actor)

    async def reactivate(
        self, actor: Actor, demand_id: str, edition: str, known_editions: Collection[str]
    ) -> Demand:
        if edition not in known_editions:
            raise invalid(
                [
                    FieldError(
                        "edition",
                        "UNKNOWN_EDITION",
                        Message(f"未知的洽谈会届次：{edition}", f"unknown fair edition: {edition}"),
                    )
                ]
            )
        return await self.change(demand_id, lambda d: d.reactivate(edition, actor, utcnow()), actor)

    async def page(self, actor: Actor, query: DemandQuery) -> list[Demand]:
        return await self.demands.page(query, actor)

    async def changes(
        self, actor: Actor, since: str | None, limit: int
    ) -> tuple[list[Demand], str | None]:
        """What changed after the cursor ``since`` that ``actor`` may see, oldest change
        first, and the cursor to pass next time (``since`` again when nothing changed)."""
        items = await self.demands.changed_since(since, actor, limit)
        cursor = f"{items[-1].updated_at.isoformat()}|{items[-1].id}" if items else since
        return items, cursor

    async def expire_due(self, today: date, actor: Actor = SYSTEM) -> int:
        """Expire published demands whose deadline has passed; returns how many."""
        require(actor, Role.OPERATOR, Role.ADMIN, Role.SERVICE)
        count = 0
        while due := await self.demands.due(today):
            for demand in due:
                await self.change(
                    demand.id, lambda d: d.expire(SYSTEM, utcnow()) if d.is_due(today) else d
                )
                count += 1
            if len(due) < 200:
                break
        return count

    async def withdraw_all_of(self, owner_id: str, reason: str) -> int:
        """Withdraw every open demand of a party (e.g. when a person's data is erased)."""
        count = 0
        after: str | None = None
        while page := await self.demands.page(
            DemandQuery(owner_id=owner_id, after=after, limit=200), SYSTEM
        ):
            for demand in page:
                if demand.status in WITHDRAWABLE:
                    await self.change(demand.id, lambda d: d.withdraw(SYSTEM, utcnow(), reason))
                    count += 1
            after = page[-1].id
        return count


@dataclass
class DemandScreenings:
    """The mentors' aggregated screening beside each demand: kept from the mentors
    service's events, shown to those who may change or review the demand (its owner,
    district officers of its district, staff), never to the public."""

    results: ScreeningResults
    commands: DemandCommands

    async def record(self, result: ScreeningResult) -> bool:
        return await self.results.put(result)

    async def of(self, actor: Actor, demand_id: str) -> ScreeningResult:
        demand = await self.commands.get(actor, demand_id)
        found = await self.results.get(demand_id) if demand.may_edit(actor) else None
        if found is None:
            raise not_found("screening of demand", demand_id, zh_kind="需求的导师评审结果")
        return found
