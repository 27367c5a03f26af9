"""The stored aggregates of one edition turned into the solver's ``Instance`` (pure).

Who takes part: both sides of every accepted meeting, plus the organisations with a fixed
booth. A participant's availability is what they declared, or the default
(``attendance.domain.default_availability``); sessions they present at or are confirmed for
block their time, and so do their consultations with mentors (booked at the mentors
service, known here by its events). A meeting is online when either side takes part
online.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from boyin_scheduling.attendance.domain import Attendance, Availability, default_availability
from boyin_scheduling.editions.domain import Edition
from boyin_scheduling.meetings.domain import Meeting
from boyin_scheduling.parties.domain import PartyInfo
from boyin_scheduling.sessions.domain import Session
from boyin_scheduling.solver import model as core
from boyin_shared.api.scheduling import MeetingStatus, Mode, SessionStatus


@dataclass(frozen=True, eq=False)
class Fair:
    edition: Edition
    sessions: tuple[Session, ...]
    attendances: Mapping[str, Attendance]  # by party id
    parties: Mapping[str, PartyInfo]
    meetings: tuple[Meeting, ...]
    #: by party id, the times their consultations with mentors take
    consultations: Mapping[str, tuple[tuple[datetime, datetime], ...]] = field(default_factory=dict)

    def availability(self, party_id: str, kind: str) -> Availability:
        att = self.attendances.get(party_id)
        if att is not None:
            return att.availability
        info = self.parties.get(party_id)
        return default_availability(
            kind, info.timezone if info else None, info.country if info else None
        )

    @cached_property
    def _online(self) -> frozenset[str]:
        """Parties of the fair's meetings who take part online."""
        people = {p.id: p.kind for m in self.meetings for p in (m.requester, m.invitee)}
        return frozenset(
            pid for pid, kind in people.items() if self.availability(pid, kind).mode is Mode.ONLINE
        )

    def mode(self, meeting: Meeting) -> Mode:
        if meeting.requester.id in self._online or meeting.invitee.id in self._online:
            return Mode.ONLINE
        return meeting.mode or Mode.ON_SITE

    def schedulable(self) -> tuple[Meeting, ...]:
        return tuple(
            m for m in self.meetings if m.status is MeetingStatus.ACCEPTED and m.outcome is None
        )


def _kind(kind: str) -> core.Kind:
    return core.Kind.TALENT if kind == "talent" else core.Kind.ORGANISATION


def core_session(s: Session) -> core.Session:
    return core.Session(s.id, s.plan.start, s.plan.end, s.plan.title.best())


def build_instance(fair: Fair, meetings: Iterable[Meeting] | None = None) -> core.Instance:
    """The instance of ``meetings`` (default: every schedulable meeting of the fair)."""
    chosen = tuple(fair.schedulable() if meetings is None else meetings)
    live = [s for s in fair.sessions if s.status is SessionStatus.PUBLISHED]
    kinds: dict[str, str] = {}
    for m in chosen:
        kinds.setdefault(m.requester.id, m.requester.kind)
        kinds.setdefault(m.invitee.id, m.invitee.kind)
    for t in fair.edition.plan.tables:
        if t.booth_of is not None:
            kinds.setdefault(t.booth_of, "organisation")
    participants = []
    for pid, kind in kinds.items():
        av = fair.availability(pid, kind)
        info = fair.parties.get(pid)
        participants.append(
            core.Participant(
                id=pid,
                kind=_kind(kind),
                timezone=av.timezone,
                arrival=av.arrival,
                departure=av.departure,
                blocked=(
                    *(core.Interval(b.start, b.end) for b in av.blocked),
                    *(core.Interval(s, e) for s, e in fair.consultations.get(pid, ())),
                ),
                sessions=tuple(s.id for s in live if s.involves(pid)),
                online_only=av.mode is Mode.ONLINE,
                min_meetings=av.min_meetings,
                representatives=av.representatives,
                name=info.name.best() if info else "",
            )
        )
    requests = tuple(
        core.Request(
            id=m.id,
            a=m.requester.id,
            b=m.invitee.id,
            weight=m.weight,
            must_meet=m.must_meet,
            mode=core.Mode.ONLINE if fair.mode(m) is Mode.ONLINE else core.Mode.ON_SITE,
        )
        for m in chosen
    )
    return core.Instance(
        edition=fair.edition.to_core(tuple(core_session(s) for s in live)),
        participants=tuple(participants),
        requests=requests,
    )


def fingerprint(fair: Fair) -> str:
    """A digest of everything a timetable depends on: when it changes, the published
    timetable is repaired."""
    parts: list[object] = [fair.edition.revision, repr(fair.edition.plan)]
    for s in sorted(fair.sessions, key=lambda s: s.id):
        if s.status is SessionStatus.PUBLISHED:
            parts.append(
                (s.id, s.plan.start, s.plan.end, sorted(s.presenter_ids), sorted(s.confirmed))
            )
    for pid in sorted(fair.attendances):
        parts.append((pid, repr(fair.attendances[pid].availability)))
    for m in sorted(fair.schedulable(), key=lambda m: m.id):
        parts.append((m.id, m.weight, m.must_meet, fair.mode(m).value))
    for pid in sorted(fair.consultations):
        parts.append((pid, fair.consultations[pid]))
    return hashlib.sha256(repr(parts).encode()).hexdigest()
