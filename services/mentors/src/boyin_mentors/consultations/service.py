"""Use cases of consultations: book a mentor in a slot of scheduling's grid, list the
caller's, cancel or move one before it begins, record the outcome and guidance notes."""

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

Moved = tuple[Consultation, list[Event]]
Step = Callable[[Consultation], Moved]
#: bookings tried again when another took the same seat of the mentor's day first
ATTEMPTS = 3


def _unavailable(field: str) -> BoyinError:
    return BoyinError(
        code="SCHEDULING_UNAVAILABLE",
        message=Message("日程服务暂不可用，请稍后再试", "scheduling is unavailable; retry"),
        fields=[FieldError(field, "UNAVAILABLE", Message("暂不可用", "unavailable"))],
        status=503,
    )


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
            raise _unavailable("edition_id")
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
        if await self.consultations.holds("mentor_slot", made.mentor_slot):
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

    async def cancel(self, actor: Actor, consultation_id: str, reason: str) -> Consultation:
        """Called off by its talent, its mentor or staff before it begins: the talent's
        slot, the mentor's and the seat of their day are free again."""
        return await self._change(
            actor, consultation_id, lambda c: c.cancel(actor, reason, utcnow())
        )

    async def move(self, actor: Actor, consultation_id: str, slot_id: str) -> Consultation:
        """Moved to another slot of the edition, checked as a booking is against what
        scheduling says of the talent now (asked for the talent by the service when the
        mentor or staff moves it), their other consultations and the mentor's day."""
        current = await self.get(actor, consultation_id)
        mentor = await self.mentors.get(current.mentor_id)
        if mentor is None:
            raise not_found("mentor", current.mentor_id, zh_kind="导师")
        mine = actor.party_id is not None and actor.party_id == current.party_id
        schedule = await self.scheduling.for_booking(
            current.edition_id, actor, None if mine else current.party_id
        )
        if schedule is None:
            raise _unavailable("slot_id")
        for _ in range(ATTEMPTS):
            booked = Booked(
                talent=await self.consultations.booked_by(current.party_id),
                mentor=await self.consultations.of_mentor(current.mentor_account_id),
            )

            def step(before: Consultation, booked: Booked = booked) -> Moved:
                return booking.move(
                    actor, before, mentor.aggregate, slot_id, schedule, booked, utcnow()
                )

            try:
                return await self._change(actor, consultation_id, step)
            except AlreadyExists:
                await self._clash_moving(current, slot_id)
        raise conflict(
            "MENTOR_DAY_FULL",
            Message("导师当天的咨询已满", "the mentor is fully booked that day"),
        )

    async def _clash_moving(self, current: Consultation, slot_id: str) -> None:
        """Another booking took the mentor's or the talent's new slot first (the seat of
        the mentor's day: the checks again)."""
        if await self.consultations.holds("mentor_slot", f"{current.mentor_id}|{slot_id}"):
            raise conflict(
                "SLOT_TAKEN",
                Message("导师的这个时段已被预约", "the mentor is booked in this slot"),
            )
        key = f"{current.party_id}|{current.edition_id}|{slot_id}"
        if await self.consultations.holds("talent_slot", key):
            raise conflict(
                "TALENT_BUSY",
                Message("您在这个时段已预约了另一场咨询", "you have a consultation then"),
            )

    async def note(self, actor: Actor, consultation_id: str, text: str) -> Consultation:
        return await self._change(
            actor, consultation_id, lambda c: c.add_note(actor, text, utcnow())
        )
