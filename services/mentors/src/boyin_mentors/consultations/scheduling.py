"""What scheduling, which owns the fair's agenda, says of a booking, asked through its
HTTP API for the talent who books (scheduling decides what they may see): the edition's
slot grid (``GET /editions/{id}/slots``; a draft edition's are not theirs), how they take
part (``GET /editions/{id}/attendance``: on site or online, their time zone, arrival,
departure, blocked windows) and their agenda (``GET /editions/{id}/agenda``: the meetings
and sessions they are in). Consultations take their times from the grid and are checked
against the rest: no second scheduler.

None when scheduling cannot answer: a booking is then refused as unavailable, never
guessed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter

from boyin_mentors.consultations.booking import Busy, TalentSchedule
from boyin_mentors.consultations.domain import Slot
from boyin_mentors.peers import SELF, acting_for
from boyin_shared.api.mentors import ConsultationMode
from boyin_shared.api.scheduling import AgendaItemOut, AttendanceOut, SlotOut
from boyin_shared.identity import Actor

log = logging.getLogger("boyin.mentors.scheduling")
_SLOTS = TypeAdapter(list[SlotOut])
_AGENDA = TypeAdapter(list[AgendaItemOut])
#: agenda items that take the talent's time (a waiting list or a cancellation does not)
TAKEN = frozenset({"CONFIRMED", "PRESENTER"})


class Scheduling(Protocol):
    async def for_booking(
        self, edition_id: str, actor: Actor, party_id: str | None = None
    ) -> TalentSchedule | None:
        """The edition's grid and the talent's agenda as ``actor`` may see them (no slots
        for an edition scheduling does not show them), or None when scheduling is
        unavailable; ``party_id``: the talent's, asked by the service itself (a
        consultation moved by its mentor or an operator)."""
        ...


class _Unavailable(Exception):
    pass


@dataclass
class SchedulingAgenda:
    client: Callable[[], httpx.AsyncClient]
    secret: str

    async def for_booking(
        self, edition_id: str, actor: Actor, party_id: str | None = None
    ) -> TalentSchedule | None:
        base = f"/editions/{quote(edition_id, safe='')}"
        whose = ""
        if party_id is not None:
            actor, whose = SELF, f"?party_id={quote(party_id, safe='')}"
        try:
            slots = await self._get(f"{base}/slots", actor)
            if slots is None:
                return TalentSchedule(slots=())
            grid = tuple(Slot(s.id, s.start, s.end) for s in _SLOTS.validate_python(slots))
            attendance = await self._get(f"{base}/attendance{whose}", actor)
            if attendance is None:
                return TalentSchedule(slots=grid, participant=False)
            agenda = await self._get(f"{base}/agenda{whose}", actor)
        except (httpx.HTTPError, _Unavailable) as failed:
            log.warning("scheduling is unavailable: %s", failed)
            return None
        mine = AttendanceOut.model_validate(attendance).availability
        busy = [
            Busy(i.start, i.end, i.kind)
            for i in _AGENDA.validate_python(agenda or [])
            # consultations are the mentors service's own (checked from its records)
            if i.state in TAKEN and i.kind != "CONSULTATION"
        ]
        busy += [Busy(b.start, b.end, "BLOCKED") for b in mine.blocked]
        return TalentSchedule(
            slots=grid,
            mode=ConsultationMode(mine.mode.value),
            timezone=mine.timezone,
            arrival=mine.arrival,
            departure=mine.departure,
            busy=tuple(busy),
        )

    async def _get(self, path: str, actor: Actor) -> object | None:
        """The answer's JSON; None where scheduling refuses the talent (not found, not a
        participant it knows)."""
        response = await self.client().get(path, headers=acting_for(actor, self.secret))
        if response.status_code in (403, 404, 422):
            return None
        if response.status_code != 200:
            raise _Unavailable(f"{path}: {response.status_code}")
        answer: object = response.json()
        return answer
