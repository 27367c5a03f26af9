"""Events published by the matching service on topic ``boyin.matching.events``."""

from __future__ import annotations

from typing import ClassVar, Literal

from boyin_shared.events import Event, EventData

TOPIC = "boyin.matching.events"


class MatchParty(EventData):
    party_kind: Literal["talent", "organisation"]
    party_id: str
    demand_id: str
    #: the fair editions (registry edition codes, e.g. ``CQ2026``) the demand names, as
    #: it named them when the match was proposed; scheduling meets the match there
    editions: tuple[str, ...] = ()


class MutualMatch(EventData):
    """Both sides said yes: contact details may now be disclosed to each other."""

    match_id: str
    first: MatchParty
    second: MatchParty
    score: float


class Proposal(EventData):
    """A match the platform proposes to both sides (neither has answered yet)."""

    match_id: str
    supply: MatchParty
    demand: MatchParty
    score: float


class ProposedMatches(EventData):
    """Matches newly proposed together: those a demand's ranking put on its list for the
    first time (``demand_id`` is that demand), or one an operator added by hand (``demand_id``
    is the demand the operator started from)."""

    demand_id: str
    source: Literal["auto", "operator"]
    proposals: tuple[Proposal, ...]


class _MatchingEvent(Event, source="/boyin/matching"):
    topic: ClassVar[str] = TOPIC


class MatchMutuallyAccepted(
    _MatchingEvent, type="boyin.matching.match.mutually_accepted", schemaversion=1
):
    data: MutualMatch


# One proposal per event: published until matches were announced a list at a time
# (MatchesProposed); consumers still accept it from older logs.
class MatchProposed(_MatchingEvent, type="boyin.matching.match.proposed", schemaversion=1):
    data: Proposal


class MatchesProposed(_MatchingEvent, type="boyin.matching.matches.proposed", schemaversion=1):
    """New proposals, one event per list (a ranking of 20 is one message, not 20): the
    subject is the ranked demand, or the match an operator added."""

    data: ProposedMatches
