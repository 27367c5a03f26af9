"""Feedback from the fair: which meetings were held and who did not come (scheduling's
``MeetingHeld`` / ``MeetingNoShow``).

* A match whose meeting took place (or not) carries the outcome, for both sides and the
  operators to see.
* Each party keeps the outcome of every meeting it had (``showed`` or ``missed``, by
  meeting id, so a corrected outcome replaces the first and a redelivery changes
  nothing). Its **reliability** ``(showed + 2) / (showed + missed + 2)`` (no history: 1)
  scales its scores in other people's recommendations by ``0.8 + 0.2 × reliability``: a
  party that missed one meeting of one ranks about 7% lower, one that came to every meeting
  loses nothing. Operators see why; the other side is not told.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from boyin_matching.core.matcher import Candidate
from boyin_shared.bus import Handler
from boyin_shared.contracts.scheduling import MeetingHeld, MeetingNoShow
from boyin_shared.errors import Message
from boyin_shared.events import Event
from boyin_shared.store import AlreadyExists, DocumentStore, Update

FLOOR = 0.8  # the factor of a party that never came: its scores keep 80%


@dataclass(frozen=True)
class Record:
    party_id: str
    showed: int = 0
    missed: int = 0

    @property
    def reliability(self) -> float:
        return (self.showed + 2) / (self.showed + self.missed + 2)

    @property
    def factor(self) -> float:
        return FLOOR + (1 - FLOOR) * self.reliability

    def note(self) -> Message | None:
        """What operators read about this party (None when nothing was missed)."""
        if not self.missed:
            return None
        total = self.showed + self.missed
        return Message(
            f"在展会上缺席了 {total} 场会谈中的 {self.missed} 场，推荐分数乘以 {self.factor:.2f}",
            f"missed {self.missed} of {total} meetings at the fair; its scores are "
            f"multiplied by {self.factor:.2f}",
        )


class Feedback:
    def __init__(self, store: DocumentStore) -> None:
        self.parties = store.collection("party_feedback")
        self.proposals = store.collection("proposals")

    async def records(self, party_ids: Iterable[str]) -> dict[str, Record]:
        out: dict[str, Record] = {}
        for doc in await self.parties.get_many(sorted(set(party_ids))):
            outcomes = list((doc.get("meetings") or {}).values())
            out[doc["_id"]] = Record(doc["_id"], outcomes.count("showed"), outcomes.count("missed"))
        return out

    async def _mark(self, party_id: str, meeting_id: str, outcome: str) -> None:
        for _ in range(10):
            doc = await self.parties.get(party_id)
            if doc is None:
                try:
                    await self.parties.insert({"_id": party_id, "meetings": {meeting_id: outcome}})
                    return
                except AlreadyExists:
                    continue
            if (doc.get("meetings") or {}).get(meeting_id) == outcome:
                return  # a redelivery
            if await self.parties.update(
                party_id,
                Update(set={f"meetings.{meeting_id}": outcome}),
                where={"_rev": doc["_rev"]},
            ):
                return
        raise RuntimeError(f"could not record feedback of {party_id}")

    async def on_outcome(self, event: MeetingHeld | MeetingNoShow) -> None:
        m = event.data.meeting
        absent = set(event.data.absent) if isinstance(event, MeetingNoShow) else set()
        for party in (m.requester.party_id, m.invitee.party_id):
            await self._mark(party, m.meeting_id, "missed" if party in absent else "showed")
        if m.match_id is not None:
            outcome = {"meeting_id": m.meeting_id, "outcome": m.outcome, "absent": sorted(absent)}
            # an annotation, not a domain change: it must not fail a concurrent answer
            await self.proposals.update(
                m.match_id, Update(set={"meeting": outcome}, bump_rev=False)
            )

    def handlers(self) -> dict[type[Event], Handler]:
        return {MeetingHeld: self.on_outcome, MeetingNoShow: self.on_outcome}


def rerank(
    candidates: Sequence[Candidate], owners: dict[str, str], records: dict[str, Record], k: int
) -> list[Candidate]:
    """``candidates`` with each score scaled by its owner's reliability, best ``k`` first.
    ``owners`` maps a candidate demand to the party that owns it."""
    scaled = []
    for c in candidates:
        record = records.get(owners.get(c.demand_id, ""))
        scaled.append(c if record is None else replace(c, score=c.score * record.factor))
    scaled.sort(key=lambda c: -c.score)
    return scaled[:k]
