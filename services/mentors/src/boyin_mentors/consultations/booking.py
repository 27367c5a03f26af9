"""Booking a consultation (pure): a talent books a mentor in one of the edition's slots
(scheduling's grid), checked against what scheduling, which owns the fair's agenda, says
of the talent, against the consultations already booked, and against the mentor's
profile. Refused whole, every problem named by its field, in Chinese and English:

* the slot: in the grid (``UNKNOWN_SLOT``), not begun (``PAST``), within the mentor's
  office hours in their zone (``OUTSIDE_OFFICE_HOURS``);
* the talent: a participant of the edition in scheduling (``edition_id``
  ``NOT_A_PARTICIPANT``), free then: no meeting or session of theirs, no window they
  blocked, no other consultation (``TALENT_BUSY``);
* the mode: on site only for a talent who takes part on site (``mode``
  ``TALENT_ONLINE``) and is at the fair then (``NOT_AT_THE_FAIR``); online only with a
  mentor who gave an online link (``mode`` ``NO_ONLINE_LINK``);
* the mentor's load: at most their consultations a day, in their zone
  (``MENTOR_DAY_FULL``).

An online consultation carries the mentor's link; both sides' time zones are kept so
each is shown the time in their own.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from boyin_mentors.consultations.domain import Consultation, Slot, error, refuse
from boyin_mentors.mentors.domain import Mentor
from boyin_mentors.mentors.profile import Profile
from boyin_shared.api.mentors import ConsultationMode, ConsultationStatus, MentorStatus
from boyin_shared.clock import new_id
from boyin_shared.contracts import mentors as contract
from boyin_shared.errors import FieldError, Message, forbidden, invalid
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role

TOPIC_MAX = 2000
#: what a talent's agenda item is called in a refusal
ITEM = {
    "MEETING": ("会谈", "a meeting"),
    "SESSION": ("活动", "a session"),
    "BLOCKED": ("您标记为不可用的时间", "time you blocked"),
    "CONSULTATION": ("另一场导师咨询", "another consultation"),
}


@dataclass(frozen=True)
class Busy:
    """A time the talent is taken: ``what`` one of :data:`ITEM`'s keys."""

    start: datetime
    end: datetime
    what: str


@dataclass(frozen=True)
class TalentSchedule:
    """What scheduling says for a booking: the edition's grid as the talent sees it, and
    (when it knows the talent as a participant) how they take part and when they are
    taken."""

    slots: tuple[Slot, ...]
    participant: bool = True
    mode: ConsultationMode = ConsultationMode.ON_SITE
    timezone: str = "Asia/Shanghai"
    arrival: datetime | None = None
    departure: datetime | None = None
    busy: tuple[Busy, ...] = ()


@dataclass(frozen=True)
class BookingRequest:
    edition_id: str
    slot_id: str
    mode: ConsultationMode
    topic: str = ""


@dataclass(frozen=True)
class Booked:
    """Consultations already booked: the talent's team's, and the mentor's."""

    talent: Sequence[Consultation] = ()
    mentor: Sequence[Consultation] = ()


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
    request: BookingRequest,
    schedule: TalentSchedule,
    booked: Booked,
    now: datetime,
) -> tuple[Consultation, list[Event]]:
    """``actor`` (a talent) books ``mentor``, or every reason it cannot is raised."""
    if actor.role is not Role.TALENT or actor.party_id is None:
        raise forbidden(Message("只有已登记的人才可以预约导师", "only registered talents book"))
    if mentor.status is not MentorStatus.APPROVED:
        raise refuse(
            "MENTOR_NOT_APPROVED", "导师当前不接受预约", "the mentor takes no bookings", "mentor_id"
        )
    problems: list[FieldError] = []
    slot = next((s for s in schedule.slots if s.id == request.slot_id), None)
    if slot is None:
        problems.append(
            error("slot_id", "UNKNOWN_SLOT", "本届没有这个时段", "not a slot of the edition")
        )
    elif slot.start <= now:
        problems.append(error("slot_id", "PAST", "该时段已开始或已过去", "the slot has begun"))
    else:
        problems += _slot_problems(slot, mentor, request.mode, schedule, booked)
    profile = mentor.profile
    if request.mode is ConsultationMode.ONLINE and profile.online_link is None:
        problems.append(
            error(
                "mode",
                "NO_ONLINE_LINK",
                "该导师只接受现场咨询",
                "the mentor gives no online consultations: book on site",
            )
        )
    topic = request.topic.strip()
    if len(topic) > TOPIC_MAX:
        problems.append(error("topic", "TOO_LONG", f"最多 {TOPIC_MAX} 字", f"at most {TOPIC_MAX}"))
    if problems or slot is None:
        raise invalid(problems)
    online = request.mode is ConsultationMode.ONLINE
    made = Consultation(
        id=new_id("con_"),
        mentor_id=mentor.id,
        mentor_account_id=mentor.account_id,
        party_id=actor.party_id,
        edition_id=request.edition_id,
        slot=slot,
        mode=request.mode,
        topic=topic,
        mentor_timezone=profile.timezone,
        talent_timezone=schedule.timezone,
        online_link=profile.online_link if online else None,
        seat=free_seat(slot, profile, booked),
    )
    event = contract.ConsultationBooked.create(subject=made.id, sequence=1, data=made.snapshot())
    return made, [event]


def move(
    actor: Actor,
    consultation: Consultation,
    mentor: Mentor,
    slot_id: str,
    schedule: TalentSchedule,
    booked: Booked,
    now: datetime,
) -> tuple[Consultation, list[Event]]:
    """``consultation`` moved to ``slot_id`` by its talent, its mentor or staff, before it
    begins, checked as a booking is (the consultation itself set aside: its old slot
    is no obstacle); every reason it cannot is raised."""
    if consultation.side_of(actor) is None:
        raise forbidden(
            Message("只有预约的人才、导师或工作人员可以改期", "only its talent, mentor or staff")
        )
    consultation.require_changeable(now, "slot_id")
    others = Booked(
        talent=[c for c in booked.talent if c.id != consultation.id],
        mentor=[c for c in booked.mentor if c.id != consultation.id],
    )
    problems: list[FieldError] = []
    slot = next((s for s in schedule.slots if s.id == slot_id), None)
    if slot is None:
        problems.append(
            error("slot_id", "UNKNOWN_SLOT", "本届没有这个时段", "not a slot of the edition")
        )
    elif slot.id == consultation.slot.id:
        problems.append(error("slot_id", "SAME_SLOT", "咨询已在这个时段", "it is in this slot"))
    elif slot.start <= now:
        problems.append(error("slot_id", "PAST", "该时段已开始或已过去", "the slot has begun"))
    else:
        problems += _slot_problems(slot, mentor, consultation.mode, schedule, others)
    if problems or slot is None:
        raise invalid(problems)
    moved = dataclasses.replace(
        consultation,
        slot=slot,
        talent_timezone=schedule.timezone,
        seat=free_seat(slot, mentor.profile, others),
        revision=consultation.revision + 1,
    )
    snap = moved.snapshot()
    event = contract.ConsultationMoved.create(
        subject=moved.id,
        sequence=moved.revision,
        data=contract.Move(
            **snap.model_dump(),
            from_slot_id=consultation.slot.id,
            from_start=consultation.slot.start,
            from_end=consultation.slot.end,
        ),
    )
    return moved, [event]


def _slot_problems(
    slot: Slot,
    mentor: Mentor,
    mode: ConsultationMode,
    schedule: TalentSchedule,
    booked: Booked,
) -> list[FieldError]:
    profile = mentor.profile
    problems: list[FieldError] = []
    if not in_office_hours(slot, profile):
        problems.append(
            error(
                "slot_id",
                "OUTSIDE_OFFICE_HOURS",
                f"该时段不在导师的答疑时间内（{profile.timezone}）",
                f"outside the mentor's office hours ({profile.timezone})",
            )
        )
    if not schedule.participant:
        problems.append(
            error(
                "edition_id",
                "NOT_A_PARTICIPANT",
                "日程服务中您不是本届的参会者，请先完成登记",
                "scheduling does not know you as a participant of this edition",
            )
        )
        return problems
    zone = ZoneInfo(schedule.timezone)
    if mode is ConsultationMode.ON_SITE:
        problems += _on_site_problems(slot, schedule)
    taken = [
        *schedule.busy,
        *(
            Busy(c.slot.start, c.slot.end, "CONSULTATION")
            for c in booked.talent
            if c.status is ConsultationStatus.BOOKED
        ),
    ]
    for b in taken:
        if b.start < slot.end and slot.start < b.end:
            zh, en = ITEM[b.what]
            at = f"{b.start.astimezone(zone):%m-%d %H:%M}–{b.end.astimezone(zone):%H:%M}"
            problems.append(
                error(
                    "slot_id",
                    "TALENT_BUSY",
                    f"该时段您已有{zh}（{at}，{schedule.timezone}）",
                    f"you have {en} then ({at}, {schedule.timezone})",
                )
            )
    if len(that_day(slot, profile, booked)) >= profile.max_consultations_per_day:
        problems.append(
            error(
                "slot_id",
                "MENTOR_DAY_FULL",
                f"导师当天的咨询已满（每天最多 {profile.max_consultations_per_day} 场）",
                f"the mentor is fully booked that day "
                f"({profile.max_consultations_per_day} a day at most)",
            )
        )
    return problems


def that_day(slot: Slot, profile: Profile, booked: Booked) -> list[Consultation]:
    """The mentor's consultations on the slot's day, in their zone (a cancelled one
    leaves its place)."""
    zone = ZoneInfo(profile.timezone)
    day = slot.start.astimezone(zone).date()
    return [
        c
        for c in booked.mentor
        if c.status is not ConsultationStatus.CANCELLED
        and c.slot.start.astimezone(zone).date() == day
    ]


def free_seat(slot: Slot, profile: Profile, booked: Booked) -> int:
    """The first place of the mentor's day (in their zone) no consultation holds."""
    taken = {c.seat for c in that_day(slot, profile, booked)}
    return next(n for n in itertools.count(1) if n not in taken)


def _on_site_problems(slot: Slot, schedule: TalentSchedule) -> list[FieldError]:
    if schedule.mode is ConsultationMode.ONLINE:
        return [
            error(
                "mode",
                "TALENT_ONLINE",
                "您以线上方式参加本届展会，请预约线上咨询",
                "you take part online: book an online consultation",
            )
        ]
    arrived = schedule.arrival is None or schedule.arrival <= slot.start
    still_there = schedule.departure is None or slot.end <= schedule.departure
    if arrived and still_there:
        return []
    return [
        error(
            "slot_id",
            "NOT_AT_THE_FAIR",
            "该时段您不在展会现场（按您登记的到达和离开时间）",
            "you are not at the fair then (by your arrival and departure)",
        )
    ]
