"""Scheduling's slot grid, asked through its HTTP API (``GET /editions/{id}/slots``):
consultations take their times from it (no second scheduler), asked for the talent who
books (a draft edition's slots are not theirs to book). None when scheduling cannot
answer: a booking is then refused as unavailable, never guessed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter

from boyin_mentors.consultations.domain import Slot
from boyin_mentors.peers import acting_for
from boyin_shared.api.scheduling import SlotOut
from boyin_shared.identity import Actor

log = logging.getLogger("boyin.mentors.slots")
_SLOTS = TypeAdapter(list[SlotOut])


class Slots(Protocol):
    async def of(self, edition_id: str, actor: Actor) -> list[Slot] | None:
        """The edition's slots as ``actor`` may see them ([] for an edition scheduling
        does not show them: unknown, or a draft), or None when scheduling is unavailable."""
        ...


@dataclass
class SchedulingSlots:
    client: Callable[[], httpx.AsyncClient]
    secret: str

    async def of(self, edition_id: str, actor: Actor) -> list[Slot] | None:
        path = f"/editions/{quote(edition_id, safe='')}/slots"
        try:
            response = await self.client().get(path, headers=acting_for(actor, self.secret))
            if response.status_code == 404:
                return []
            response.raise_for_status()
        except httpx.HTTPError as failed:
            log.warning("scheduling's slots are unavailable: %s", failed)
            return None
        return [Slot(s.id, s.start, s.end) for s in _SLOTS.validate_python(response.json())]
