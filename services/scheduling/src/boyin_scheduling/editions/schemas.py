"""Editions ↔ the HTTP API's models (``boyin_shared.api.scheduling``), both ways; also
bilingual text, which every feature's models carry."""

from __future__ import annotations

from boyin_scheduling.editions.domain import (
    Break,
    Edition,
    EditionPlan,
    FairDay,
    Room,
    TableSpec,
)
from boyin_scheduling.rules import Text
from boyin_scheduling.solver.model import Slot
from boyin_shared.api.scheduling import (
    BreakIO,
    DayIO,
    EditionIn,
    EditionOut,
    RoomIO,
    SlotOut,
    TableIO,
    TextIO,
)


def text_of(body: TextIO) -> Text:
    return Text(body.zh or None, body.en or None)


def text_io(t: Text) -> TextIO:
    return TextIO(zh=t.zh, en=t.en)


def edition_plan(body: EditionIn) -> EditionPlan:
    return EditionPlan(
        name=text_of(body.name),
        timezone=body.timezone,
        first_day=body.first_day,
        last_day=body.last_day,
        slot_minutes=body.slot_minutes,
        days=tuple(
            FairDay(d.day, d.start, d.end, tuple(Break(b.start, b.end) for b in d.breaks))
            for d in body.days
        ),
        rooms=tuple(Room(r.id, text_of(r.name), text_of(r.venue)) for r in body.rooms),
        tables=tuple(TableSpec(t.number, t.room, t.booth_of) for t in body.tables),
        local_hours=body.local_hours,
        code=body.code,
    )


def edition_out(e: Edition) -> EditionOut:
    p = e.plan
    return EditionOut(
        id=e.id,
        status=e.status.value,
        agenda_version=e.agenda_version,
        slots=len(e.slots()),
        name=text_io(p.name),
        code=p.code,
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
        rooms=[RoomIO(id=r.id, name=text_io(r.name), venue=text_io(r.venue)) for r in p.rooms],
        tables=[TableIO(number=t.number, room=t.room, booth_of=t.booth_of) for t in p.tables],
        local_hours=p.local_hours,
    )


def slot_out(s: Slot) -> SlotOut:
    return SlotOut(id=s.id, day=s.day, start=s.start, end=s.end)
