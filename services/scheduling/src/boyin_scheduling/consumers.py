"""Scheduling's event handlers, each idempotent.

* registry profiles → ``parties`` (names, time zones, countries), guarded by revision;
* a mutual match → an accepted meeting request in the open edition, with an id derived
  from the match (a repeat finds it already there). With no edition open the match
  waits in ``waiting_matches`` until one opens (``MatchInbox.assign``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from boyin_scheduling.domain.editions import Edition, EditionStatus
from boyin_scheduling.domain.meetings import Meeting, Party, Source, Status
from boyin_scheduling.domain.rules import Text
from boyin_scheduling.fair import PartyInfo
from boyin_scheduling.planner import Planner, Repos
from boyin_shared.bus import Handler
from boyin_shared.contracts.matching import MatchMutuallyAccepted
from boyin_shared.contracts.registry import (
    OrganisationRegistered,
    OrganisationUpdated,
    TalentRegistered,
    TalentUpdated,
)
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from boyin_shared.store import AlreadyExists, Collection, DocumentStore

GROUP = "scheduling"
log = logging.getLogger("boyin.scheduling.consumers")
MATCHING = Actor(account_id="matching", role=Role.SERVICE)


def meeting_of_match(match_id: str) -> str:
    return f"mt_match_{match_id}"


@dataclass
class PartyProjection:
    repos: Repos

    async def _upsert(self, party: PartyInfo) -> None:
        await self.repos.parties.put_newer(party, lambda p: p.revision)

    async def on_talent(self, event: TalentRegistered | TalentUpdated) -> None:
        d = event.data
        await self._upsert(
            PartyInfo(
                d.talent_id, "talent", Text(d.name.zh, d.name.en), d.timezone, d.country, d.revision
            )
        )

    async def on_organisation(self, event: OrganisationRegistered | OrganisationUpdated) -> None:
        d = event.data
        await self._upsert(
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


class MatchInbox:
    """Mutual matches become accepted meeting requests of the open edition."""

    def __init__(self, repos: Repos, store: DocumentStore, planner: Planner) -> None:
        self.repos = repos
        self.waiting: Collection = store.collection("waiting_matches")
        self.planner = planner

    async def open_edition(self) -> Edition | None:
        """The open edition that ends first among those not over yet (the next fair)."""
        now = self.planner.clock()
        editions = [
            e
            for e in await self.repos.editions.listed([EditionStatus.OPEN.value])
            if e.ends() > now
        ]
        return min(editions, key=lambda e: e.plan.last_day, default=None)

    async def _create(self, edition_id: str, match: dict[str, Any]) -> None:
        first, second = match["first"], match["second"]
        meeting = Meeting(
            id=meeting_of_match(match["match_id"]),
            edition_id=edition_id,
            requester=Party(first["party_kind"], first["party_id"]),
            invitee=Party(second["party_kind"], second["party_id"]),
            source=Source.MATCH,
            status=Status.ACCEPTED,
            weight=max(0, min(100, round(float(match["score"]) * 100))),
            match_id=match["match_id"],
        )
        try:
            await self.repos.meetings.add(meeting, meeting.created(MATCHING))
        except AlreadyExists:
            return  # a redelivery: the meeting is there already
        self.planner.kick()

    async def on_mutual(self, event: MatchMutuallyAccepted) -> None:
        match = event.data.model_dump(mode="json")
        edition = await self.open_edition()
        if edition is None:
            try:
                await self.waiting.insert({"_id": event.data.match_id, "match": match})
            except AlreadyExists:
                pass
            return
        await self._create(edition.id, match)

    async def assign(self) -> int:
        """Move waiting matches into the open edition (run periodically; idempotent)."""
        docs = await self.waiting.find(limit=200)
        if not docs:
            return 0
        edition = await self.open_edition()
        if edition is None:
            return 0
        for doc in docs:
            await self._create(edition.id, doc["match"])
            await self.waiting.delete(doc["_id"])
        log.info("assigned %d waiting matches to edition %s", len(docs), edition.id)
        return len(docs)

    def handlers(self) -> dict[type[Event], Handler]:
        return {MatchMutuallyAccepted: self.on_mutual}
