"""The proposal aggregate's transitions (plain Python, no store) and its stored shape."""

from __future__ import annotations

from dataclasses import replace

import pytest

from boyin_matching.proposals import documents
from boyin_matching.proposals.domain import (
    REMOVED,
    SUPERSEDED,
    Agreement,
    MeetingOutcome,
    Proposal,
    Review,
    announced,
    announcement,
    match_id,
    sides,
)
from boyin_matching.proposals.schemas import shown_status
from boyin_shared.api.matching import Answer, MatchStatus, ProposalSource
from boyin_shared.contracts.matching import MatchesProposed, MatchMutuallyAccepted
from boyin_shared.errors import BoyinError
from tests.matching.test_ranking_support import candidate, profile

NOW, LATER = "2026-11-27T20:00:00+00:00", "2026-11-28T09:00:00+00:00"
SUPPLY = replace(profile("p1", "PROJECT_COOPERATION"), owner_kind="talent")
LANDING = replace(profile("l1", "PROJECT_LANDING"), owner_kind="organisation")


def proposed(**changes: object) -> Proposal:
    p = Proposal.proposed(SUPPLY, LANDING, candidate("l1", 0.8123456789), now=NOW, ranking="p1")
    return replace(p, **changes)  # type: ignore[arg-type]


def test_a_ranking_proposes_and_an_operator_confirms_their_own() -> None:
    p = proposed()
    assert p.id == match_id("p1", "l1") == "p1~l1"
    assert p.party_ids == ("p1", "l1")
    assert (p.status, p.review, p.source, p.ranked_by) == (
        MatchStatus.PROPOSED,
        Review.PENDING,
        ProposalSource.AUTO,
        "p1",
    )
    assert p.scores.score == 0.812346  # rounded as stored
    assert p.untouched and not p.revivable
    by_hand = Proposal.proposed(
        SUPPLY,
        LANDING,
        candidate("l1", 0.5),
        now=NOW,
        ranking=None,
        source=ProposalSource.OPERATOR,
        note="met at the fair",
    )
    assert (by_hand.review, by_hand.note, by_hand.ranked_by) == (
        Review.CONFIRMED,
        "met at the fair",
        None,
    )
    assert sides(LANDING, SUPPLY) == (SUPPLY, LANDING) == sides(SUPPLY, LANDING)


def test_the_sides_a_party_owns() -> None:
    p = proposed()
    assert p.sides_of(SUPPLY.owner_id) == ("supply",)
    assert p.sides_of(LANDING.owner_id) == ("demand",)
    assert p.sides_of("someone else") == () == p.sides_of(None)
    itself = replace(p, demand=replace(p.demand, party_id=SUPPLY.owner_id))
    assert itself.sides_of(SUPPLY.owner_id) == ("supply", "demand")
    assert p.other_side("p1") == p.demand and p.other_side("l1") == p.supply


def test_both_yes_is_a_mutual_match_announced_once() -> None:
    p = proposed()
    one, events = p.respond(["supply"], True, LATER)
    assert (one.status, dict(one.responses), one.updated_at, events) == (
        MatchStatus.PROPOSED,
        {"supply": Answer.YES},
        LATER,
        [],
    )
    assert not one.untouched
    both, [event] = one.respond(["demand"], True, LATER)
    assert both.status is MatchStatus.MUTUAL
    assert isinstance(event, MatchMutuallyAccepted) and event.subject == p.id
    assert event.data.first.party_id == SUPPLY.owner_id
    assert event.data.second.demand_id == "l1" and event.data.score == p.scores.score
    # a mutual match stays as it is: nothing to write, nothing to announce
    again, more = both.respond(["supply"], False, "2027-01-01T00:00:00+00:00")
    assert again is both and more == []


def test_a_no_declines_and_may_be_taken_back() -> None:
    declined, events = proposed().respond(["demand"], False, LATER)
    assert (declined.status, events) == (MatchStatus.DECLINED, [])
    reopened, _ = declined.respond(["demand"], True, LATER)
    assert reopened.status is MatchStatus.PROPOSED
    assert dict(reopened.responses) == {"demand": Answer.YES}
    staff, _ = proposed().respond(["supply", "demand"], False, LATER)
    assert dict(staff.responses) == {"supply": Answer.NO, "demand": Answer.NO}


def test_a_withdrawn_match_is_closed() -> None:
    gone, _ = proposed().withdraw(REMOVED, LATER)
    with pytest.raises(BoyinError) as raised:
        gone.respond(["supply"], True, LATER)
    assert (raised.value.code, raised.value.status) == ("MATCH_CLOSED", 409)


def test_review_confirms_notes_or_takes_back() -> None:
    p = proposed()
    reviewed, events = p.review_by("acc_op", "looks right", withdraw=False)
    assert (reviewed.review, reviewed.note, reviewed.reviewed_by, reviewed.status) == (
        Review.CONFIRMED,
        "looks right",
        "acc_op",
        MatchStatus.PROPOSED,
    )
    assert events == [] and reviewed.updated_at == NOW  # a review keeps the time
    taken, _ = p.review_by("acc_op", None, withdraw=True)
    assert taken.status is MatchStatus.WITHDRAWN and taken.withdrawn_by is None
    assert not taken.revivable  # an operator took it back: it stays withdrawn
    # the review answers what happened; a no stays hidden
    assert [shown_status(m) for m in (reviewed, taken)] == ["PROPOSED", "WITHDRAWN"]
    declined, _ = p.respond(["demand"], False, LATER)
    assert shown_status(declined) == "PROPOSED"


def test_a_mutual_match_is_confirmed_but_never_taken_back() -> None:
    mutual, _ = proposed().respond(["supply", "demand"], True, LATER)
    assert mutual.status is MatchStatus.MUTUAL
    with pytest.raises(BoyinError) as raised:
        mutual.review_by("acc_op", None, withdraw=True)
    assert (raised.value.code, raised.value.status) == ("MATCH_MUTUAL", 409)
    assert raised.value.message.zh and raised.value.message.en
    confirmed, _ = mutual.review_by("acc_op", "both keen", withdraw=False)
    assert (confirmed.status, confirmed.note) == (MatchStatus.MUTUAL, "both keen")


def test_the_system_withdraws_and_a_ranking_may_propose_again() -> None:
    for reason in (SUPERSEDED, REMOVED, "rematch"):
        gone, events = proposed().withdraw(reason, LATER)
        assert (gone.status, gone.withdrawn_by, gone.updated_at, events) == (
            MatchStatus.WITHDRAWN,
            reason,
            LATER,
            [],
        )
        assert gone.revivable
    answered, _ = proposed().respond(["supply"], True, LATER)
    assert not answered.withdraw(REMOVED, LATER)[0].revivable


def test_an_operator_offers_a_pair_again() -> None:
    offer = Proposal.proposed(
        SUPPLY,
        LANDING,
        candidate("l1", 0.6),
        now=LATER,
        ranking=None,
        source=ProposalSource.OPERATOR,
        note="by hand",
    )
    event = announcement(
        "p1", [offer.id], {offer.id: announced(offer)}, source=ProposalSource.OPERATOR
    )
    # open: rescored and confirmed, its answers kept, nothing new to announce
    answered, _ = proposed().respond(["supply"], True, NOW)
    met = replace(answered, meeting=MeetingOutcome("mt_1", "HELD", ()))
    outcome = met.offered_by_operator(offer, event)
    assert outcome is not None
    kept, events = outcome
    assert events == [] and kept.responses == answered.responses
    assert (kept.review, kept.note, kept.ranked_by, kept.scores.score) == (
        Review.CONFIRMED,
        "by hand",
        None,
        0.6,
    )
    assert kept.meeting == met.meeting
    # withdrawn by the system, untouched: proposed again and announced
    superseded, _ = proposed().withdraw(SUPERSEDED, NOW)
    outcome = superseded.offered_by_operator(offer, event)
    assert outcome is not None
    revived, [told] = outcome
    assert told is event and revived.status is MatchStatus.PROPOSED
    assert revived.withdrawn_by is None
    # declined, or taken back by a person: its history stays
    declined, _ = proposed().respond(["demand"], False, NOW)
    taken, _ = proposed().review_by("acc_op", None, withdraw=True)
    assert declined.offered_by_operator(offer, event) is None
    assert taken.offered_by_operator(offer, event) is None


def test_an_announcement_tells_what_each_proposal_says() -> None:
    p = proposed()
    event = announcement("p1", [p.id], {p.id: announced(p)})
    assert isinstance(event, MatchesProposed) and event.subject == "p1"
    assert event.data.source == "auto" and event.data.demand_id == "p1"
    [told] = event.data.proposals
    assert (told.match_id, told.supply.party_id, told.demand.demand_id, told.score) == (
        p.id,
        SUPPLY.owner_id,
        "l1",
        p.scores.score,
    )


# -- the stored shape --------------------------------------------------------------


def stored(p: Proposal) -> dict[str, object]:
    return {**documents.to_state(p), "_id": p.id, "_rev": 3}


def test_a_proposal_is_stored_as_the_bulk_path_stores_it() -> None:
    """The aggregate's document and the rematch job's (``fresh_state``) are one shape."""
    c = candidate("l1", 0.8123456789)
    p = Proposal.proposed(SUPPLY, LANDING, c, now=NOW, ranking="p1")
    assert documents.to_state(p) == documents.fresh_state(SUPPLY, LANDING, c, now=NOW, ranking="p1")
    assert set(documents.to_state(p)) == {
        *("score", "forward", "reverse", "cosine", "semantic_forward", "semantic_reverse"),
        *("taxonomy", "lexical", "signals", "capped"),
        *("supply", "demand", "party_ids", "status", "responses", "source", "review"),
        *("note", "ranked_by", "updated_at"),
    }


def test_the_document_maps_back_to_the_proposal() -> None:
    p = proposed()
    for changed in (
        p,
        p.respond(["supply"], True, LATER)[0],
        p.respond(["demand"], False, LATER)[0],
        p.review_by("acc_op", "fine", withdraw=True)[0],
        p.withdraw(SUPERSEDED, LATER)[0],
    ):
        doc = stored(changed)
        assert documents.from_doc(doc) == changed
        assert documents.untouched(doc) == changed.untouched
        assert documents.revivable(doc) == changed.revivable
        assert documents.is_open(doc) == (changed.status is MatchStatus.PROPOSED)


def test_feedback_beside_a_proposal_is_read_and_never_written_by_it() -> None:
    p = replace(
        proposed(),
        meeting=MeetingOutcome("mt_1", "NO_SHOW", ("owner-p1",)),
        agreement=Agreement("ag_1", "2026-12-12T10:00:00+00:00"),
    )
    state = documents.to_state(p)
    assert "meeting" not in state and "agreement" not in state
    doc = {
        **stored(p),
        "meeting": documents.meeting_state(p.meeting),  # type: ignore[arg-type]
        "agreement": documents.agreement_state(p.agreement),  # type: ignore[arg-type]
    }
    assert documents.from_doc(doc) == p


def test_older_documents_load() -> None:
    """Shared terms stored before explanations read them from the profiles are kept; a
    reason left by an earlier withdrawal says nothing once the proposal is open again."""
    doc = {**stored(proposed()), "shared_terms": ["lidar"], "withdrawn_by": "rematch"}
    p = documents.from_doc(doc)
    assert p.scores.shared_terms == ("lidar",) and p.withdrawn_by is None
    assert documents.to_state(p)["shared_terms"] == ["lidar"]
    assert "withdrawn_by" not in documents.to_state(p)  # the stored one is left as it is
