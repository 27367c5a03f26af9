"""The registry's taxonomy changes, learned so that profiles refuse retired codes and
routing knows each code's parent. Idempotent: a node is only replaced by a later version."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_mentors.mentors.repository import Taxonomy
from boyin_shared.bus import Handler
from boyin_shared.contracts.registry import TaxonomyChanged
from boyin_shared.events import Event


@dataclass
class TaxonomyConsumers:
    taxonomy: Taxonomy

    async def on_taxonomy(self, event: TaxonomyChanged) -> None:
        d = event.data
        await self.taxonomy.put(d.code, d.parent, d.change == "retired", d.version)

    def handlers(self) -> dict[type[Event], Handler]:
        return {TaxonomyChanged: self.on_taxonomy}
