"""The mentors service's consultation events → ``consultations``, guarded by the
consultation's revision (idempotent: a repeat or a late older event changes nothing);
each one recorded tells the planner, which repairs a published timetable that had a
meeting of the talent's then. A cancellation frees the time (the consultation is kept,
cancelled, so the talent's calendar learns of it); a move takes the new slot's time and
frees the old one's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from boyin_scheduling.consultations.domain import CANCELLED, Consultation
from boyin_scheduling.consultations.repository import Consultations
from boyin_shared.bus import Handler
from boyin_shared.contracts.mentors import (
    ConsultationBooked,
    ConsultationCancelled,
    ConsultationHeld,
    ConsultationMissed,
    ConsultationMoved,
)
from boyin_shared.events import Event


@dataclass
class ConsultationProjection:
    consultations: Consultations
    kick: Callable[[], None]

    async def on_consultation(
        self,
        event: ConsultationBooked | ConsultationHeld | ConsultationMissed | ConsultationMoved,
    ) -> None:
        d = event.data
        await self._keep(
            Consultation(
                d.consultation_id,
                d.edition_id,
                d.party_id,
                d.start,
                d.end,
                d.status,
                event.sequence or 1,
                mentor_id=d.mentor_id,
                mode=d.mode,
                online_link=d.online_link,
            )
        )

    async def on_cancelled(self, event: ConsultationCancelled) -> None:
        d = event.data
        before = await self.consultations.get(d.consultation_id)
        known = before.aggregate if before is not None else None
        await self._keep(
            Consultation(
                d.consultation_id,
                d.edition_id,
                d.party_id,
                d.start,
                d.end,
                CANCELLED,
                event.sequence or 1,
                mentor_id=d.mentor_id,
                mode=known.mode if known else "ON_SITE",
                online_link=known.online_link if known else None,
            )
        )

    async def _keep(self, kept: Consultation) -> None:
        if await self.consultations.put_newer(kept, lambda c: c.revision):
            self.kick()

    def handlers(self) -> dict[type[Event], Handler]:
        return {
            ConsultationBooked: self.on_consultation,
            ConsultationHeld: self.on_consultation,
            ConsultationMissed: self.on_consultation,
            ConsultationMoved: self.on_consultation,
            ConsultationCancelled: self.on_cancelled,
        }
