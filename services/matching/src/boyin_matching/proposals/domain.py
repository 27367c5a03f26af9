"""A proposed match (one per pair of demands, a supply and a demand) and what can happen
to it: each side answers, an operator reviews it, the system withdraws it when a demand
leaves the shelf or its ranking no longer lists it, and proposes it again when a ranking
lists it again.

Plain Python: the transitions take the time they happen at and return the changed
proposal with the events the change publishes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal, NamedTuple

from boyin_matching.ranking.finishing import Candidate
from boyin_matching.ranking.profiles import Profile
from boyin_shared.api.matching import Answer, MatchStatus, ProposalSource
from boyin_shared.contracts.matching import (
    MatchesProposed,
    MatchMutuallyAccepted,
    MatchParty,
    MutualMatch,
    ProposedMatches,
)
from boyin_shared.errors import BoyinError, Message
from boyin_shared.events import Event

#: the two sides of a match
Side = Literal["supply", "demand"]
SIDES: tuple[Side, Side] = ("supply", "demand")

#: statuses whose proposal a side may still answer (a declined one: the side that said no
#: may change its mind)
ANSWERABLE = (MatchStatus.PROPOSED, MatchStatus.DECLINED, MatchStatus.MUTUAL)


class Review(StrEnum):
    """Whether an operator has looked at a proposal (an operator's own is confirmed)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"


#: why the system (not a person) withdrew a proposal: its ranking no longer lists it, or
#: one of its demands left the shelf ("rematch": the name superseded had before)
SUPERSEDED, REMOVED = "superseded", "removed"
SYSTEM_WITHDRAWALS = (SUPERSEDED, REMOVED, "rematch")


def match_id(supply_id: str, demand_id: str) -> str:
    return f"{supply_id}~{demand_id}"


def sides(a: Profile, b: Profile) -> tuple[Profile, Profile]:
    """Two profiles of a pair as (supply, demand)."""
    return (a, b) if a.is_supply else (b, a)


def match_closed() -> BoyinError:
    return BoyinError(
        code="MATCH_CLOSED",
        message=Message("该匹配已失效", "this match is no longer open"),
        status=409,
    )


@dataclass(frozen=True)
class Party:
    """One side of a match: its demand and the party that owns it."""

    party_kind: str  # "talent" | "organisation"
    party_id: str
    demand_id: str
    #: the fair editions the demand named when the match was proposed
    editions: tuple[str, ...] = ()

    @classmethod
    def of(cls, p: Profile) -> Party:
        return cls(p.owner_kind, p.owner_id, p.demand_id, tuple(p.editions))


class Scores(NamedTuple):
    """How well the two sides match (a ranking's candidate, as stored): the score, both
    directions, and the signals an explanation is made from."""

    score: float
    forward: float
    reverse: float
    cosine: float
    semantic_forward: float
    semantic_reverse: float
    taxonomy: float
    lexical: float
    signals: Mapping[str, float]
    capped: bool
    #: stored by proposals made before the terms were read from the profiles instead
    shared_terms: tuple[str, ...] = ()

    @classmethod
    def of(cls, c: Candidate) -> Scores:
        """A candidate's numbers: ``Finishing`` made every number but the score with 6
        decimals already (feedback only rescales the score): the score is rounded here.
        The shared terms are left out: an explanation takes them from the profiles."""
        return cls(
            round(c.score, 6),
            c.forward,
            c.reverse,
            c.cosine,
            c.semantic_forward,
            c.semantic_reverse,
            c.taxonomy,
            c.lexical,
            dict(c.signals),
            c.capped,
        )

    def candidate(self, demand_id: str) -> Candidate:
        """These scores as a candidate ``demand_id`` of a ranking (for its explanation)."""
        return Candidate(
            demand_id=demand_id,
            score=self.score,
            forward=self.forward,
            reverse=self.reverse,
            cosine=self.cosine,
            semantic_forward=self.semantic_forward,
            semantic_reverse=self.semantic_reverse,
            taxonomy=self.taxonomy,
            lexical=self.lexical,
            signals=self.signals,
            shared_terms=self.shared_terms,
            capped=self.capped,
        )


@dataclass(frozen=True)
class MeetingOutcome:
    """The meeting the two sides had at the fair (scheduling's outcome)."""

    meeting_id: str
    outcome: str | None  # HELD | NO_SHOW
    absent: tuple[str, ...]


@dataclass(frozen=True)
class Agreement:
    """The agreement the match led to."""

    agreement_id: str
    signed_at: str


@dataclass(frozen=True)
class Proposal:
    """A proposed match. ``ranked_by``: the demand whose ranking proposed it (None: an
    operator's). ``withdrawn_by``: why it was withdrawn (set while WITHDRAWN by the system
    only). ``meeting`` and ``agreement`` are what happened after it, recorded beside it
    (they change neither its state nor its revision)."""

    id: str
    supply: Party
    demand: Party
    scores: Scores
    status: MatchStatus
    source: ProposalSource
    review: Review
    updated_at: str
    responses: Mapping[Side, Answer] = field(default_factory=dict)
    note: str | None = None
    ranked_by: str | None = None
    withdrawn_by: str | None = None
    reviewed_by: str | None = None
    meeting: MeetingOutcome | None = None
    agreement: Agreement | None = None

    @classmethod
    def proposed(
        cls,
        supply: Profile,
        demand: Profile,
        c: Candidate,
        *,
        now: str,
        ranking: str | None,
        source: ProposalSource = ProposalSource.AUTO,
        note: str | None = None,
    ) -> Proposal:
        """A new proposal of a candidate (``ranking``: the demand whose ranking proposed
        it). An operator's is confirmed: it needs no review."""
        return cls(
            id=match_id(supply.demand_id, demand.demand_id),
            supply=Party.of(supply),
            demand=Party.of(demand),
            scores=Scores.of(c),
            status=MatchStatus.PROPOSED,
            source=source,
            review=Review.CONFIRMED if source is ProposalSource.OPERATOR else Review.PENDING,
            updated_at=now,
            note=note,
            ranked_by=ranking,
        )

    @property
    def party_ids(self) -> tuple[str, str]:
        """The two demands, supply first."""
        return self.supply.demand_id, self.demand.demand_id

    def side(self, name: Side) -> Party:
        return self.supply if name == "supply" else self.demand

    def other_side(self, demand_id: str) -> Party:
        """The side across from ``demand_id``'s."""
        return self.demand if self.supply.demand_id == demand_id else self.supply

    def sides_of(self, party_id: str | None) -> tuple[Side, ...]:
        """The sides ``party_id`` owns (both, when it matched itself)."""
        if party_id is None:
            return ()
        return tuple(s for s in SIDES if self.side(s).party_id == party_id)

    @property
    def untouched(self) -> bool:
        """Nobody has answered it and no operator has reviewed it."""
        return self.review is Review.PENDING and not self.responses

    @property
    def revivable(self) -> bool:
        """Withdrawn by the system, never answered or reviewed: a ranking that lists it
        again proposes it again."""
        return (
            self.status is MatchStatus.WITHDRAWN
            and self.withdrawn_by in SYSTEM_WITHDRAWALS
            and self.untouched
        )

    # -- transitions -----------------------------------------------------------------

    def respond(
        self, sides: Sequence[Side], interested: bool, now: str
    ) -> tuple[Proposal, list[Event]]:
        """``sides`` say yes or no; both yes is a mutual match (announced: contacts open).
        A mutual match stays as it is; a withdrawn one is closed."""
        if self.status not in ANSWERABLE:
            raise match_closed()
        if self.status is MatchStatus.MUTUAL:
            return self, []
        responses = dict(self.responses)
        for side in sides:
            responses[side] = Answer.YES if interested else Answer.NO
        events: list[Event] = []
        status = MatchStatus.PROPOSED
        if responses.get("supply") is Answer.YES and responses.get("demand") is Answer.YES:
            status = MatchStatus.MUTUAL
            events.append(self._mutually_accepted())
        elif Answer.NO in responses.values():
            status = MatchStatus.DECLINED
        return replace(self, responses=responses, status=status, updated_at=now), events

    def _mutually_accepted(self) -> MatchMutuallyAccepted:
        return MatchMutuallyAccepted.create(
            subject=self.id,
            data=MutualMatch(
                match_id=self.id,
                first=MatchParty.model_validate(_party_data(self.supply)),
                second=MatchParty.model_validate(_party_data(self.demand)),
                score=self.scores.score,
            ),
        )

    def review_by(
        self, reviewer: str, note: str | None, withdraw: bool
    ) -> tuple[Proposal, list[Event]]:
        """An operator confirms it (with a note, or none), or takes it back; a mutual match
        has happened (contacts are disclosed): it is not taken back."""
        if withdraw and self.status is MatchStatus.MUTUAL:
            raise BoyinError(
                code="MATCH_MUTUAL",
                message=Message(
                    "双方均已同意的匹配不能撤回",
                    "a match both sides said yes to cannot be withdrawn",
                ),
                status=409,
            )
        status = MatchStatus.WITHDRAWN if withdraw else self.status
        reviewed = replace(
            self, review=Review.CONFIRMED, note=note, reviewed_by=reviewer, status=status
        )
        return reviewed, []

    def withdraw(self, reason: str, now: str) -> tuple[Proposal, list[Event]]:
        """The system takes it back (``reason``: one of SYSTEM_WITHDRAWALS)."""
        return replace(self, status=MatchStatus.WITHDRAWN, withdrawn_by=reason, updated_at=now), []

    def offered_by_operator(
        self, offer: Proposal, announcement: Event
    ) -> tuple[Proposal, list[Event]] | None:
        """An operator proposes this pair again (``offer``: the operator's new proposal,
        ``announcement`` its event). An open one is rescored and confirmed with the
        operator's note, its answers kept (nothing new to announce); one the system
        withdrew is proposed again and announced; one answered, or withdrawn by a person,
        keeps its history (None)."""
        kept = replace(
            offer,
            reviewed_by=self.reviewed_by,
            meeting=self.meeting,
            agreement=self.agreement,
        )
        if self.status is MatchStatus.PROPOSED:
            return replace(kept, responses=self.responses), []
        if self.revivable:
            return kept, [announcement]
        return None


def _party_data(p: Party) -> dict[str, Any]:
    return {
        "party_kind": p.party_kind,
        "party_id": p.party_id,
        "demand_id": p.demand_id,
        "editions": list(p.editions),
    }


#: what an announcement says of a proposal: (supply party, demand party, score), each
#: party as ``{"party_kind", "party_id", "demand_id", "editions"}``
Announced = tuple[Mapping[str, Any], Mapping[str, Any], float]


def announced(p: Proposal) -> Announced:
    return _party_data(p.supply), _party_data(p.demand), p.scores.score


def announcement(
    demand_id: str,
    mids: Sequence[str],
    parties: Mapping[str, Announced],
    *,
    source: ProposalSource = ProposalSource.AUTO,
    subject: str | None = None,
) -> MatchesProposed:
    """The event that tells of new proposals (``parties``: what each says, by match id),
    validated in one call however long the list."""
    proposals = []
    for mid in mids:
        supply, demand, score = parties[mid]
        proposals.append({"match_id": mid, "supply": supply, "demand": demand, "score": score})
    data = {"demand_id": demand_id, "source": source.value, "proposals": proposals}
    return MatchesProposed.create(
        subject=subject or demand_id, data=ProposedMatches.model_validate(data)
    )
