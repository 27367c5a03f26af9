"""Matching's event handlers: keep the read model current, idempotently.

Each effect guards itself: the counterpart by the profile revision it last applied,
the district counter by the ids of the events it has counted (its inbox). A handler
that crashed halfway is simply run again on redelivery.
"""

from __future__ import annotations

from dataclasses import dataclass

from boyin_matching.readmodel import Counterpart, Counterparts, DistrictSupplies, DistrictSupply
from boyin_shared.bus import Handler
from boyin_shared.contracts.registry import (
    OrganisationRegistered,
    OrganisationUpdated,
    TalentRegistered,
    TalentUpdated,
)
from boyin_shared.events import Event
from boyin_shared.store import AlreadyExists

GROUP = "matching"


@dataclass
class RegistryProjection:
    counterparts: Counterparts
    supplies: DistrictSupplies

    async def _upsert(self, party: Counterpart) -> None:
        await self.counterparts.put_newer(party, lambda c: c.revision)

    async def _count_organisation(self, district: str, event_id: str) -> None:
        for _ in range(20):
            loaded = await self.supplies.get(district)
            if loaded is None:
                try:
                    await self.supplies.add(DistrictSupply(district, 1), consumed=event_id)
                    return
                except AlreadyExists:
                    continue
            if loaded.applied(event_id):
                return
            if await self.supplies.save(loaded, loaded.aggregate.plus_one(), consumed=event_id):
                return
        raise RuntimeError(f"could not count organisation in {district}")

    async def on_organisation(self, event: OrganisationRegistered | OrganisationUpdated) -> None:
        d = event.data
        await self._upsert(
            Counterpart(
                id=d.organisation_id,
                kind="organisation",
                name_zh=d.name.zh,
                name_en=d.name.en,
                district_code=d.district_code,
                taxonomy_codes=d.taxonomy_codes,
                revision=d.revision,
            )
        )
        if isinstance(event, OrganisationRegistered):
            await self._count_organisation(d.district_code, event.id)

    async def on_talent(self, event: TalentRegistered | TalentUpdated) -> None:
        d = event.data
        await self._upsert(
            Counterpart(
                id=d.talent_id,
                kind="talent",
                name_zh=d.name.zh,
                name_en=d.name.en,
                district_code=None,
                taxonomy_codes=d.taxonomy_codes,
                revision=d.revision,
                degree=d.degree,
            )
        )

    def handlers(self) -> dict[type[Event], Handler]:
        return {
            OrganisationRegistered: self.on_organisation,
            OrganisationUpdated: self.on_organisation,
            TalentRegistered: self.on_talent,
            TalentUpdated: self.on_talent,
        }
