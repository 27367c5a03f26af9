"""Events that offer an intention: a mutual match, and a meeting held. Idempotent: the
agreement's id comes from the match (or the meeting), and an intention is only inserted
when none with its id exists, so a redelivered event creates nothing twice."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_agreements.agreements import offers
from boyin_agreements.agreements.parties import Party
from boyin_agreements.agreements.service import AgreementCommands
from boyin_shared.api.agreements import TermsIn
from boyin_shared.bus import Handler
from boyin_shared.clock import utcnow
from boyin_shared.contracts.matching import MatchMutuallyAccepted
from boyin_shared.contracts.scheduling import MeetingHeld
from boyin_shared.events import Event


@dataclass
class OfferConsumers:
    commands: AgreementCommands

    async def on_mutual_match(self, event: MatchMutuallyAccepted) -> None:
        d = event.data
        sides = [
            Party.side(d.first.party_kind, d.first.party_id, d.first.demand_id),
            Party.side(d.second.party_kind, d.second.party_id, d.second.demand_id),
        ]
        await self.commands.offer(offers.offer_from_match(d.match_id, sides, utcnow()))

    async def on_meeting_held(self, event: MeetingHeld) -> None:
        m = event.data.meeting
        sides = [
            Party.side(m.requester.party_kind, m.requester.party_id),
            Party.side(m.invitee.party_kind, m.invitee.party_id),
        ]
        await self.commands.offer(
            offers.offer_from_meeting(
                m.meeting_id,
                sides,
                utcnow(),
                match_id=m.match_id,
                terms=TermsIn(edition_id=m.edition_id),
            )
        )

    def handlers(self) -> dict[type[Event], Handler]:
        return {MatchMutuallyAccepted: self.on_mutual_match, MeetingHeld: self.on_meeting_held}
