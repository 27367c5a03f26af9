"""Agendas as .ics: parsed back with ``icalendar``, times and zones exact."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest

from boyin_scheduling.solver.ics import agenda_ics, meeting_uid
from boyin_scheduling.solver.model import Instance, Mode, Placement, Request, Schedule
from boyin_scheduling.solver.validate import validate_schedule
from boyin_shared.errors import BoyinError
from tests.scheduling.solver_support import at, grid, org, request, talent

NOW = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)


FIRST = date(2026, 11, 1)


def fair() -> tuple[Instance, Schedule]:
    # 1–2 Nov 2026 in Shanghai: US daylight saving time ends in between (1 Nov, 02:00 in
    # New York = 06:00 UTC = 14:00 in Shanghai)
    edition = grid(n_slots=4, n_tables=2, days=2, first=FIRST)
    inst = Instance(
        edition,
        (
            talent("ny", online_only=True, timezone="America/New_York"),
            talent("t1"),
            org("o1"),
        ),
        (
            request("r-online-1", "ny", "o1", mode=Mode.ONLINE),
            request("r-online-2", "ny", "o1", mode=Mode.ONLINE),
            request("r-site", "t1", "o1"),
        ),
    )
    schedule = Schedule(
        (
            Placement("r-online-1", "d1s1", None),
            Placement("r-online-2", "d2s1", None),
            Placement("r-site", "d1s2", 2),
        )
    )
    return inst, schedule


def events(data: bytes) -> dict[str, icalendar.Component]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def link(r: Request) -> str:
    return f"https://meet.example.org/{r.id}"


def test_round_trip_in_the_participants_own_time_zone_across_dst() -> None:
    inst, schedule = fair()
    data = agenda_ics(inst, schedule, "ny", now=NOW, video_link=link)
    assert validate_schedule(inst, schedule).ok
    cal = icalendar.Calendar.from_ical(data)
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]
    names = {str(c["tzname"]) for c in cal.walk() if c.name in ("STANDARD", "DAYLIGHT")}
    assert {"EDT", "EST"} <= names
    evs = events(data)
    assert set(evs) == {meeting_uid("ed", "r-online-1"), meeting_uid("ed", "r-online-2")}
    first = evs[meeting_uid("ed", "r-online-1")]
    second = evs[meeting_uid("ed", "r-online-2")]
    start1, end1 = first.decoded("dtstart"), first.decoded("dtend")
    start2 = second.decoded("dtstart")
    # the same instants as the slots (09:00 in Shanghai on each day)
    assert start1 == at(9, 0, first=FIRST) and end1 == at(9, 30, first=FIRST)
    assert start2 == at(9, 0, day=1, first=FIRST)
    # local wall-clock times: 21:00 EDT (UTC-4) on 31 Oct, 20:00 EST (UTC-5) on 1 Nov
    assert first["dtstart"].params["TZID"] == "America/New_York"
    assert (start1.hour, start1.day, start1.utcoffset()) == (21, 31, timedelta(hours=-4))
    assert (start2.hour, start2.day, start2.utcoffset()) == (20, 1, timedelta(hours=-5))
    text = data.decode()
    assert "DTSTART;TZID=America/New_York:20261031T210000" in text
    assert "DTSTART;TZID=America/New_York:20261101T200000" in text
    assert str(first["location"]) == "https://meet.example.org/r-online-1"
    assert str(first["url"]) == "https://meet.example.org/r-online-1"
    assert "Org o1" in str(first["summary"]) and "会谈" in str(first["summary"])
    assert first.decoded("dtstamp") == NOW


def test_on_site_meetings_carry_the_table_and_the_fairs_zone() -> None:
    inst, schedule = fair()
    data = agenda_ics(inst, schedule, "o1", now=NOW)
    evs = events(data)
    assert len(evs) == 3
    site = evs[meeting_uid("ed", "r-site")]
    assert "Table 2" in str(site["location"]) and "2号桌" in str(site["location"])
    assert site["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert site.decoded("dtstart") == at(9, 30, first=FIRST)
    assert site.decoded("dtstart").hour == 9
    cal = icalendar.Calendar.from_ical(data)
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    online = evs[meeting_uid("ed", "r-online-1")]
    assert "Online" in str(online["location"])


def test_uids_are_stable_and_shared_by_both_participants() -> None:
    inst, schedule = fair()
    moved = Schedule((Placement("r-online-1", "d1s2", None), *schedule.placements[1:]))
    a = events(agenda_ics(inst, schedule, "ny", now=NOW))
    b = events(agenda_ics(inst, moved, "ny", now=NOW + timedelta(hours=1), sequence=1))
    c = events(agenda_ics(inst, schedule, "o1", now=NOW))
    assert set(a) == set(b) and set(a) <= set(c)
    uid = meeting_uid("ed", "r-online-1")
    assert b[uid].decoded("dtstart") == at(9, 30, first=FIRST)
    assert int(str(b[uid]["sequence"])) == 1


def test_an_empty_agenda_and_an_unknown_person() -> None:
    inst, _ = fair()
    data = agenda_ics(inst, Schedule(()), "t1", now=NOW)
    assert events(data) == {}
    with pytest.raises(BoyinError) as info:
        agenda_ics(inst, Schedule(()), "ghost", now=NOW)
    assert info.value.status == 404
