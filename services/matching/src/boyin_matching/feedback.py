"""Feedback: what happened after matching, fused into the ranking.

Every factor below applies to a pair through both of its sides, so a match scores the same
from either side's list.

* **Meetings** (scheduling's ``MeetingHeld`` / ``MeetingNoShow``): a match whose meeting
  took place (or not) carries the outcome, for both sides and the operators to see. Each
  party keeps the outcome of every meeting it had (``showed`` or ``missed``, by meeting id,
  so a corrected outcome replaces the first and a redelivery changes nothing). Its
  **reliability** ``(showed + 2·signed + 2) / (showed + 2·signed + missed + 2)`` (no
  history: 1) scales its scores in other people's lists by ``0.8 + 0.2 × reliability``: a
  party that missed its only meeting ranks about 7% lower. Operators see why; the other
  side is not told.
* **Mentors' screening** (``ProjectScreened``): the mean of the mentors' scores of a demand
  (each mentor's latest) moves its scores by ``1 + 0.25 × (mean − 60) / 100`` (60, "sound",
  changes nothing; 100 adds 10%, 0 takes 15%), capped at 1; everyone reads the mean.
* **Agreements** (``AgreementSigned``): the match is marked signed, and each party's
  signed agreements count twice as meetings attended in its reliability.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from boyin_matching.ranking.finishing import Candidate
from boyin_shared.bus import Handler
from boyin_shared.contracts.agreements import AgreementSigned
from boyin_shared.contracts.mentors import ProjectScreened
from boyin_shared.contracts.scheduling import MeetingHeld, MeetingNoShow
from boyin_shared.errors import Message
from boyin_shared.events import Event
from boyin_shared.store import AlreadyExists, Collection, Document, DocumentStore, Update

FLOOR = 0.8  # the factor of a party that never came: its scores keep 80%
NEUTRAL_SCREENING = 60  # a mentor score that changes nothing
SCREENING_WEIGHT = 0.25


@dataclass(frozen=True)
class Record:
    party_id: str
    showed: int = 0
    missed: int = 0
    signed: int = 0

    @property
    def reliability(self) -> float:
        good = self.showed + 2 * self.signed
        return (good + 2) / (good + self.missed + 2)

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


@dataclass(frozen=True)
class Screened:
    demand_id: str
    mean: float
    mentors: int

    @property
    def factor(self) -> float:
        return 1 + SCREENING_WEIGHT * (self.mean - NEUTRAL_SCREENING) / 100

    def reason(self) -> Message:
        return Message(
            f"{self.mentors} 位导师评审，平均 {self.mean:.0f}/100 分",
            f"screened by {self.mentors} mentor{'s' if self.mentors > 1 else ''}: "
            f"{self.mean:.0f}/100 on average",
        )


class Feedback:
    def __init__(self, store: DocumentStore) -> None:
        self.parties = store.collection("party_feedback")
        self.demands = store.collection("demand_screening")
        self.proposals = store.collection("proposals")

    async def records(self, party_ids: Iterable[str]) -> dict[str, Record]:
        return _records(await self.parties.get_many(sorted(set(party_ids))))

    async def screenings(self, demand_ids: Iterable[str]) -> dict[str, Screened]:
        return _screenings(await self.demands.get_many(sorted(set(demand_ids))))

    async def everything(self) -> tuple[dict[str, Record], dict[str, Screened]]:
        """All records and screenings (small: one document per party or demand that has
        any), for the rematch job."""
        return _records(await self.parties.find({})), _screenings(await self.demands.find({}))

    async def _put(
        self, collection: Collection, doc_id: str, field: str, key: str, value: object, order: str
    ) -> None:
        """Set ``field.key`` of one document to ``value`` unless what is there came from a
        later (or the same) fact: ``order`` sorts facts in time, so a redelivered or late
        older event changes nothing (idempotent, race-safe)."""
        entry = {"v": value, "o": order}
        for _ in range(10):
            doc = await collection.get(doc_id)
            if doc is None:
                try:
                    await collection.insert({"_id": doc_id, field: {key: entry}})
                    return
                except AlreadyExists:
                    continue
            held = (doc.get(field) or {}).get(key)
            if held is not None and held["o"] >= order:
                return  # a redelivery, or older than what is known
            if await collection.update(
                doc_id, Update(set={f"{field}.{key}": entry}), where={"_rev": doc["_rev"]}
            ):
                return
        raise RuntimeError(f"could not record feedback on {collection.name}/{doc_id}")

    async def on_outcome(self, event: MeetingHeld | MeetingNoShow) -> None:
        m = event.data.meeting
        absent = set(event.data.absent) if isinstance(event, MeetingNoShow) else set()
        order = f"{m.revision:012d}"  # the meeting's revision orders its outcomes
        for party in (m.requester.party_id, m.invitee.party_id):
            outcome = "missed" if party in absent else "showed"
            await self._put(self.parties, party, "meetings", m.meeting_id, outcome, order)
        if m.match_id is not None:
            met = {"meeting_id": m.meeting_id, "outcome": m.outcome, "absent": sorted(absent)}
            # an annotation, not a domain change: it must not fail a concurrent answer
            await self.proposals.update(m.match_id, Update(set={"meeting": met}, bump_rev=False))

    async def on_screened(self, event: ProjectScreened) -> None:
        d = event.data
        order = event.time.isoformat()  # a mentor's latest screening counts
        await self._put(self.demands, d.demand_id, "mentors", d.mentor_id, d.score, order)

    async def on_signed(self, event: AgreementSigned) -> None:
        d = event.data
        for party in d.parties:
            await self._put(self.parties, party.party_id, "agreements", d.agreement_id, True, "0")
        if d.match_id is not None:
            signed = {"agreement_id": d.agreement_id, "signed_at": d.signed_at.isoformat()}
            await self.proposals.update(
                d.match_id, Update(set={"agreement": signed}, bump_rev=False)
            )

    def handlers(self) -> dict[type[Event], Handler]:
        return {
            MeetingHeld: self.on_outcome,
            MeetingNoShow: self.on_outcome,
            ProjectScreened: self.on_screened,
            AgreementSigned: self.on_signed,
        }


def _records(docs: Sequence[Document]) -> dict[str, Record]:
    out: dict[str, Record] = {}
    for doc in docs:
        outcomes = [entry["v"] for entry in (doc.get("meetings") or {}).values()]
        out[doc["_id"]] = Record(
            doc["_id"],
            outcomes.count("showed"),
            outcomes.count("missed"),
            len(doc.get("agreements") or {}),
        )
    return out


def _screenings(docs: Sequence[Document]) -> dict[str, Screened]:
    out: dict[str, Screened] = {}
    for doc in docs:
        scores = [entry["v"] for entry in (doc.get("mentors") or {}).values()]
        if scores:
            out[doc["_id"]] = Screened(doc["_id"], sum(scores) / len(scores), len(scores))
    return out


def rerank(
    query: tuple[str, str],
    candidates: Sequence[Candidate],
    owners: dict[str, str],
    records: dict[str, Record],
    k: int,
    screenings: dict[str, Screened] | None = None,
) -> list[Candidate]:
    """The list of ``query`` (its demand id, its owner) with each pair's score scaled by
    both sides' reliability and mentors' screening (capped at 1), best ``k`` first.

    Both sides count, so a pair scores the same whichever side's list it is read from
    (the query's own factor does not change the order of its list). ``owners`` maps a
    candidate demand to the party that owns it."""
    screenings = screenings or {}

    def factor(demand_id: str, owner: str | None) -> float:
        f = 1.0
        if owner is not None and (record := records.get(owner)) is not None:
            f *= record.factor
        if (screened := screenings.get(demand_id)) is not None:
            f *= screened.factor
        return f

    own = factor(*query)
    scaled = []
    for c in candidates:
        f = own * factor(c.demand_id, owners.get(c.demand_id))
        scaled.append(c if f == 1.0 else c._replace(score=min(1.0, c.score * f)))
    scaled.sort(key=lambda c: -c.score)
    return scaled[:k]
