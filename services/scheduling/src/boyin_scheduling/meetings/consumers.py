"""Mutual matches → accepted meeting requests of the open edition (idempotent: the
meeting's id derives from the match, so a redelivery finds it already there). With no
edition open the match waits in ``waiting_matches`` until one opens (``assign``)."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_scheduling.meetings.service import MeetingService
from boyin_shared.bus import Handler
from boyin_shared.contracts.matching import MatchMutuallyAccepted
from boyin_shared.events import Event


@dataclass
class MatchInbox:
    meetings: MeetingService

    async def on_mutual(self, event: MatchMutuallyAccepted) -> None:
        await self.meetings.accept_match(event.data)

    async def assign(self) -> int:
        """Move waiting matches into the open edition (run periodically; idempotent)."""
        return await self.meetings.assign_waiting()

    def handlers(self) -> dict[type[Event], Handler]:
        return {MatchMutuallyAccepted: self.on_mutual}
