"""What each event of the platform tells the funnel (pure): the fact about its item, or
nothing for an event the funnel does not count."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from boyin_agreements.reports.domain import (
    AgreementFact,
    DemandFact,
    Dims,
    Fact,
    MatchFact,
    MeetingFact,
    dims,
)
from boyin_shared.contracts.agreements import (
    AgreementCreated,
    AgreementLanded,
    AgreementSigned,
    AgreementSnapshot,
    AgreementStageChanged,
    AgreementTerminated,
)
from boyin_shared.contracts.matching import (
    MatchesProposed,
    MatchMutuallyAccepted,
    MatchProposed,
    Proposal,
)
from boyin_shared.contracts.registry import (
    DemandExpired,
    DemandPublished,
    DemandRejected,
    DemandReturned,
    DemandSnapshot,
    DemandSubmitted,
    DemandUpdated,
    DemandWithdrawn,
)
from boyin_shared.contracts.scheduling import MeetingHeld
from boyin_shared.events import Event

#: the events the funnel counts (those :func:`facts_of` reads)
COUNTED: tuple[type[Event], ...] = (
    DemandSubmitted,
    DemandPublished,
    DemandUpdated,
    DemandReturned,
    DemandRejected,
    DemandWithdrawn,
    DemandExpired,
    MatchesProposed,
    MatchProposed,
    MatchMutuallyAccepted,
    MeetingHeld,
    AgreementCreated,
    AgreementStageChanged,
    AgreementSigned,
    AgreementLanded,
    AgreementTerminated,
)


def _demand(d: DemandSnapshot, published: bool) -> DemandFact:
    own = dims(d.editions, [d.district_code], d.taxonomy_codes, [d.channel])
    return DemandFact(d.demand_id, d.revision, own, published or d.status == "PUBLISHED")


def _agreement(a: AgreementSnapshot, *, landed: bool = False) -> AgreementFact:
    values: dict[str, Decimal] = defaultdict(Decimal)
    for amount in a.amounts:
        if amount.kind == "CONTRACT_VALUE":
            values[amount.currency] += amount.amount
    return AgreementFact(
        agreement_id=a.agreement_id,
        revision=a.revision,
        match_id=a.origin.match_id,
        meeting_id=a.origin.meeting_id,
        demand_ids=frozenset(p.demand_id for p in a.parties if p.demand_id),
        own=dims([a.edition_id], [a.district_code], a.taxonomy_codes),
        contract_values=dict(values),
        signed_at=a.signed_at,  # set once signed, kept after a termination
        landed=landed or a.stage == "LANDED",
    )


def _proposal(p: Proposal) -> MatchFact:
    return MatchFact(p.match_id, frozenset({p.supply.demand_id, p.demand.demand_id}), True, None)


def facts_of(event: Event) -> list[Fact]:
    """What an event tells the funnel (nothing, for an event it does not count)."""
    match event:
        case DemandPublished():
            return [_demand(event.data.demand, True)]
        case (
            DemandSubmitted()
            | DemandUpdated()
            | DemandReturned()
            | DemandRejected()
            | DemandWithdrawn()
            | DemandExpired()
        ):
            return [_demand(event.data.demand, False)]
        case MatchesProposed():
            return [_proposal(p) for p in event.data.proposals]
        case MatchProposed():
            return [_proposal(event.data)]
        case MatchMutuallyAccepted():
            m = event.data
            ids = frozenset({m.first.demand_id, m.second.demand_id})
            return [MatchFact(m.match_id, ids, False, event.time)]
        case MeetingHeld():
            meeting = event.data.meeting
            own = dims([meeting.edition_id])
            return [MeetingFact(meeting.meeting_id, meeting.match_id, own, True)]
        case AgreementCreated() | AgreementStageChanged() | AgreementTerminated():
            return [_agreement(event.data.agreement)]
        case AgreementLanded():
            return [_agreement(event.data.agreement, landed=True)]
        case AgreementSigned():
            s = event.data
            ids = frozenset(p.demand_id for p in s.parties if p.demand_id)
            return [
                AgreementFact(
                    s.agreement_id, -1, s.match_id, None, ids, Dims(), {}, s.signed_at, False
                )
            ]
    return []
