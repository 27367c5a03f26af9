"""A participant's agenda (their sessions and placed meetings), as data and as iCalendar
(pure).

Times are written in the participant's own time zone with its ``VTIMEZONE``; a meeting's
UID is the same in both participants' files and across versions, so a subscribed calendar
updates an event rather than duplicating it. ``SEQUENCE`` grows with every change a
calendar must apply: a meeting's is its revision (placed, moved, cancelled, its link
changed), a session's its version. Cancelled items stay in the feed as
``STATUS:CANCELLED`` with a higher ``SEQUENCE``, so calendars remove them. A session's
location is its room's name (both languages, with the venue), never the room's id.

A consultation with a mentor (booked at the mentors service, learned from its events) is
an item too: its UID is the consultation's (stable when it moves), its ``SEQUENCE`` the
consultation's revision, an online one's location and ``URL`` the mentor's link; a
cancelled one stays as ``STATUS:CANCELLED``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from boyin_scheduling.consultations.domain import Consultation
from boyin_scheduling.editions.domain import Edition, Room
from boyin_scheduling.meetings.domain import Meeting
from boyin_scheduling.parties.domain import PartyInfo
from boyin_scheduling.rules import Text
from boyin_scheduling.sessions.domain import Session
from boyin_scheduling.solver.ics import PRODID, meeting_uid
from boyin_shared.api.scheduling import AgendaItemKind, MeetingStatus, SessionStatus


@dataclass(frozen=True)
class AgendaItem:
    kind: AgendaItemKind
    id: str
    start: datetime
    end: datetime
    title: Text
    location: str | None
    counterpart_id: str | None
    state: str  # CONFIRMED | CANCELLED | PRESENTER | WAITLISTED
    sequence: int
    url: str | None = None
    mentor_id: str | None = None


def both(text: Text) -> str:
    """``text`` in both languages ("A 厅 / Hall A"), or the one it has."""
    zh, en = text.zh or "", text.en or ""
    return f"{zh} / {en}" if zh and en and zh != en else zh or en


def room_label(room: Room) -> str:
    """Where a session takes place, as people read it: the room's name and its venue."""
    zh, en = room.name.best("zh"), room.name.best("en")
    if room.venue:
        zh, en = f"{zh}（{room.venue.best('zh')}）", f"{en} ({room.venue.best('en')})"
    return both(Text(zh, en))


def agenda(
    party_id: str,
    sessions: Sequence[Session],
    meetings: Sequence[Meeting],
    parties: Mapping[str, PartyInfo],
    rooms: Sequence[Room] = (),
    consultations: Sequence[Consultation] = (),
) -> list[AgendaItem]:
    """``party_id``'s items in time order; ``rooms`` are the edition's (a session's
    location is its room's name); ``consultations`` the party's with mentors."""
    named = {r.id: room_label(r) for r in rooms}
    items: list[AgendaItem] = []
    for s in sessions:
        presenter = party_id in s.presenter_ids
        mine = s.state_of(party_id)
        if not presenter and mine is None:
            continue
        if s.status is SessionStatus.DRAFT:
            continue
        state = "PRESENTER" if presenter else mine.value if mine else "CONFIRMED"
        if s.status is SessionStatus.CANCELLED:
            state = "CANCELLED"
        items.append(
            AgendaItem(
                kind="SESSION",
                id=s.id,
                start=s.plan.start,
                end=s.plan.end,
                title=s.plan.title,
                location=named.get(s.plan.room, s.plan.room) if s.plan.room else None,
                counterpart_id=None,
                state=state,
                sequence=s.version,
            )
        )
    for m in meetings:
        if m.place is None:
            continue
        other = m.invitee.id if m.requester.id == party_id else m.requester.id
        info = parties.get(other)
        name = info.name if info else Text(other, other)
        online = m.place.table is None
        items.append(
            AgendaItem(
                kind="MEETING",
                id=m.id,
                start=m.place.start,
                end=m.place.end,
                title=Text(f"会谈：{name.best('zh')}", f"Meeting: {name.best('en')}"),
                location=(m.video_link or "线上 / Online")
                if online
                else f"{m.place.table}号桌 / Table {m.place.table}",
                counterpart_id=other,
                state="CANCELLED" if m.status is MeetingStatus.CANCELLED else "CONFIRMED",
                # every change bumps the revision: a cancellation outranks every
                # SEQUENCE the meeting was published with (a schedule version would not)
                sequence=m.revision,
                url=m.video_link if online else None,
            )
        )
    items += [consultation_item(c) for c in consultations if c.party_id == party_id]
    items.sort(key=lambda i: (i.start, i.id))
    return items


def consultation_item(c: Consultation) -> AgendaItem:
    online = c.mode == "ONLINE"
    return AgendaItem(
        kind="CONSULTATION",
        id=c.id,
        start=c.start,
        end=c.end,
        title=Text("导师咨询", "Mentor consultation"),
        location=(c.online_link or "线上 / Online") if online else "现场 / On site",
        counterpart_id=None,
        state="CANCELLED" if not c.takes_time else "CONFIRMED",
        sequence=c.revision,
        url=c.online_link if online else None,
        mentor_id=c.mentor_id,
    )


def agenda_ics(
    edition: Edition, items: Sequence[AgendaItem], timezone: str, *, now: datetime, name: str
) -> bytes:
    tz = ZoneInfo(timezone)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone)
    for item in items:
        event = icalendar.Event()
        event.add("uid", meeting_uid(edition.id, item.id))
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", item.start.astimezone(tz))
        event.add("dtend", item.end.astimezone(tz))
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if item.state == "CANCELLED" else "CONFIRMED")
        event.add("summary", both(item.title))
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        cal.add_component(event)
    cal.add_missing_timezones(
        first_date=edition.plan.first_day - timedelta(days=1),
        last_date=edition.plan.last_day + timedelta(days=2),
    )
    data: bytes = cal.to_ical()
    return data
