"""A participant's agenda as an iCalendar file (RFC 5545).

Times carry the participant's own time zone (``DTSTART;TZID=Europe/London:…``) with the
matching ``VTIMEZONE`` components, so calendar apps show local times correctly even across
daylight-saving changes. A meeting's ``UID`` depends only on the edition and the request,
so re-publishing after a change updates the event instead of duplicating it (``SEQUENCE``
lets the caller signal revisions). Both participants' files share the UID of their meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from boyin_scheduling.solver.model import Instance, Mode, Request, Schedule
from boyin_shared.errors import not_found

PRODID = "-//Boyin//Scheduling//ZH-EN"


def meeting_uid(edition_id: str, request_id: str) -> str:
    return f"{edition_id}.{request_id}@boyin"


def agenda_ics(
    instance: Instance,
    schedule: Schedule,
    participant_id: str,
    *,
    now: datetime,
    video_link: Callable[[Request], str] | None = None,
    sequence: int = 0,
    calendar_name: str | None = None,
) -> bytes:
    """The .ics of one participant's meetings. ``now`` stamps the events (DTSTAMP, UTC);
    ``video_link`` gives the link of an online meeting."""
    people = {p.id: p for p in instance.participants}
    person = people.get(participant_id)
    if person is None:
        raise not_found("participant", participant_id, zh_kind="参与者")
    edition = instance.edition
    tz = ZoneInfo(person.timezone)
    slots = {s.id: s for s in edition.slots}
    requests: Mapping[str, Request] = {r.id: r for r in instance.requests}

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name or f"Boyin {edition.id} — {person.name or person.id}")
    cal.add("x-wr-timezone", person.timezone)
    mine = [
        (slots[pl.slot_id], pl, requests[pl.request_id])
        for pl in schedule.placements
        if pl.request_id in requests
        and participant_id in (requests[pl.request_id].a, requests[pl.request_id].b)
    ]
    mine.sort(key=lambda item: (item[0].start, item[1].request_id))
    for slot, placement, req in mine:
        other = people[req.b if req.a == participant_id else req.a]
        other_name = other.name or other.id
        event = icalendar.Event()
        event.add("uid", meeting_uid(edition.id, req.id))
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", slot.start.astimezone(tz))
        event.add("dtend", slot.end.astimezone(tz))
        event.add("sequence", sequence)
        event.add("status", "CONFIRMED")
        event.add("summary", f"会谈：{other_name} / Meeting: {other_name}")
        if req.mode is Mode.ONLINE:
            link = video_link(req) if video_link else ""
            event.add("location", link or "线上 / Online")
            if link:
                event.add("url", link)
        else:
            event.add("location", f"{placement.table}号桌 / Table {placement.table}")
        event.add(
            "description",
            f"请求 / Request {req.id}; "
            f"{'线上 / online' if req.mode is Mode.ONLINE else '现场 / on site'}",
        )
        cal.add_component(event)
    first = edition.first_day - timedelta(days=1)
    last = edition.last_day + timedelta(days=2)
    cal.add_missing_timezones(first_date=first, last_date=last)
    data: bytes = cal.to_ical()
    return data
