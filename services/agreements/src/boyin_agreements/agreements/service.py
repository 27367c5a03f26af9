"""Use cases of agreements: start by hand, offer after a match or a meeting held (once,
however often the event comes), move through the stages, sign, amend, plan and reach
milestones, follow them up, list with visibility, compile the ceremony roster, and the
overdue job."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from boyin_agreements.agreements import offers
from boyin_agreements.agreements.domain import FAIR_TIMEZONE, Agreement
from boyin_agreements.agreements.milestones import MilestonePlan
from boyin_agreements.agreements.parties import Party
from boyin_agreements.agreements.repository import AgreementQuery, Agreements
from boyin_agreements.agreements.roster import SIGNED_STAGES, RosterRow, roster
from boyin_agreements.agreements.terms import Document
from boyin_agreements.names.service import Names
from boyin_shared.api.agreements import AgreementStage, TermsIn
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import BoyinError, Message, forbidden, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor
from boyin_shared.store import AlreadyExists

#: one step of the domain: the agreement as read → as changed, with its events
Step = Callable[[Agreement], tuple[Agreement, list[Event]]]


def _absent(agreement_id: str) -> BoyinError:
    # Not visible is reported as absent, so existence is not leaked.
    return not_found("agreement", agreement_id, zh_kind="协议")


def today() -> date:
    """The day at the fair (Chongqing)."""
    return utcnow().astimezone(FAIR_TIMEZONE).date()


@dataclass
class AgreementCommands:
    agreements: Agreements
    #: the registered parties' names (the ceremony roster shows them)
    names: Names

    # -- creation ------------------------------------------------------------------

    async def start(
        self,
        actor: Actor,
        parties: Sequence[Party],
        terms: TermsIn,
        taxonomy_codes: tuple[str, ...] = (),
    ) -> Agreement:
        """An agreement started by hand by an operator or one of its parties."""
        agreement, events = offers.start(
            actor, new_id("ag_"), parties, terms, utcnow(), taxonomy_codes=taxonomy_codes
        )
        await self.agreements.add(agreement, events)
        return agreement

    async def offer(self, offered: tuple[Agreement, list[Event]] | None) -> Agreement | None:
        """Keep an intention offered after a match or a meeting unless one with its id
        exists (a redelivered event, or the meeting a match became, creates nothing)."""
        if offered is None:
            return None
        agreement, events = offered
        try:
            await self.agreements.add(agreement, events)
        except AlreadyExists:
            return None
        return agreement

    # -- reading -------------------------------------------------------------------

    async def get(self, actor: Actor, agreement_id: str) -> Agreement:
        loaded = await self.agreements.get(agreement_id)
        if loaded is None or not loaded.aggregate.visible_to(actor):
            raise _absent(agreement_id)
        return loaded.aggregate

    async def page(self, actor: Actor, query: AgreementQuery) -> list[Agreement]:
        return await self.agreements.page(query, actor)

    # -- changes -------------------------------------------------------------------

    async def change(self, actor: Actor, agreement_id: str, step: Step) -> Agreement:
        """Apply a domain step and publish its events; retried on a concurrent write. An
        agreement the caller may not see is reported as absent, as on reads."""

        async def mutate(before: Agreement) -> tuple[Agreement, Sequence[Event]]:
            if not before.visible_to(actor):
                raise _absent(agreement_id)
            return step(before)

        changed = await self.agreements.change(agreement_id, mutate)
        if changed is None:
            raise _absent(agreement_id)
        return changed

    async def advance(
        self, actor: Actor, agreement_id: str, to: AgreementStage, reason: str | None
    ) -> Agreement:
        return await self.change(
            actor, agreement_id, lambda a: a.advance(actor, to, utcnow(), reason)
        )

    async def terminate(self, actor: Actor, agreement_id: str, reason: str | None) -> Agreement:
        return await self.change(
            actor, agreement_id, lambda a: a.terminate(actor, utcnow(), reason)
        )

    async def confirm(self, actor: Actor, agreement_id: str, party_id: str) -> Agreement:
        return await self.change(
            actor, agreement_id, lambda a: a.confirm_signature(actor, party_id, utcnow())
        )

    async def amend(self, actor: Actor, agreement_id: str, terms: TermsIn) -> Agreement:
        return await self.change(actor, agreement_id, lambda a: a.amend(actor, terms, utcnow()))

    async def attach_document(
        self, actor: Actor, agreement_id: str, document: Document
    ) -> Agreement:
        return await self.change(
            actor, agreement_id, lambda a: a.attach_document(actor, document, utcnow())
        )

    async def detach_document(
        self, actor: Actor, agreement_id: str, attachment_id: str
    ) -> Agreement:
        return await self.change(
            actor, agreement_id, lambda a: a.detach_document(actor, attachment_id, utcnow())
        )

    async def add_party(self, actor: Actor, agreement_id: str, party: Party) -> Agreement:
        return await self.change(actor, agreement_id, lambda a: a.add_party(actor, party, utcnow()))

    async def remove_party(self, actor: Actor, agreement_id: str, party_id: str) -> Agreement:
        return await self.change(
            actor, agreement_id, lambda a: a.remove_party(actor, party_id, utcnow())
        )

    async def plan_milestone(
        self, actor: Actor, agreement_id: str, plan: MilestonePlan
    ) -> Agreement:
        return await self.change(
            actor, agreement_id, lambda a: a.plan_milestone(actor, plan, utcnow())
        )

    async def reach_milestone(
        self, actor: Actor, agreement_id: str, milestone_id: str, reached_on: date
    ) -> Agreement:
        return await self.change(
            actor,
            agreement_id,
            lambda a: a.reach_milestone(actor, milestone_id, reached_on, utcnow()),
        )

    async def follow_up(
        self, actor: Actor, agreement_id: str, milestone_id: str, note: str
    ) -> Agreement:
        return await self.change(
            actor, agreement_id, lambda a: a.follow_up(actor, milestone_id, note, utcnow())
        )

    # -- the ceremony and the overdue job -----------------------------------------

    async def roster(
        self, actor: Actor, edition_id: str, order: Sequence[str] | None = None
    ) -> list[RosterRow]:
        """The ceremony's rows for an edition, in ``order`` (None: every signed agreement
        in the order it was signed). Staff only."""
        if not actor.is_staff:
            raise forbidden(
                Message("只有工作人员可以编排签约仪式", "only staff compile the ceremony roster")
            )
        signed = await self.agreements.of_edition(edition_id, SIGNED_STAGES)
        if order is None:
            order = [a.id for a in sorted(signed, key=lambda a: (a.signed_at, a.id))]
        names = await self.names.of(p.id for a in signed for p in a.parties)
        return roster(edition_id, signed, order, names)

    async def announce_overdue(self, on: date | None = None) -> int:
        """Announce each milestone overdue on ``on`` (today) once; returns how many
        agreements had new ones."""
        day = on or today()
        count = 0
        after: str | None = None
        while due := await self.agreements.due(day, after):
            for agreement in due:

                async def mutate(a: Agreement) -> tuple[Agreement, Sequence[Event]]:
                    return a.overdue(day)

                await self.agreements.change(agreement.id, mutate)
                count += 1
            after = due[-1].id
        return count
