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
from typing import Literal
from zoneinfo import ZoneInfo

from boyin_shared.api.mentors import ConsultationMode, ConsultationStatus
from boyin_shared.contracts import mentors as contract
from boyin_shared.errors import BoyinError, FieldError, Message, forbidden, invalid
from boyin_shared.events import Event
from boyin_shared.identity import Actor

C = ConsultationStatus
#: who a caller is to a consultation
Side = Literal["TALENT", "MENTOR", "OPERATOR"]
NOTE_MAX = 4000
REASON_MAX = 500


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
    #: a cancelled one's: TALENT, MENTOR or OPERATOR, and why
    cancelled_by: Side | None = None
    cancel_reason: str | None = None

    @property
    def talent_slot(self) -> str:
        """The talent's and the slot's: one consultation per talent and slot (a
        cancelled one holds its own key only: the slot is free again)."""
        if self.status is C.CANCELLED:
            return f"cancelled|{self.id}"
        return f"{self.party_id}|{self.edition_id}|{self.slot.id}"

    @property
    def mentor_slot(self) -> str:
        """The mentor's and the slot's: one consultation per mentor and slot."""
        if self.status is C.CANCELLED:
            return f"cancelled|{self.id}"
        return f"{self.mentor_id}|{self.slot.id}"

    @property
    def mentor_seat(self) -> str:
        """The mentor's, their day's and the seat's: one consultation per seat (two
        bookings racing for a mentor's last place that day cannot both take it)."""
        if self.status is C.CANCELLED:
            return f"cancelled|{self.id}"
        day = self.slot.start.astimezone(ZoneInfo(self.mentor_timezone)).date()
        return f"{self.mentor_id}|{day.isoformat()}|{self.seat}"

    def side_of(self, actor: Actor) -> Side | None:
        """Who ``actor`` is to this consultation: TALENT, MENTOR, OPERATOR or None."""
        if actor.is_staff:
            return "OPERATOR"
        if actor.account_id == self.mentor_account_id:
            return "MENTOR"
        if actor.party_id is not None and actor.party_id == self.party_id:
            return "TALENT"
        return None

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

    def require_changeable(self, now: datetime, field: str) -> None:
        """Cancelled or moved only while booked and before it begins."""
        if self.status is not C.BOOKED:
            raise refuse(
                "NOT_BOOKED",
                "咨询已取消或已有结果，不能再更改",
                "the consultation is cancelled or over: it cannot be changed",
                field,
            )
        if now >= self.slot.start:
            raise refuse(
                "ALREADY_BEGUN",
                "咨询已开始，不能再取消或改期",
                "the consultation has begun: it cannot be cancelled or moved",
                field,
            )

    def cancel(self, actor: Actor, reason: str, now: datetime) -> tuple[Consultation, list[Event]]:
        """Called off by the talent, the mentor or an operator before it begins, saying
        why: the slot (the talent's and the mentor's) and the seat of the mentor's day
        are free again."""
        side = self.side_of(actor)
        if side is None:
            raise forbidden(
                Message(
                    "只有预约的人才、导师或工作人员可以取消", "only its talent, mentor or staff"
                )
            )
        why = reason.strip()
        if not why:
            raise invalid(
                [error("reason", "REQUIRED", "请说明取消原因", "say why it is cancelled")]
            )
        if len(why) > REASON_MAX:
            raise invalid(
                [error("reason", "TOO_LONG", f"最多 {REASON_MAX} 字", f"at most {REASON_MAX}")]
            )
        self.require_changeable(now, "reason")
        changed = dataclasses.replace(
            self,
            status=C.CANCELLED,
            cancelled_by=side,
            cancel_reason=why,
            revision=self.revision + 1,
        )
        event = contract.ConsultationCancelled.create(
            subject=self.id,
            sequence=changed.revision,
            data=contract.Cancellation(
                consultation_id=self.id,
                mentor_id=self.mentor_id,
                party_id=self.party_id,
                edition_id=self.edition_id,
                slot_id=self.slot.id,
                start=self.slot.start,
                end=self.slot.end,
                cancelled_by=side,
                reason=why,
            ),
        )
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


def error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))


def refuse(code: str, zh: str, en: str, field: str) -> BoyinError:
    return BoyinError(
        code=code, message=Message(zh, en), fields=[error(field, code, zh, en)], status=409
    )
