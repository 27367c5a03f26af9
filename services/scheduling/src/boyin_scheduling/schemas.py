"""The HTTP API's input and output models, and their explicit mapping to the domain."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from boyin_scheduling.domain.attendance import Attendance, Availability, Mode, Span
from boyin_scheduling.domain.editions import (
    Break,
    Edition,
    EditionPlan,
    FairDay,
    Room,
    TableSpec,
)
from boyin_scheduling.domain.meetings import Meeting, Place
from boyin_scheduling.domain.rules import Text
from boyin_scheduling.domain.schedules import Schedule, Timetable
from boyin_scheduling.domain.sessions import Presenter, Session, SessionKind, SessionPlan

Short = Annotated[str, Field(max_length=200)]
Long = Annotated[str, Field(max_length=4000)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextIO(_In):
    zh: Short | None = None
    en: Short | None = None

    def domain(self) -> Text:
        return Text(self.zh or None, self.en or None)

    @classmethod
    def of(cls, t: Text) -> Self:
        return cls(zh=t.zh, en=t.en)


class LongTextIO(TextIO):
    """Text of a paragraph or two (descriptions)."""

    zh: Long | None = None
    en: Long | None = None


# -- editions ----------------------------------------------------------------------


class BreakIO(_In):
    start: time
    end: time


class DayIO(_In):
    day: date
    start: time
    end: time
    breaks: list[BreakIO] = Field(default_factory=list, max_length=10)


class RoomIO(_In):
    id: Annotated[str, Field(min_length=1, max_length=40)]
    name: TextIO
    venue: TextIO = Field(default_factory=TextIO)


class TableIO(_In):
    number: int
    room: str | None = None
    booth_of: str | None = None


class EditionIn(_In):
    name: TextIO
    timezone: str = "Asia/Shanghai"
    first_day: date
    last_day: date
    slot_minutes: int = 30
    days: list[DayIO] = Field(max_length=14)
    rooms: list[RoomIO] = Field(default_factory=list, max_length=100)
    tables: list[TableIO] = Field(default_factory=list, max_length=2000)
    local_hours: tuple[time, time] = (time(8, 0), time(22, 0))

    def domain(self) -> EditionPlan:
        return EditionPlan(
            name=self.name.domain(),
            timezone=self.timezone,
            first_day=self.first_day,
            last_day=self.last_day,
            slot_minutes=self.slot_minutes,
            days=tuple(
                FairDay(d.day, d.start, d.end, tuple(Break(b.start, b.end) for b in d.breaks))
                for d in self.days
            ),
            rooms=tuple(Room(r.id, r.name.domain(), r.venue.domain()) for r in self.rooms),
            tables=tuple(TableSpec(t.number, t.room, t.booth_of) for t in self.tables),
            local_hours=self.local_hours,
        )


class SlotOut(BaseModel):
    id: str
    day: date
    start: datetime
    end: datetime


class EditionOut(EditionIn):
    model_config = ConfigDict(extra="ignore")
    id: str
    status: str
    agenda_version: int
    slots: int

    @classmethod
    def of(cls, e: Edition) -> EditionOut:
        p = e.plan
        return cls(
            id=e.id,
            status=e.status.value,
            agenda_version=e.agenda_version,
            slots=len(e.slots()),
            name=TextIO.of(p.name),
            timezone=p.timezone,
            first_day=p.first_day,
            last_day=p.last_day,
            slot_minutes=p.slot_minutes,
            days=[
                DayIO(
                    day=d.day,
                    start=d.start,
                    end=d.end,
                    breaks=[BreakIO(start=b.start, end=b.end) for b in d.breaks],
                )
                for d in p.days
            ],
            rooms=[
                RoomIO(id=r.id, name=TextIO.of(r.name), venue=TextIO.of(r.venue)) for r in p.rooms
            ],
            tables=[TableIO(number=t.number, room=t.room, booth_of=t.booth_of) for t in p.tables],
            local_hours=p.local_hours,
        )


# -- sessions ----------------------------------------------------------------------


class PresenterIO(_In):
    party_id: str
    title: TextIO = Field(default_factory=TextIO)
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None


class SessionIn(_In):
    kind: SessionKind
    title: TextIO
    description: LongTextIO = Field(default_factory=LongTextIO)
    start: AwareDatetime
    end: AwareDatetime
    room: str | None = None
    capacity: int | None = None
    waitlist_limit: int = 0
    departure: AwareDatetime | None = None
    meeting_point: TextIO = Field(default_factory=TextIO)
    presenters: list[PresenterIO] = Field(default_factory=list, max_length=200)

    def domain(self) -> SessionPlan:
        return SessionPlan(
            kind=self.kind,
            title=self.title.domain(),
            description=self.description.domain(),
            start=self.start,
            end=self.end,
            room=self.room,
            capacity=self.capacity,
            waitlist_limit=self.waitlist_limit,
            departure=self.departure,
            meeting_point=self.meeting_point.domain(),
            presenters=tuple(
                Presenter(p.party_id, p.title.domain(), p.start, p.end) for p in self.presenters
            ),
        )


class SessionOut(SessionIn):
    model_config = ConfigDict(extra="ignore")
    id: str
    edition_id: str
    status: str
    version: int
    confirmed: int
    waiting: int
    #: the caller's own sign-up: CONFIRMED, WAITLISTED, PRESENTER or None
    my_state: str | None

    @classmethod
    def of(cls, s: Session, viewer: str | None) -> SessionOut:
        p = s.plan
        mine = s.state_of(viewer) if viewer else None
        return cls(
            id=s.id,
            edition_id=s.edition_id,
            status=s.status.value,
            version=s.version,
            confirmed=len(s.confirmed),
            waiting=len(s.waiting),
            my_state="PRESENTER"
            if viewer in s.presenter_ids
            else (mine.value if mine is not None else None),
            kind=p.kind,
            title=TextIO.of(p.title),
            description=LongTextIO.of(p.description),
            start=p.start,
            end=p.end,
            room=p.room,
            capacity=p.capacity,
            waitlist_limit=p.waitlist_limit,
            departure=p.departure,
            meeting_point=TextIO.of(p.meeting_point),
            presenters=[
                PresenterIO(party_id=x.party_id, title=TextIO.of(x.title), start=x.start, end=x.end)
                for x in p.presenters
            ],
        )


class SignUpIn(_In):
    #: staff sign someone else up
    party_id: str | None = None


class SignUpOut(BaseModel):
    party_id: str
    state: str
    at: datetime


# -- attendance --------------------------------------------------------------------


class SpanIO(_In):
    start: AwareDatetime
    end: AwareDatetime


class AvailabilityIO(_In):
    mode: Mode
    timezone: str = "Asia/Shanghai"
    arrival: AwareDatetime | None = None
    departure: AwareDatetime | None = None
    blocked: list[SpanIO] = Field(default_factory=list, max_length=50)
    representatives: int = 1
    min_meetings: int = 0

    def domain(self) -> Availability:
        return Availability(
            mode=self.mode,
            timezone=self.timezone,
            arrival=self.arrival,
            departure=self.departure,
            blocked=tuple(Span(b.start, b.end) for b in self.blocked),
            representatives=self.representatives,
            min_meetings=self.min_meetings,
        )

    @classmethod
    def of(cls, a: Availability) -> AvailabilityIO:
        return cls(
            mode=a.mode,
            timezone=a.timezone,
            arrival=a.arrival,
            departure=a.departure,
            blocked=[SpanIO(start=b.start, end=b.end) for b in a.blocked],
            representatives=a.representatives,
            min_meetings=a.min_meetings,
        )


class AttendanceOut(BaseModel):
    edition_id: str
    party_id: str
    kind: str
    declared: bool
    availability: AvailabilityIO
    checked_in_at: datetime | None
    #: secrets, shown to the participant (and staff) only
    checkin_token: str
    calendar_token: str

    @classmethod
    def of(cls, a: Attendance) -> AttendanceOut:
        return cls(
            edition_id=a.edition_id,
            party_id=a.party_id,
            kind=a.kind,
            declared=a.declared,
            availability=AvailabilityIO.of(a.availability),
            checked_in_at=a.checked_in_at,
            checkin_token=a.checkin_token,
            calendar_token=a.calendar_token,
        )


class CheckInIn(_In):
    token: Annotated[str, Field(min_length=8, max_length=100)]


# -- meetings ----------------------------------------------------------------------


class MeetingIn(_In):
    invitee_id: str
    #: staff only: arrange a meeting between two others
    requester_id: str | None = None
    mode: Mode | None = None
    note: Long | None = None
    #: staff only
    weight: Annotated[int, Field(ge=0, le=100)] | None = None
    must_meet: bool = False


class PlaceOut(BaseModel):
    slot_id: str
    start: datetime
    end: datetime
    table: int | None
    schedule_version: int

    @classmethod
    def of(cls, p: Place | None) -> PlaceOut | None:
        if p is None:
            return None
        return cls(
            slot_id=p.slot_id,
            start=p.start,
            end=p.end,
            table=p.table,
            schedule_version=p.schedule_version,
        )


class MeetingOut(BaseModel):
    id: str
    edition_id: str
    requester_id: str
    requester_kind: str
    invitee_id: str
    invitee_kind: str
    source: str
    status: str
    weight: int
    must_meet: bool
    mode: str | None
    match_id: str | None
    video_link: str | None
    note: str | None
    place: PlaceOut | None
    outcome: str | None
    absent: list[str]

    @classmethod
    def of(cls, m: Meeting) -> MeetingOut:
        return cls(
            id=m.id,
            edition_id=m.edition_id,
            requester_id=m.requester.id,
            requester_kind=m.requester.kind,
            invitee_id=m.invitee.id,
            invitee_kind=m.invitee.kind,
            source=m.source.value,
            status=m.status.value,
            weight=m.weight,
            must_meet=m.must_meet,
            mode=m.mode.value if m.mode else None,
            match_id=m.match_id,
            video_link=m.video_link,
            note=m.note,
            place=PlaceOut.of(m.place),
            outcome=m.outcome.value if m.outcome else None,
            absent=list(m.absent),
        )


class AnswerIn(_In):
    accept: bool
    reason: Long | None = None


class CancelIn(_In):
    reason: Long | None = None


class LinkIn(_In):
    video_link: Annotated[str, Field(max_length=500, pattern=r"^https://\S+$")] | None


class OutcomeIn(_In):
    held: bool
    absent: list[str] = Field(default_factory=list, max_length=2)


# -- schedules ---------------------------------------------------------------------


class SolveIn(_In):
    time_limit_s: Annotated[float, Field(ge=0, le=300)] = 10.0
    lp_bound: bool = True


class RepairIn(_In):
    #: allow moving already placed meetings (up to two per new one) to make room
    move_placed: bool = False


class PlacementOut(BaseModel):
    meeting_id: str
    slot_id: str
    table: int | None


class TimetableOut(BaseModel):
    scheduled: int
    unscheduled: int
    objective: int
    bound: float | None
    #: objective / bound (1.0 = provably optimal)
    ratio: float | None
    greedy_objective: int | None
    solver: str
    seconds: float
    computed_at: datetime | None
    violations: int

    @classmethod
    def of(cls, t: Timetable | None) -> TimetableOut | None:
        if t is None:
            return None
        return cls(
            scheduled=len(t.placements),
            unscheduled=len(t.unscheduled),
            objective=t.objective,
            bound=t.bound,
            ratio=round(t.objective / t.bound, 6) if t.bound else None,
            greedy_objective=t.greedy_objective,
            solver=t.solver,
            seconds=round(t.seconds, 3),
            computed_at=t.computed_at,
            violations=t.violations,
        )


class UnscheduledOut(BaseModel):
    meeting_id: str
    reason_zh: str | None
    reason_en: str | None


class ScheduleOut(BaseModel):
    edition_id: str
    version: int
    published_at: datetime | None
    job: Literal["IDLE", "RUNNING", "FAILED"]
    job_error: str | None
    draft: TimetableOut | None
    published: TimetableOut | None
    #: meetings still catching up with the latest version
    pending: int

    @classmethod
    def of(cls, s: Schedule) -> ScheduleOut:
        return cls(
            edition_id=s.id,
            version=s.version,
            published_at=s.published_at,
            job=s.job,
            job_error=s.job_error,
            draft=TimetableOut.of(s.draft),
            published=TimetableOut.of(s.published),
            pending=len(s.pending),
        )


class TimetableDetailOut(BaseModel):
    placements: list[PlacementOut]
    unscheduled: list[UnscheduledOut]

    @classmethod
    def of(cls, t: Timetable) -> TimetableDetailOut:
        return cls(
            placements=[
                PlacementOut(meeting_id=p.meeting_id, slot_id=p.slot_id, table=p.table)
                for p in t.placements
            ],
            unscheduled=[
                UnscheduledOut(
                    meeting_id=m,
                    reason_zh=t.reasons[m].zh if m in t.reasons else None,
                    reason_en=t.reasons[m].en if m in t.reasons else None,
                )
                for m in t.unscheduled
            ],
        )


class AgendaItemOut(BaseModel):
    kind: Literal["SESSION", "MEETING"]
    id: str
    start: datetime
    end: datetime
    title: TextIO
    location: str | None
    #: meetings: the other side; sessions: None
    counterpart_id: str | None
    state: str
