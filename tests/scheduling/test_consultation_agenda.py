"""A talent's consultations with mentors in their agenda and calendar (pure): the item, and
the .ics event in the talent's zone with the consultation's stable UID, the mentor's link,
and a cancellation that stays as ``STATUS:CANCELLED`` with a higher ``SEQUENCE``. The round
trip from the mentors service's HTTP API is ``tests/mentors/test_with_scheduling.py``; the
events' projection, in any order, is the last test here (the service on the embedded store
and bus)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import icalendar

from boyin_scheduling.app import definition as scheduling
from boyin_scheduling.attendance.agenda import agenda, agenda_ics
from boyin_scheduling.consultations.domain import CANCELLED, Consultation
from boyin_scheduling.editions.domain import Edition, EditionPlan, FairDay
from boyin_scheduling.rules import Text
from boyin_shared.api.scheduling import EditionStatus
from boyin_shared.contracts.mentors import (
    Cancellation,
    ConsultationBooked,
    ConsultationCancelled,
    ConsultationMoved,
    ConsultationSnapshot,
    Move,
)
from tests.apps import running
from tests.processes import poll
from tests.scheduling.support import state

DAY = date(2030, 3, 26)  # Europe switches to summer time on the 31st
START = datetime(2030, 3, 26, 2, 0, tzinfo=UTC)  # 10:00 in Chongqing, 03:00 in Berlin
NOW = datetime(2030, 3, 1, tzinfo=UTC)
LINK = "https://meet.example.org/weber"
EDITION = Edition(
    id="ed_1",
    plan=EditionPlan(
        name=Text("展会", "Fair"),
        timezone="Asia/Shanghai",
        first_day=DAY,
        last_day=DAY,
        slot_minutes=30,
        days=(FairDay(DAY, time(9), time(17)),),
    ),
    status=EditionStatus.OPEN,
)


def consultation(**changes: object) -> Consultation:
    base = Consultation(
        "con_1",
        "ed_1",
        "tal_1",
        START,
        START + timedelta(minutes=30),
        "BOOKED",
        1,
        mentor_id="men_1",
        mode="ONLINE",
        online_link=LINK,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def the_event(c: Consultation, timezone: str = "Europe/Berlin") -> icalendar.Component:
    items = agenda("tal_1", [], [], {}, (), [c])
    [event] = icalendar.Calendar.from_ical(
        agenda_ics(EDITION, items, timezone, now=NOW, name="Fair — Li")
    ).walk("VEVENT")
    return event


def test_a_consultation_is_an_item_of_its_talents_agenda_only() -> None:
    [item] = agenda("tal_1", [], [], {}, (), [consultation()])
    assert (item.kind, item.id, item.state, item.mentor_id, item.url, item.sequence) == (
        "CONSULTATION",
        "con_1",
        "CONFIRMED",
        "men_1",
        LINK,
        1,
    )
    assert item.location == LINK and item.counterpart_id is None
    assert agenda("tal_2", [], [], {}, (), [consultation()]) == []
    [on_site] = agenda("tal_1", [], [], {}, (), [consultation(mode="ON_SITE", online_link=None)])
    assert (on_site.location, on_site.url) == ("现场 / On site", None)


def test_the_calendar_event_in_the_talents_zone_with_a_stable_uid() -> None:
    event = the_event(consultation())
    assert str(event["uid"]) == "ed_1.con_1@boyin"
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Berlin" and (start.hour, start.minute) == (3, 0)
    assert str(event["url"]) == LINK and str(event["status"]) == "CONFIRMED"
    # moved (a later revision): the same UID, a higher SEQUENCE, the new time
    later = START + timedelta(hours=1)
    moved = the_event(consultation(start=later, end=later + timedelta(minutes=30), revision=2))
    assert str(moved["uid"]) == str(event["uid"]) and int(str(moved["sequence"])) == 2
    assert moved.decoded("dtstart") == later
    # cancelled: kept, so calendars remove it
    gone = the_event(consultation(status=CANCELLED, revision=3))
    assert (str(gone["status"]), int(str(gone["sequence"]))) == ("CANCELLED", 3)


def test_a_cancelled_consultation_takes_no_time() -> None:
    assert consultation().takes_time and not consultation(status=CANCELLED).takes_time


def snapshot(slot: str, start: datetime) -> ConsultationSnapshot:
    return ConsultationSnapshot(
        consultation_id="con_1",
        mentor_id="men_1",
        party_id="tal_1",
        edition_id="ed_1",
        slot_id=slot,
        start=start,
        end=start + timedelta(minutes=30),
        mode="ONLINE",
        status="BOOKED",
        online_link=LINK,
    )


async def test_moved_and_cancelled_by_the_events_whatever_their_order(tmp_path: Path) -> None:
    """The projection keeps the latest revision: a repeat, or a move heard after the
    cancellation that followed it, changes nothing; a cancelled one takes no time."""
    later = START + timedelta(hours=1)
    booked = ConsultationBooked.create(subject="con_1", sequence=1, data=snapshot("s0", START))
    move = Move(
        **snapshot("s2", later).model_dump(),
        from_slot_id="s0",
        from_start=START,
        from_end=START + timedelta(minutes=30),
    )
    moved = ConsultationMoved.create(subject="con_1", sequence=2, data=move)
    cancelled = ConsultationCancelled.create(
        subject="con_1",
        sequence=3,
        data=Cancellation(
            consultation_id="con_1",
            mentor_id="men_1",
            party_id="tal_1",
            edition_id="ed_1",
            slot_id="s2",
            start=later,
            end=later + timedelta(minutes=30),
            cancelled_by="TALENT",
            reason="ill",
        ),
    )
    async with running([scheduling], tmp_path) as r:
        kept = state(r).repos.consultations

        async def revision(n: int) -> Consultation | None:
            found = await kept.get("con_1")
            return found.aggregate if found and found.aggregate.revision == n else None

        await r.bus.publish([booked, moved, moved])
        now = await poll("the move kept", lambda: revision(2))
        assert (now.start, now.status, now.online_link) == (later, "BOOKED", LINK)
        assert await kept.busy("ed_1") == {"tal_1": ((later, later + timedelta(minutes=30)),)}

        await r.bus.publish([cancelled])
        await poll("the cancellation kept", lambda: revision(3))
        # late older ones change nothing (heard before the next consultation, on the same topic)
        other = snapshot("s5", START).model_copy(update={"consultation_id": "con_2"})
        await r.bus.publish(
            [moved, booked, ConsultationBooked.create(subject="con_2", sequence=1, data=other)]
        )

        async def heard_after() -> bool:
            return await kept.get("con_2") is not None

        await poll("the next consultation kept", heard_after)
        now = await poll("still cancelled", lambda: revision(3))
        assert (now.status, now.start, now.mode, now.online_link) == (
            CANCELLED,
            later,
            "ONLINE",
            LINK,
        )
        # the cancelled one takes no time (con_2 its own)
        assert await kept.busy("ed_1") == {"tal_1": ((START, START + timedelta(minutes=30)),)}
        items = agenda("tal_1", [], [], {}, (), await kept.of_party("ed_1", "tal_1"))
        assert [(i.id, i.state, i.sequence) for i in items] == [
            ("con_2", "CONFIRMED", 1),
            ("con_1", "CANCELLED", 3),
        ]
