"""A consultation: BOOKED → HELD or MISSED, with the mentor's guidance notes (seen by the
team that booked it, the mentor and operators).

The time comes from the scheduling service's slot grid of an edition (no second
scheduler; the booking's checks are :mod:`.booking`'s); each slot of a mentor is booked
once (the consultation's id is the mentor's and the slot's), and each slot of a talent
once (``talent_slot``, unique), and a mentor's day holds at most their consultations a
day (``mentor_seat``, unique).

Plain Python: the transitions take the actor and the time and return the changed
consultation with the events the change publishes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from boyin_shared.api.mentors import ConsultationMode, ConsultationStatus
from boyin_shared.contracts import mentors as contract
from boyin_shared.errors import BoyinError, FieldError, Message, forbidden, invalid
from boyin_shared.events import Event
from boyin_shared.identity import Actor

C = ConsultationStatus
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
    #: each side's time zone (each is shown the time in their own)
    mentor_timezone: str = "Asia/Shanghai"
    talent_timezone: str = "Asia/Shanghai"
    #: where an online consultation is held (the mentor's link)
    online_link: str | None = None
    #: which of the mentor's consultations that day (their day, in their zone) it is
    seat: int = 1
    status: ConsultationStatus = C.BOOKED
    notes: tuple[Note, ...] = ()
    revision: int = 1

    @property
    def talent_slot(self) -> str:
        """The talent's and the slot's: one consultation per talent and slot."""
        return f"{self.party_id}|{self.edition_id}|{self.slot.id}"

    @property
    def mentor_seat(self) -> str:
        """The mentor's, their day's and the seat's: one consultation per seat (two
        bookings racing for a mentor's last place that day cannot both take it)."""
        day = self.slot.start.astimezone(ZoneInfo(self.mentor_timezone)).date()
        return f"{self.mentor_id}|{day.isoformat()}|{self.seat}"

    def visible_to(self, actor: Actor) -> bool:
        return (
            actor.is_staff
            or actor.account_id == self.mentor_account_id
            or (actor.party_id is not None and actor.party_id == self.party_id)
        )

    def snapshot(self) -> contract.ConsultationSnapshot:
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
            mentor_timezone=self.mentor_timezone,
            talent_timezone=self.talent_timezone,
            online_link=self.online_link,
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
                [error("outcome", "NOT_AN_OUTCOME", "结果为已举行或未出席", "HELD or MISSED")]
            )
        if self.status is not C.BOOKED:
            raise refuse(
                "ALREADY_RECORDED", "咨询结果已记录", "the outcome is recorded already", "status"
            )
        if now < self.slot.start:
            raise refuse(
                "TOO_EARLY",
                "咨询开始后才能记录结果",
                "not before the consultation begins",
                "outcome",
            )
        changed = dataclasses.replace(self, status=outcome, revision=self.revision + 1)
        kind = contract.ConsultationHeld if outcome is C.HELD else contract.ConsultationMissed
        event = kind.create(subject=self.id, sequence=changed.revision, data=changed.snapshot())
        return changed, [event]

    def add_note(self, actor: Actor, text: str, now: datetime) -> tuple[Consultation, list[Event]]:
        """The mentor's guidance note (seen by the team and operators)."""
        self._require_mentor(actor)
        body = text.strip()
        if not body:
            raise invalid([error("text", "REQUIRED", "请填写指导意见", "write the note")])
        if len(body) > NOTE_MAX:
            raise invalid([error("text", "TOO_LONG", f"最多 {NOTE_MAX} 字", f"at most {NOTE_MAX}")])
        note = Note(actor.account_id, now, body)
        return dataclasses.replace(self, notes=(*self.notes, note), revision=self.revision + 1), []


def consultation_id_of(mentor_id: str, slot_id: str) -> str:
    """One consultation per mentor and slot: booking a taken slot finds the first."""
    return f"con_{mentor_id}_{slot_id}"


def error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))


def refuse(code: str, zh: str, en: str, field: str) -> BoyinError:
    return BoyinError(
        code=code, message=Message(zh, en), fields=[error(field, code, zh, en)], status=409
    )
