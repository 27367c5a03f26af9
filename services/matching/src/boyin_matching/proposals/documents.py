"""The stored shape of a proposal, in one place.

A proposal is one document, its id the match id:

* the scores: ``score``, ``forward``, ``reverse``, ``cosine``, ``semantic_forward``,
  ``semantic_reverse``, ``taxonomy``, ``lexical``, ``signals``, ``capped`` (and
  ``shared_terms`` in documents written before explanations read them from the profiles);
* ``supply`` and ``demand`` (``{party_kind, party_id, demand_id}`` each) and
  ``party_ids`` (the two demands, supply first: what lists are found by);
* ``status``, ``responses`` (side -> YES/NO), ``source``, ``review``, ``note``,
  ``ranked_by``, ``updated_at``; ``withdrawn_by`` and ``reviewed_by`` once set;
* ``meeting`` and ``agreement``: written beside the proposal by feedback, never by its
  own writes (:func:`to_state` leaves them out, so a save cannot undo one).

:func:`to_state` and :func:`from_doc` map the aggregate; the rematch job's bulk path
(``lists.domain.plan``) builds and reads documents without the aggregate (hundreds of
thousands at a time) through the functions below, :func:`stored_state` shared with
:func:`to_state`. Plain Python: no store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from boyin_matching.proposals.domain import (
    SUPERSEDED,
    SYSTEM_WITHDRAWALS,
    Agreement,
    MeetingOutcome,
    Party,
    Proposal,
    Review,
    Scores,
)
from boyin_matching.ranking.profiles import Profile
from boyin_shared.api.matching import Answer, MatchStatus, ProposalSource

Doc = Mapping[str, Any]
State = dict[str, Any]

_PROPOSED = MatchStatus.PROPOSED.value
_WITHDRAWN = MatchStatus.WITHDRAWN.value
_PENDING = Review.PENDING.value
_AUTO = ProposalSource.AUTO.value


class Numbers(Protocol):
    """What :func:`scores_state` reads: a ranking's ``Candidate`` or a proposal's
    ``Scores``."""

    @property
    def score(self) -> float: ...
    @property
    def forward(self) -> float: ...
    @property
    def reverse(self) -> float: ...
    @property
    def cosine(self) -> float: ...
    @property
    def semantic_forward(self) -> float: ...
    @property
    def semantic_reverse(self) -> float: ...
    @property
    def taxonomy(self) -> float: ...
    @property
    def lexical(self) -> float: ...
    @property
    def signals(self) -> Mapping[str, float]: ...
    @property
    def capped(self) -> bool: ...


def scores_state(c: Numbers) -> State:
    """The stored scores. A candidate's score is rounded to 6 decimals here (its other
    numbers come rounded); a stored one is already."""
    return {
        "score": round(c.score, 6),
        "forward": c.forward,
        "reverse": c.reverse,
        "cosine": c.cosine,
        "semantic_forward": c.semantic_forward,
        "semantic_reverse": c.semantic_reverse,
        "taxonomy": c.taxonomy,
        "lexical": c.lexical,
        "signals": dict(c.signals),
        "capped": c.capped,
    }


def party_entry(p: Profile) -> dict[str, Any]:
    """A profile's side of a match, as stored and announced (its editions as named when
    the match was proposed)."""
    return {
        "party_kind": p.owner_kind,
        "party_id": p.owner_id,
        "demand_id": p.demand_id,
        "editions": list(p.editions),
    }


def _party_state(p: Party) -> dict[str, Any]:
    return {
        "party_kind": p.party_kind,
        "party_id": p.party_id,
        "demand_id": p.demand_id,
        "editions": list(p.editions),
    }


def stored_state(
    scores: State,
    supply: dict[str, str],
    demand: dict[str, str],
    status: str,
    responses: dict[str, str],
    source: str,
    review: str,
    note: str | None,
    ranked_by: str | None,
    updated_at: str,
    /,
) -> State:
    """A proposal's stored state from its parts (``scores``: from :func:`scores_state`,
    completed in place). Positional: the rematch job makes hundreds of thousands."""
    scores["supply"] = supply
    scores["demand"] = demand
    scores["party_ids"] = [supply["demand_id"], demand["demand_id"]]
    scores["status"] = status
    scores["responses"] = responses
    scores["source"] = source
    scores["review"] = review
    scores["note"] = note
    scores["ranked_by"] = ranked_by
    scores["updated_at"] = updated_at
    return scores


def to_state(p: Proposal) -> State:
    """What a save writes: every field of the proposal but the feedback written beside it
    (``meeting``, ``agreement``); ``withdrawn_by`` and ``reviewed_by`` once set."""
    state = stored_state(
        scores_state(p.scores),
        _party_state(p.supply),
        _party_state(p.demand),
        p.status.value,
        {side: answer.value for side, answer in p.responses.items()},
        p.source.value,
        p.review.value,
        p.note,
        p.ranked_by,
        p.updated_at,
    )
    if p.scores.shared_terms:
        state["shared_terms"] = list(p.scores.shared_terms)
    if p.withdrawn_by is not None:
        state["withdrawn_by"] = p.withdrawn_by
    if p.reviewed_by is not None:
        state["reviewed_by"] = p.reviewed_by
    return state


def _party(d: Doc) -> Party:
    # proposals stored before parties kept their editions name none
    return Party(d["party_kind"], d["party_id"], d["demand_id"], tuple(d.get("editions", ())))


def from_doc(doc: Doc) -> Proposal:
    status = MatchStatus(doc["status"])
    meeting, agreement = doc.get("meeting"), doc.get("agreement")
    return Proposal(
        id=doc["_id"],
        supply=_party(doc["supply"]),
        demand=_party(doc["demand"]),
        scores=Scores(
            score=doc["score"],
            forward=doc["forward"],
            reverse=doc["reverse"],
            cosine=doc["cosine"],
            semantic_forward=doc["semantic_forward"],
            semantic_reverse=doc["semantic_reverse"],
            taxonomy=doc["taxonomy"],
            lexical=doc["lexical"],
            signals=doc["signals"],
            capped=doc["capped"],
            shared_terms=tuple(doc.get("shared_terms", ())),
        ),
        status=status,
        source=ProposalSource(doc["source"]),
        review=Review(doc["review"]),
        updated_at=doc["updated_at"],
        responses={side: Answer(a) for side, a in doc["responses"].items()},
        note=doc["note"],
        ranked_by=ranked_by(doc),
        # an operator's proposal of a pair the system had withdrawn leaves the reason
        # stored; it says nothing once the proposal is open again
        withdrawn_by=doc.get("withdrawn_by") if status is MatchStatus.WITHDRAWN else None,
        reviewed_by=doc.get("reviewed_by"),
        meeting=MeetingOutcome(meeting["meeting_id"], meeting["outcome"], tuple(meeting["absent"]))
        if meeting
        else None,
        agreement=Agreement(agreement["agreement_id"], agreement["signed_at"])
        if agreement
        else None,
    )


def meeting_state(m: MeetingOutcome) -> State:
    return {"meeting_id": m.meeting_id, "outcome": m.outcome, "absent": list(m.absent)}


def agreement_state(a: Agreement) -> State:
    return {"agreement_id": a.agreement_id, "signed_at": a.signed_at}


# -- the bulk path: documents read and written without the aggregate -----------------------


def fresh_state(
    supply: Profile,
    demand: Profile,
    c: Numbers,
    *,
    now: str,
    ranking: str | None,
    parties: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> State:
    """A new proposal of a ranking's list, as :meth:`Proposal.proposed` makes it
    (``parties``: the two sides' entries, if made already)."""
    supply_party, demand_party = parties or (party_entry(supply), party_entry(demand))
    return stored_state(
        scores_state(c),
        supply_party,
        demand_party,
        _PROPOSED,
        {},
        _AUTO,
        _PENDING,
        None,
        ranking,
        now,
    )


def scored_state(c: Numbers, supply: dict[str, Any], demand: dict[str, Any]) -> State:
    """An open proposal's fields a ranking sets: its scores and the two sides."""
    state = scores_state(c)
    state["supply"], state["demand"] = supply, demand
    return state


def revived_state(scored: State, ranking: str) -> State:
    """The fields that propose a proposal the system withdrew again."""
    return {**scored, "status": _PROPOSED, "withdrawn_by": None, "ranked_by": ranking}


def superseded_state() -> State:
    """The fields that withdraw an open proposal its ranking no longer lists."""
    return {"status": _WITHDRAWN, "withdrawn_by": SUPERSEDED}


def doc_id(doc: Doc) -> str:
    return str(doc["_id"])


def revision(doc: Doc) -> int:
    return int(doc["_rev"])


def is_open(doc: Doc) -> bool:
    """Proposed, nobody said no (yet)."""
    return bool(doc["status"] == _PROPOSED)


def demand_ids(doc: Doc) -> list[str]:
    return list(doc["party_ids"])


def ranked_by(doc: Doc) -> str | None:
    """The demand whose ranking proposed this match (None: an operator, or unknown)."""
    by = doc.get("ranked_by")
    return str(by) if by is not None else None


def untouched(doc: Doc) -> bool:
    """Nobody has answered it and no operator has reviewed it (``Proposal.untouched``)."""
    return bool(doc["review"] == _PENDING and not doc["responses"])


def revivable(doc: Doc) -> bool:
    """``Proposal.revivable`` of a document."""
    return bool(
        doc["status"] == _WITHDRAWN
        and doc.get("withdrawn_by") in SYSTEM_WITHDRAWALS
        and untouched(doc)
    )


def differs(doc: Doc, fields: Mapping[str, Any]) -> bool:
    """Whether any of ``fields`` is stored with another value."""
    return any(doc.get(k) != v for k, v in fields.items())
