"""Use cases of consultations: book a mentor in a slot of scheduling's grid, list the
caller's, record the outcome and guidance notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from boyin_mentors.consultations import domain
from boyin_mentors.consultations.domain import Consultation
from boyin_mentors.consultations.repository import Consultations
from boyin_mentors.consultations.slots import Slots
from boyin_mentors.mentors.repository import Mentors
from boyin_shared.api.mentors import ConsultationMode, ConsultationStatus
from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, FieldError, Message, conflict, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor
from boyin_shared.store import AlreadyExists

Step = Callable[[Consultation], tuple[Consultation, list[Event]]]


def _absent(consultation_id: str) -> BoyinError:
    return not_found("consultation", consultation_id, zh_kind="咨询")


@dataclass
class ConsultationDesk:
    consultations: Consultations
    mentors: Mentors
    slots: Slots

    async def book(
        self,
        actor: Actor,
        mentor_id: str,
        edition_id: str,
        slot_id: str,
        mode: ConsultationMode,
        topic: str,
    ) -> Consultation:
        loaded = await self.mentors.get(mentor_id)
        if loaded is None:
            raise not_found("mentor", mentor_id, zh_kind="导师")
        grid = await self.slots.of(edition_id, actor)
        if grid is None:
            raise BoyinError(
                code="SCHEDULING_UNAVAILABLE",
                message=Message(
                    "日程服务暂不可用，请稍后再预约", "scheduling is unavailable; retry"
                ),
                fields=[
                    FieldError("edition_id", "UNAVAILABLE", Message("暂不可用", "unavailable"))
                ],
                status=503,
            )
        made, events = domain.book(
            actor, loaded.aggregate, edition_id, slot_id, grid, mode, topic, utcnow()
        )
        try:
            await self.consultations.add(made, events)
        except AlreadyExists:
            raise conflict(
                "SLOT_TAKEN",
                Message("导师的这个时段已被预约", "the mentor is booked in this slot"),
            ) from None
        return made

    async def mine(self, actor: Actor) -> list[Consultation]:
        return await self.consultations.of(actor)

    async def get(self, actor: Actor, consultation_id: str) -> Consultation:
        loaded = await self.consultations.get(consultation_id)
        if loaded is None or not loaded.aggregate.visible_to(actor):
            raise _absent(consultation_id)
        return loaded.aggregate

    async def _change(self, actor: Actor, consultation_id: str, step: Step) -> Consultation:
        async def mutate(before: Consultation) -> tuple[Consultation, list[Event]]:
            if not before.visible_to(actor):
                raise _absent(consultation_id)
            return step(before)

        changed = await self.consultations.change(consultation_id, mutate)
        if changed is None:
            raise _absent(consultation_id)
        return changed

    async def outcome(
        self, actor: Actor, consultation_id: str, outcome: ConsultationStatus
    ) -> Consultation:
        return await self._change(
            actor, consultation_id, lambda c: c.record_outcome(actor, outcome, utcnow())
        )

    async def note(self, actor: Actor, consultation_id: str, text: str) -> Consultation:
        return await self._change(
            actor, consultation_id, lambda c: c.add_note(actor, text, utcnow())
        )
