"""The funnel's consumers: the events of every service it counts (registry's demands,
matching's proposals and mutual matches, scheduling's meetings held, this service's
agreements). Idempotent and order-free: each event is merged into its item's fact
(:func:`boyin_agreements.reports.domain.merge`), and items are joined to their demands
only when the report is read."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_agreements.reports.facts import COUNTED
from boyin_agreements.reports.service import FunnelReports
from boyin_shared.bus import Handler
from boyin_shared.events import Event


@dataclass
class FunnelConsumers:
    reports: FunnelReports

    async def on_event(self, event: Event) -> None:
        await self.reports.record(event)

    def handlers(self) -> dict[type[Event], Handler]:
        return dict.fromkeys(COUNTED, self.on_event)
