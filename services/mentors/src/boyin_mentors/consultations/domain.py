"""A consultation: BOOKED → HELD or MISSED, with the mentor's guidance notes (seen by the
team that booked it, the mentor and operators).

The time comes from the scheduling service's slot grid of an edition (no second
scheduler): a slot is bookable when it lies within one of the mentor's weekly
availability windows in the mentor's own time zone (their office hours), and each slot
of a mentor is booked once (the consultation's id is the mentor's and the slot's).

Plain Python: the transitions take the actor and the time and return the changed
consultation with the events the change publishes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from boyin_mentors.mentors.domain import Mentor
from boyin_mentors.mentors.profile import Profile
from boyin_shared.api.mentors import ConsultationMode, ConsultationStatus, MentorStatus
from boyin_shared.contracts import mentors as contract
from boyin_shared.errors import BoyinError, FieldError, Message, forbidden, invalid
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role

C = ConsultationStatus
TOPIC_MAX = 2000
NOTE_MAX = 4000


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Note:
    by: str
    at: datetime
    text: str


@dataclass(frozen=True)
class Consultation:
    id: str
    mentor_id: str
    mentor_account_id: str
    party_id: str
    edition_id: str
    slot: Slot
    mode: ConsultationMode
    topic: str
    status: ConsultationStatus = C.BOOKED
    notes: tuple[Note, ...] = ()
    revision: int = 1

    def visible_to(self, actor: Actor) -> bool:
        return (
            actor.is_staff
            or actor.account_id == self.mentor_account_id
            or (actor.party_id is not None and actor.party_id == self.party_id)
        )

    def _snapshot(self) -> contract.ConsultationSnapshot:
        return contract.ConsultationSnapshot(
            consultation_id=self.id,
            mentor_id=self.mentor_id,
            party_id=self.party_id,
            edition_id=self.edition_id,
            slot_id=self.slot.id,
            start=self.slot.start,
            end=self.slot.end,
            mode=self.mode.value,
            status=self.status.value,
        )

    def _require_mentor(self, actor: Actor) -> None:
        if not (actor.is_staff or actor.account_id == self.mentor_account_id):
            raise forbidden(Message("只有导师本人或工作人员可以记录", "only the mentor or staff"))

    def record_outcome(
        self, actor: Actor, outcome: ConsultationStatus, now: datetime
    ) -> tuple[Consultation, list[Event]]:
        """Held or missed, once, not before the slot begins."""
        self._require_mentor(actor)
        if outcome is C.BOOKED:
            raise invalid(
                [_error("outcome", "NOT_AN_OUTCOME", "结果为已举行或未出席", "HELD or MISSED")]
            )
        if self.status is not C.BOOKED:
            raise _refuse(
                "ALREADY_RECORDED", "咨询结果已记录", "the outcome is recorded already", "status"
            )
        if now < self.slot.start:
            raise _refuse(
                "TOO_EARLY",
                "咨询开始后才能记录结果",
                "not before the consultation begins",
                "outcome",
            )
        changed = dataclasses.replace(self, status=outcome, revision=self.revision + 1)
        kind = contract.ConsultationHeld if outcome is C.HELD else contract.ConsultationMissed
        event = kind.create(subject=self.id, sequence=changed.revision, data=changed._snapshot())
        return changed, [event]

    def add_note(self, actor: Actor, text: str, now: datetime) -> tuple[Consultation, list[Event]]:
        """The mentor's guidance note (seen by the team and operators)."""
        self._require_mentor(actor)
        body = text.strip()
        if not body:
            raise invalid([_error("text", "REQUIRED", "请填写指导意见", "write the note")])
        if len(body) > NOTE_MAX:
            raise invalid(
                [_error("text", "TOO_LONG", f"最多 {NOTE_MAX} 字", f"at most {NOTE_MAX}")]
            )
        note = Note(actor.account_id, now, body)
        return dataclasses.replace(self, notes=(*self.notes, note), revision=self.revision + 1), []


def consultation_id_of(mentor_id: str, slot_id: str) -> str:
    """One consultation per mentor and slot: booking a taken slot finds the first."""
    return f"con_{mentor_id}_{slot_id}"


def in_office_hours(slot: Slot, profile: Profile) -> bool:
    """Whether ``slot`` lies within one of the mentor's weekly windows, in their zone (a
    slot across the mentor's midnight lies in none)."""
    zone = ZoneInfo(profile.timezone)
    start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
    return start.date() == end.date() and any(
        w.weekday == start.weekday() and w.start <= start.time() and end.time() <= w.end
        for w in profile.availability
    )


def book(
    actor: Actor,
    mentor: Mentor,
    edition_id: str,
    slot_id: str,
    slots: Sequence[Slot],
    mode: ConsultationMode,
    topic: str,
    now: datetime,
) -> tuple[Consultation, list[Event]]:
    """A talent books ``mentor`` in one of the edition's ``slots``. Refused whole: a slot
    not in the grid, past, or outside the mentor's office hours; a mentor not approved."""
    if actor.role is not Role.TALENT or actor.party_id is None:
        raise forbidden(Message("只有已登记的人才可以预约导师", "only registered talents book"))
    if mentor.status is not MentorStatus.APPROVED:
        raise _refuse(
            "MENTOR_NOT_APPROVED", "导师当前不接受预约", "the mentor takes no bookings", "mentor_id"
        )
    problems: list[FieldError] = []
    slot = next((s for s in slots if s.id == slot_id), None)
    if slot is None:
        problems.append(
            _error("slot_id", "UNKNOWN_SLOT", "本届没有这个时段", "not a slot of the edition")
        )
    elif slot.start <= now:
        problems.append(_error("slot_id", "PAST", "该时段已开始或已过去", "the slot has begun"))
    elif not in_office_hours(slot, mentor.profile):
        problems.append(
            _error(
                "slot_id",
                "OUTSIDE_OFFICE_HOURS",
                f"该时段不在导师的答疑时间内（{mentor.profile.timezone}）",
                f"outside the mentor's office hours ({mentor.profile.timezone})",
            )
        )
    text = topic.strip()
    if len(text) > TOPIC_MAX:
        problems.append(_error("topic", "TOO_LONG", f"最多 {TOPIC_MAX} 字", f"at most {TOPIC_MAX}"))
    if problems or slot is None:
        raise invalid(problems)
    made = Consultation(
        id=consultation_id_of(mentor.id, slot.id),
        mentor_id=mentor.id,
        mentor_account_id=mentor.account_id,
        party_id=actor.party_id,
        edition_id=edition_id,
        slot=slot,
        mode=mode,
        topic=text,
    )
    event = contract.ConsultationBooked.create(subject=made.id, sequence=1, data=made._snapshot())
    return made, [event]


def _error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))


def _refuse(code: str, zh: str, en: str, field: str) -> BoyinError:
    return BoyinError(
        code=code, message=Message(zh, en), fields=[_error(field, code, zh, en)], status=409
    )
