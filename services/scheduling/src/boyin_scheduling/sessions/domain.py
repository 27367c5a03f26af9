"""Agenda sessions: ceremonies, roadshows, recruitment sessions, field visits, live
experience. Presenters and everyone signed up are blocked for the session's time.

Presenters: one who takes part online cannot present at a session held on site (in a room
or as a field visit); one whose own local time for their part falls at night is accepted
with a warning (:func:`check_presenters`).

Sign-up: confirmed while there is room, then on the waiting list (first come, first
served) up to ``waitlist_limit``, then refused. A cancellation or a larger capacity
promotes the first people waiting.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from boyin_scheduling.attendance.domain import Availability
from boyin_scheduling.rules import NO_TEXT, Text, check_span, error, refuse
from boyin_scheduling.solver.checks import zone
from boyin_shared.api.scheduling import Mode, SessionKind, SessionStatus, SignUpState
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.scheduling import (
    SessionChange,
    SessionChanged,
    SessionPublished,
    SessionSignUpChanged,
    SessionSnapshot,
    SignUpChange,
)
from boyin_shared.errors import FieldError, invalid
from boyin_shared.events import Event


@dataclass(frozen=True)
class Presenter:
    """Who presents (a roadshow's project, a recruiting organisation), optionally in a
    pitch slot of its own inside the session."""

    party_id: str
    title: Text = NO_TEXT
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class SignUp:
    party_id: str
    at: datetime
    state: SignUpState


@dataclass(frozen=True)
class SessionPlan:
    """What an operator sets."""

    kind: SessionKind
    title: Text
    start: datetime
    end: datetime
    description: Text = NO_TEXT
    room: str | None = None
    #: None: no limit (a ceremony everyone may attend)
    capacity: int | None = None
    waitlist_limit: int = 0
    #: field visits: when and where the bus leaves
    departure: datetime | None = None
    meeting_point: Text = NO_TEXT
    presenters: tuple[Presenter, ...] = ()


@dataclass(frozen=True)
class Session:
    id: str
    edition_id: str
    plan: SessionPlan
    status: SessionStatus = SessionStatus.DRAFT
    sign_ups: tuple[SignUp, ...] = ()
    version: int = 1
    revision: int = 1

    @property
    def confirmed(self) -> tuple[str, ...]:
        return tuple(s.party_id for s in self.sign_ups if s.state is SignUpState.CONFIRMED)

    @property
    def waiting(self) -> tuple[str, ...]:
        return tuple(s.party_id for s in self.sign_ups if s.state is SignUpState.WAITLISTED)

    @property
    def presenter_ids(self) -> tuple[str, ...]:
        return tuple(p.party_id for p in self.plan.presenters)

    def involves(self, party_id: str) -> bool:
        """Presenting or confirmed: the person is busy during the session."""
        return party_id in self.presenter_ids or party_id in self.confirmed

    def state_of(self, party_id: str) -> SignUpState | None:
        return next((s.state for s in self.sign_ups if s.party_id == party_id), None)

    def affected(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.presenter_ids, *(s.party_id for s in self.sign_ups)]))

    # -- operators -----------------------------------------------------------------

    def edit(self, plan: SessionPlan) -> tuple[Session, list[Event]]:
        if self.status is SessionStatus.CANCELLED:
            raise refuse("SESSION_CANCELLED", "该场次已取消", "the session is cancelled")
        if plan.capacity is not None and plan.capacity < len(self.confirmed):
            raise invalid(
                [
                    error(
                        "capacity",
                        "BELOW_SIGN_UPS",
                        f"已有 {len(self.confirmed)} 人确认报名，容量不能低于此数",
                        f"{len(self.confirmed)} people are confirmed; the capacity cannot be lower",
                    )
                ]
            )
        changed = tuple(
            f.name
            for f in dataclasses.fields(SessionPlan)
            if getattr(plan, f.name) != getattr(self.plan, f.name)
        )
        if not changed:
            return self, []
        new = dataclasses.replace(self, plan=plan, revision=self.revision + 1)
        events: list[Event] = []
        new, promoted = new._promote()
        if self.status is SessionStatus.PUBLISHED:
            new = dataclasses.replace(new, version=self.version + 1)
            events.append(SessionChanged.create(subject=self.id, data=new._change(changed)))
        events += [new._signup_event(p, "PROMOTED") for p in promoted]
        return new, events

    def publish(self) -> tuple[Session, list[Event]]:
        if self.status is not SessionStatus.DRAFT:
            return self, []
        new = dataclasses.replace(self, status=SessionStatus.PUBLISHED, revision=self.revision + 1)
        return new, [SessionPublished.create(subject=self.id, data=new._change(("status",)))]

    def cancel(self) -> tuple[Session, list[Event]]:
        if self.status is SessionStatus.CANCELLED:
            return self, []
        new = dataclasses.replace(
            self,
            status=SessionStatus.CANCELLED,
            version=self.version + 1,
            revision=self.revision + 1,
        )
        if self.status is SessionStatus.DRAFT:
            return new, []
        return new, [SessionChanged.create(subject=self.id, data=new._change(("status",)))]

    # -- participants --------------------------------------------------------------

    def sign_up(self, party_id: str, at: datetime) -> tuple[Session, list[Event]]:
        if self.status is not SessionStatus.PUBLISHED:
            raise refuse("SESSION_NOT_OPEN", "该场次未开放报名", "the session is not open")
        if party_id in self.presenter_ids:
            raise refuse("PRESENTER", "您是该场次的展示方，无需报名", "you present at this session")
        if self.state_of(party_id) is not None:
            return self, []  # already signed up or waiting: a repeat changes nothing
        cap = self.plan.capacity
        if cap is None or len(self.confirmed) < cap:
            state = SignUpState.CONFIRMED
        elif len(self.waiting) < self.plan.waitlist_limit:
            state = SignUpState.WAITLISTED
        else:
            raise refuse(
                "SESSION_FULL",
                f"该场次已满（容量 {cap} 人，候补 {self.plan.waitlist_limit} 人）",
                f"the session is full ({cap} places, {self.plan.waitlist_limit} on the waiting list)",
            )
        new = dataclasses.replace(
            self,
            sign_ups=(*self.sign_ups, SignUp(party_id, at, state)),
            revision=self.revision + 1,
        )
        return new, [new._signup_event(party_id, state.value)]

    def withdraw(self, party_id: str) -> tuple[Session, list[Event]]:
        if self.state_of(party_id) is None:
            return self, []
        new = dataclasses.replace(
            self,
            sign_ups=tuple(s for s in self.sign_ups if s.party_id != party_id),
            revision=self.revision + 1,
        )
        new, promoted = new._promote()
        events = [new._signup_event(party_id, "CANCELLED")]
        events += [new._signup_event(p, "PROMOTED") for p in promoted]
        return new, events

    def _promote(self) -> tuple[Session, list[str]]:
        cap = self.plan.capacity
        free = len(self.waiting) if cap is None else max(0, cap - len(self.confirmed))
        promoted = list(self.waiting[:free])
        if not promoted:
            return self, []
        sign_ups = tuple(
            dataclasses.replace(s, state=SignUpState.CONFIRMED) if s.party_id in promoted else s
            for s in self.sign_ups
        )
        return dataclasses.replace(self, sign_ups=sign_ups), promoted

    # -- events --------------------------------------------------------------------

    def snapshot(self) -> SessionSnapshot:
        p = self.plan
        return SessionSnapshot(
            session_id=self.id,
            edition_id=self.edition_id,
            kind=p.kind.value,
            title=LocalizedText(zh=p.title.zh, en=p.title.en),
            start=p.start,
            end=p.end,
            room=p.room,
            capacity=p.capacity,
            status=self.status.value,
            version=self.version,
        )

    def _change(self, changed: tuple[str, ...]) -> SessionChange:
        return SessionChange(session=self.snapshot(), changed=changed, affected=self.affected())

    def _signup_event(self, party_id: str, state: str) -> Event:
        return SessionSignUpChanged.create(
            subject=self.id,
            sequence=self.revision,
            data=SignUpChange(
                session_id=self.id,
                edition_id=self.edition_id,
                party_id=party_id,
                state=state,
                confirmed=len(self.confirmed),
                waiting=len(self.waiting),
            ),
        )


def check_session(plan: SessionPlan, starts: datetime, ends: datetime, rooms: set[str]) -> None:
    """Raise one ``invalid`` error listing every bad field; ``starts``/``ends`` bound the
    edition's dates, ``rooms`` are its rooms."""
    out: list[FieldError] = []
    if not plan.title:
        out.append(error("title", "REQUIRED", "请填写标题（中文或英文）", "give a title"))
    if check_span("", plan.start, plan.end, out) and (plan.start < starts or plan.end > ends):
        out.append(
            error(
                "start",
                "OUTSIDE_EDITION",
                "场次时间不在展会日期内",
                "the session is outside the edition's dates",
            )
        )
    if plan.room is not None and plan.room not in rooms:
        out.append(
            error(
                "room", "UNKNOWN_ROOM", f"会议室不存在：{plan.room}", f"no such room: {plan.room}"
            )
        )
    if plan.capacity is not None and plan.capacity < 1:
        out.append(error("capacity", "NOT_POSITIVE", "容量至少为 1", "the capacity is at least 1"))
    if plan.waitlist_limit < 0:
        out.append(
            error(
                "waitlist_limit",
                "NEGATIVE",
                "候补人数不能为负",
                "the waiting list cannot be negative",
            )
        )
    if plan.departure is not None and (
        plan.departure.tzinfo is None or plan.departure >= plan.end or plan.departure < starts
    ):
        out.append(
            error(
                "departure",
                "OUT_OF_RANGE",
                "出发时间须带时区，且在展会期间、场次结束之前",
                "the departure needs a time zone and must fall in the edition, before the end",
            )
        )
    seen: set[str] = set()
    for i, p in enumerate(plan.presenters):
        f = f"presenters.{i}"
        if p.party_id in seen:
            out.append(error(f"{f}.party_id", "DUPLICATE", "展示方重复", "a presenter twice"))
        seen.add(p.party_id)
        if (p.start is None) != (p.end is None):
            out.append(
                error(f, "INCOMPLETE_SPAN", "请同时给出开始和结束时间", "give both start and end")
            )
        elif (
            p.start is not None
            and p.end is not None
            and check_span(f, p.start, p.end, out)
            and (p.start < plan.start or p.end > plan.end)
        ):
            out.append(
                error(
                    f"{f}.start",
                    "OUTSIDE_SESSION",
                    "展示时段须在场次时间之内",
                    "a pitch slot must fall inside its session",
                )
            )
    # report the span of the whole session on its own fields (check_span used "")
    out = [dataclasses.replace(e, field=e.field.lstrip(".")) for e in out]
    if out:
        raise invalid(out)


#: a presenter's local night: from 23:00 until 07:00 the next morning
NIGHT = (time(23, 0), time(7, 0))


def held_on_site(plan: SessionPlan) -> bool:
    """The session takes place at the venue: in one of its rooms, or as a field visit.
    A session without a room is open to presenters taking part online."""
    return plan.room is not None or plan.kind is SessionKind.FIELD_VISIT


def at_night(start: datetime, end: datetime, timezone: str) -> bool:
    """Some of ``start``–``end`` falls into the :data:`NIGHT` of ``timezone``."""
    tz = zone(timezone)
    if tz is None:
        return False
    first, last = start.astimezone(tz), end.astimezone(tz)
    day = first.date() - timedelta(days=1)
    while day <= last.date():
        dusk = datetime.combine(day, NIGHT[0], tz)
        dawn = datetime.combine(day + timedelta(days=1), NIGHT[1], tz)
        if first < dawn and dusk < last:
            return True
        day += timedelta(days=1)
    return False


def check_presenters(plan: SessionPlan, presence: Mapping[str, Availability]) -> list[FieldError]:
    """Check the presenters against how they take part (``presence``: each one's
    availability at the edition). Raise one ``invalid`` error listing every presenter
    who takes part online at a session held on site; return a warning for each whose own
    local time for their part (their pitch slot, or the whole session) is at night."""
    refused: list[FieldError] = []
    warnings: list[FieldError] = []
    for i, p in enumerate(plan.presenters):
        av = presence.get(p.party_id)
        if av is None:
            continue
        if av.mode is Mode.ONLINE and held_on_site(plan):
            refused.append(
                error(
                    f"presenters.{i}.party_id",
                    "ONLINE_PRESENTER",
                    f"展示方 {p.party_id} 的参会方式为线上，不能在现场举行的场次中展示；"
                    "请其改为现场参会，或不为该场次指定会议室",
                    f"presenter {p.party_id} takes part online (their attendance mode is "
                    "ONLINE) and cannot present at a session held on site; have them "
                    "attend on site, or hold the session without a room",
                )
            )
            continue
        start, end = (p.start, p.end) if p.start and p.end else (plan.start, plan.end)
        if at_night(start, end, av.timezone):
            tz = zone(av.timezone)
            local = f"{start.astimezone(tz):%H:%M}–{end.astimezone(tz):%H:%M}"
            warnings.append(
                error(
                    f"presenters.{i}",
                    "PRESENTER_AT_NIGHT",
                    f"展示方 {p.party_id} 当地时间为 {local}，处于夜间（23:00–07:00），"
                    "请确认其能够出席",
                    f"for presenter {p.party_id} this is {local} local time "
                    f"({av.timezone}), at night (23:00–07:00); make sure they can attend",
                )
            )
    if refused:
        raise invalid(refused)
    return warnings
