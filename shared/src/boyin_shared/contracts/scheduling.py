"""Events published by the scheduling service on topic ``boyin.scheduling.events``.

Every meeting event carries the whole meeting as it now is (``MeetingSnapshot``), so a
consumer (the gateway's live feeds, matching's feedback) needs no call back. ``sequence``
is the meeting's revision: a consumer keeps the newest.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from boyin_shared.contracts.common import LocalizedText
from boyin_shared.events import Event, EventData

TOPIC = "boyin.scheduling.events"

PartyKind = Literal["talent", "organisation"]


class EditionSnapshot(EventData):
    edition_id: str
    name: LocalizedText
    timezone: str
    first_day: str
    last_day: str
    status: Literal["DRAFT", "OPEN", "CLOSED"]
    agenda_version: int


class AgendaRelease(EventData):
    edition: EditionSnapshot
    session_ids: tuple[str, ...]


class SessionSnapshot(EventData):
    session_id: str
    edition_id: str
    kind: str
    title: LocalizedText
    start: datetime
    end: datetime
    room: str | None
    capacity: int | None
    status: Literal["DRAFT", "PUBLISHED", "CANCELLED"]
    version: int


class SessionChange(EventData):
    session: SessionSnapshot
    #: the fields that changed (e.g. ``start``, ``room``, ``status``)
    changed: tuple[str, ...]
    #: presenters and everyone signed up or waiting: the people to notify
    affected: tuple[str, ...]


class SignUpChange(EventData):
    session_id: str
    edition_id: str
    party_id: str
    state: Literal["CONFIRMED", "WAITLISTED", "PROMOTED", "CANCELLED"]
    confirmed: int
    waiting: int


class MeetingParty(EventData):
    party_kind: PartyKind
    party_id: str


class MeetingPlace(EventData):
    slot_id: str
    start: datetime
    end: datetime
    #: the table number on site; None online
    table: int | None
    video_link: str | None
    schedule_version: int


class MeetingSnapshot(EventData):
    meeting_id: str
    edition_id: str
    requester: MeetingParty
    invitee: MeetingParty
    source: Literal["MATCH", "OPERATOR", "DIRECT"]
    match_id: str | None
    status: Literal["REQUESTED", "ACCEPTED", "DECLINED", "CANCELLED"]
    outcome: Literal["HELD", "NO_SHOW"] | None
    mode: Literal["ON_SITE", "ONLINE"] | None
    place: MeetingPlace | None
    revision: int


class MeetingChange(EventData):
    meeting: MeetingSnapshot
    #: the place before a reschedule (None for the other events)
    previous_place: MeetingPlace | None = None
    by_role: str
    reason: str | None = None
    #: a no-show: who did not come
    absent: tuple[str, ...] = ()


class ScheduleRelease(EventData):
    edition_id: str
    version: int
    scheduled: int
    unscheduled: int
    objective: int
    #: the LP upper bound of the objective when it was computed
    bound: float | None
    #: "solve" (a full schedule an operator published) or "repair" (one change)
    cause: Literal["solve", "repair"]


class CheckIn(EventData):
    edition_id: str
    party_id: str
    at: datetime


class _SchedulingEvent(Event, source="/boyin/scheduling"):
    topic: ClassVar[str] = TOPIC


class EditionOpened(_SchedulingEvent, type="boyin.scheduling.edition.opened", schemaversion=1):
    data: EditionSnapshot


class EditionClosed(_SchedulingEvent, type="boyin.scheduling.edition.closed", schemaversion=1):
    data: EditionSnapshot


class AgendaPublished(_SchedulingEvent, type="boyin.scheduling.agenda.published", schemaversion=1):
    data: AgendaRelease


class SessionPublished(
    _SchedulingEvent, type="boyin.scheduling.session.published", schemaversion=1
):
    data: SessionChange


class SessionChanged(_SchedulingEvent, type="boyin.scheduling.session.changed", schemaversion=1):
    data: SessionChange


class SessionSignUpChanged(
    _SchedulingEvent, type="boyin.scheduling.session.sign_up_changed", schemaversion=1
):
    data: SignUpChange


class MeetingRequested(
    _SchedulingEvent, type="boyin.scheduling.meeting.requested", schemaversion=1
):
    data: MeetingChange


class MeetingAccepted(_SchedulingEvent, type="boyin.scheduling.meeting.accepted", schemaversion=1):
    data: MeetingChange


class MeetingDeclined(_SchedulingEvent, type="boyin.scheduling.meeting.declined", schemaversion=1):
    data: MeetingChange


class MeetingCancelled(
    _SchedulingEvent, type="boyin.scheduling.meeting.cancelled", schemaversion=1
):
    data: MeetingChange


class MeetingScheduled(
    _SchedulingEvent, type="boyin.scheduling.meeting.scheduled", schemaversion=1
):
    data: MeetingChange


class MeetingRescheduled(
    _SchedulingEvent, type="boyin.scheduling.meeting.rescheduled", schemaversion=1
):
    """The meeting moved (``previous_place`` → ``meeting.place``), or lost its place
    (``meeting.place`` is None) when an operator published a new schedule without it."""

    data: MeetingChange


class MeetingHeld(_SchedulingEvent, type="boyin.scheduling.meeting.held", schemaversion=1):
    data: MeetingChange


class MeetingNoShow(_SchedulingEvent, type="boyin.scheduling.meeting.no_show", schemaversion=1):
    data: MeetingChange


class SchedulePublished(
    _SchedulingEvent, type="boyin.scheduling.schedule.published", schemaversion=1
):
    data: ScheduleRelease


class ParticipantCheckedIn(
    _SchedulingEvent, type="boyin.scheduling.participant.checked_in", schemaversion=1
):
    data: CheckIn
