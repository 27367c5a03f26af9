"""Use cases of consultations: book a mentor in a slot of scheduling's grid, list the
caller's, record the outcome and guidance notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from boyin_mentors.consultations import booking
from boyin_mentors.consultations.booking import Booked, BookingRequest
from boyin_mentors.consultations.domain import Consultation
from boyin_mentors.consultations.repository import Consultations
from boyin_mentors.consultations.scheduling import Scheduling
from boyin_mentors.mentors.repository import Mentors
from boyin_shared.api.mentors import ConsultationStatus
from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, FieldError, Message, conflict, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor
from boyin_shared.store import AlreadyExists

Step = Callable[[Consultation], tuple[Consultation, list[Event]]]
#: bookings tried again when another took the same seat of the mentor's day first
ATTEMPTS = 3


def _absent(consultation_id: str) -> BoyinError:
    return not_found("consultation", consultation_id, zh_kind="咨询")


@dataclass
class ConsultationDesk:
    consultations: Consultations
    mentors: Mentors
    scheduling: Scheduling

    async def book(self, actor: Actor, mentor_id: str, request: BookingRequest) -> Consultation:
        """Book ``mentor_id`` in a slot of scheduling's grid, checked against the talent's
        agenda there, their team's consultations and the mentor's day (:mod:`.booking`)."""
        loaded = await self.mentors.get(mentor_id)
        if loaded is None:
            raise not_found("mentor", mentor_id, zh_kind="导师")
        schedule = await self.scheduling.for_booking(request.edition_id, actor)
        if schedule is None:
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
        mentor = loaded.aggregate
        for _ in range(ATTEMPTS):
            booked = Booked(
                talent=await self.consultations.booked_by(actor.party_id) if actor.party_id else [],
                mentor=await self.consultations.of_mentor(mentor.account_id),
            )
            made, events = booking.book(actor, mentor, request, schedule, booked, utcnow())
            try:
                await self.consultations.add(made, events)
                return made
            except AlreadyExists:
                await self._clash(made)
        raise conflict(
            "MENTOR_DAY_FULL",
            Message("导师当天的咨询已满", "the mentor is fully booked that day"),
        )

    async def _clash(self, made: Consultation) -> None:
        """Which unique key another booking took first: the mentor's slot or the
        talent's are refused; a seat of the mentor's day is tried again (the checks
        anew: their day may be full now)."""
        if await self.consultations.get(made.id) is not None:
            raise conflict(
                "SLOT_TAKEN",
                Message("导师的这个时段已被预约", "the mentor is booked in this slot"),
            )
        if await self.consultations.holds("talent_slot", made.talent_slot):
            raise conflict(
                "TALENT_BUSY",
                Message("您在这个时段已预约了另一场咨询", "you have a consultation then"),
            )

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
