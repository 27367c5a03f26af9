"""The mentors service's consultation events → ``consultations``, guarded by the
consultation's revision (idempotent: a repeat or a late older event changes nothing);
each one recorded tells the planner, which repairs a published timetable that had a
meeting of the talent's then."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from boyin_scheduling.consultations.domain import Consultation
from boyin_scheduling.consultations.repository import Consultations
from boyin_shared.bus import Handler
from boyin_shared.contracts.mentors import (
    ConsultationBooked,
    ConsultationHeld,
    ConsultationMissed,
)
from boyin_shared.events import Event


@dataclass
class ConsultationProjection:
    consultations: Consultations
    kick: Callable[[], None]

    async def on_consultation(
        self, event: ConsultationBooked | ConsultationHeld | ConsultationMissed
    ) -> None:
        d = event.data
        kept = Consultation(
            d.consultation_id,
            d.edition_id,
            d.party_id,
            d.start,
            d.end,
            d.status,
            event.sequence or 1,
        )
        if await self.consultations.put_newer(kept, lambda c: c.revision):
            self.kick()

    def handlers(self) -> dict[type[Event], Handler]:
        return {
            ConsultationBooked: self.on_consultation,
            ConsultationHeld: self.on_consultation,
            ConsultationMissed: self.on_consultation,
        }
