"""The pool's event handlers: the registry's parties and taxonomy, idempotently.

Each effect guards itself: the counterpart by the profile revision it last applied,
the district counter by the ids of the events it has counted (its inbox), a taxonomy
node by its version. A handler that crashed halfway is simply run again on redelivery.
"""

from __future__ import annotations

from dataclasses import dataclass

from boyin_matching.pool.domain import Counterpart
from boyin_matching.pool.service import Parties, Pool
from boyin_shared.bus import Handler
from boyin_shared.contracts.registry import (
    OrganisationRegistered,
    OrganisationUpdated,
    TalentRegistered,
    TalentUpdated,
    TaxonomyChanged,
)
from boyin_shared.events import Event


@dataclass
class PoolConsumers:
    parties: Parties
    pool: Pool

    async def on_organisation(self, event: OrganisationRegistered | OrganisationUpdated) -> None:
        d = event.data
        await self.parties.registered(
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
            await self.parties.count_organisation(d.district_code, event.id)

    async def on_talent(self, event: TalentRegistered | TalentUpdated) -> None:
        d = event.data
        await self.parties.registered(
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

    async def on_taxonomy(self, event: TaxonomyChanged) -> None:
        d = event.data
        name_zh = d.name.zh or d.code
        name_en = d.name.en or d.code
        await self.pool.set_taxonomy(d.code, d.parent, name_zh, name_en, d.version)

    def handlers(self) -> dict[type[Event], Handler]:
        return {
            OrganisationRegistered: self.on_organisation,
            OrganisationUpdated: self.on_organisation,
            TalentRegistered: self.on_talent,
            TalentUpdated: self.on_talent,
            TaxonomyChanged: self.on_taxonomy,
        }
