"""Use cases of mentors: apply or invite, read and list, the operators' decisions, and
profile changes (each a new version). The taxonomy the profile is checked against is
learned from the registry (:mod:`.taxonomy`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from boyin_mentors.mentors import domain
from boyin_mentors.mentors.domain import Mentor, mentor_id_of, require_staff
from boyin_mentors.mentors.profile import ProfileDraft
from boyin_mentors.mentors.repository import MentorQuery, Mentors
from boyin_mentors.mentors.taxonomy import LearnedTaxonomy
from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, Message, conflict, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor
from boyin_shared.store import AlreadyExists

Step = Callable[[Mentor], tuple[Mentor, list[Event]]]


def _absent(mentor_id: str) -> BoyinError:
    # Not visible is reported as absent, so existence is not leaked.
    return not_found("mentor", mentor_id, zh_kind="导师")


@dataclass
class MentorBook:
    mentors: Mentors
    taxonomy: LearnedTaxonomy

    async def register(self, actor: Actor, account_id: str, draft: ProfileDraft) -> Mentor:
        """A mentor applies (``account_id`` their own) or an operator invites one."""
        known = await self.taxonomy.codes_for(draft.expertise_codes)
        mentor, events = domain.register(actor, account_id, draft, known, utcnow())
        try:
            await self.mentors.add(mentor, events)
        except AlreadyExists:
            raise conflict(
                "MENTOR_EXISTS",
                Message("该账号已有导师档案", "this account has a mentor record already"),
            ) from None
        return mentor

    async def get(self, actor: Actor, mentor_id: str) -> Mentor:
        loaded = await self.mentors.get(mentor_id)
        if loaded is None or not loaded.aggregate.visible_to(actor):
            raise _absent(mentor_id)
        return loaded.aggregate

    async def mine(self, actor: Actor) -> Mentor:
        return await self.get(actor, mentor_id_of(actor.account_id))

    async def page(self, actor: Actor, query: MentorQuery) -> list[Mentor]:
        require_staff(actor)
        return await self.mentors.page(query)

    async def change(self, actor: Actor, mentor_id: str, step: Step) -> Mentor:
        async def mutate(before: Mentor) -> tuple[Mentor, list[Event]]:
            if not before.visible_to(actor):
                raise _absent(mentor_id)
            return step(before)

        changed = await self.mentors.change(mentor_id, mutate)
        if changed is None:
            raise _absent(mentor_id)
        return changed

    async def approve(self, actor: Actor, mentor_id: str) -> Mentor:
        return await self.change(actor, mentor_id, lambda m: m.approve(actor, utcnow()))

    async def suspend(self, actor: Actor, mentor_id: str, reason: str | None) -> Mentor:
        return await self.change(actor, mentor_id, lambda m: m.suspend(actor, utcnow(), reason))

    async def retire(self, actor: Actor, mentor_id: str, reason: str | None) -> Mentor:
        return await self.change(actor, mentor_id, lambda m: m.retire(actor, utcnow(), reason))

    async def update_profile(self, actor: Actor, mentor_id: str, draft: ProfileDraft) -> Mentor:
        known = await self.taxonomy.codes_for(draft.expertise_codes)
        return await self.change(
            actor, mentor_id, lambda m: m.update_profile(actor, draft, known, utcnow())
        )
