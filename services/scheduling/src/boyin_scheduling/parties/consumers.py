"""Registry profiles → ``parties`` (names, time zones, countries), guarded by revision
(idempotent: a repeat or a late older event changes nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_scheduling.parties.domain import PartyInfo
from boyin_scheduling.parties.service import PartyService
from boyin_scheduling.rules import Text
from boyin_shared.bus import Handler
from boyin_shared.contracts.registry import (
    OrganisationRegistered,
    OrganisationUpdated,
    TalentRegistered,
    TalentUpdated,
)
from boyin_shared.events import Event


@dataclass
class PartyProjection:
    parties: PartyService

    async def on_talent(self, event: TalentRegistered | TalentUpdated) -> None:
        d = event.data
        await self.parties.record(
            PartyInfo(
                d.talent_id, "talent", Text(d.name.zh, d.name.en), d.timezone, d.country, d.revision
            )
        )

    async def on_organisation(self, event: OrganisationRegistered | OrganisationUpdated) -> None:
        d = event.data
        await self.parties.record(
            PartyInfo(
                d.organisation_id,
                "organisation",
                Text(d.name.zh, d.name.en),
                "Asia/Shanghai",
                "CN",
                d.revision,
            )
        )

    def handlers(self) -> dict[type[Event], Handler]:
        return {
            TalentRegistered: self.on_talent,
            TalentUpdated: self.on_talent,
            OrganisationRegistered: self.on_organisation,
            OrganisationUpdated: self.on_organisation,
        }
