"""Registry profiles → ``party_names``, guarded by revision (idempotent: a repeat or a late
older event changes nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_agreements.agreements.terms import Text
from boyin_agreements.names.domain import PartyName
from boyin_agreements.names.service import Names
from boyin_shared.bus import Handler
from boyin_shared.contracts.registry import (
    OrganisationRegistered,
    OrganisationUpdated,
    TalentRegistered,
    TalentUpdated,
)
from boyin_shared.events import Event


@dataclass
class NameProjection:
    names: Names

    async def on_talent(self, event: TalentRegistered | TalentUpdated) -> None:
        d = event.data
        await self.names.record(PartyName(d.talent_id, Text(d.name.zh, d.name.en), d.revision))

    async def on_organisation(self, event: OrganisationRegistered | OrganisationUpdated) -> None:
        d = event.data
        name = Text(d.name.zh, d.name.en)
        await self.names.record(PartyName(d.organisation_id, name, d.revision))

    def handlers(self) -> dict[type[Event], Handler]:
        return {
            TalentRegistered: self.on_talent,
            TalentUpdated: self.on_talent,
            OrganisationRegistered: self.on_organisation,
            OrganisationUpdated: self.on_organisation,
        }
