"""Events privacy acts on: a mutual match discloses both parties' contact details to each
other (idempotent: a redelivered event grants nothing new)."""

from __future__ import annotations

from boyin_registry.privacy.service import Privacy
from boyin_shared.bus import Subscription
from boyin_shared.contracts.matching import MatchMutuallyAccepted


def subscription(privacy: Privacy) -> Subscription:
    async def on_mutual_match(event: MatchMutuallyAccepted) -> None:
        data = event.data
        await privacy.disclose_mutually(data.first.party_id, data.second.party_id, data.match_id)

    return Subscription("registry.disclosures", {MatchMutuallyAccepted: on_mutual_match})
