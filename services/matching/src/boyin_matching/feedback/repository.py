"""Every query and write of feedback's collections: each party's meeting outcomes and
signed agreements (``party_feedback``), each demand's mentors' scores
(``demand_screening``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from boyin_matching.feedback.domain import Record, Screened
from boyin_shared.retry import AGAIN, Again, optimistic
from boyin_shared.store import AlreadyExists, Collection, Document, DocumentStore, Update


class FeedbackRepository:
    def __init__(self, store: DocumentStore) -> None:
        self.parties = store.collection("party_feedback")
        self.demands = store.collection("demand_screening")

    async def records(self, party_ids: Iterable[str]) -> dict[str, Record]:
        return _records(await self.parties.get_many(sorted(set(party_ids))))

    async def screenings(self, demand_ids: Iterable[str]) -> dict[str, Screened]:
        return _screenings(await self.demands.get_many(sorted(set(demand_ids))))

    async def everything(self) -> tuple[dict[str, Record], dict[str, Screened]]:
        """All records and screenings (small: one document per party or demand that has
        any), for the rematch job."""
        return _records(await self.parties.find({})), _screenings(await self.demands.find({}))

    async def meeting(self, party_id: str, meeting_id: str, outcome: str, order: str) -> None:
        """A party ``showed`` or ``missed`` a meeting."""
        await self._put(self.parties, party_id, "meetings", meeting_id, outcome, order)

    async def agreement(self, party_id: str, agreement_id: str) -> None:
        """A party signed an agreement."""
        await self._put(self.parties, party_id, "agreements", agreement_id, True, "0")

    async def screening(self, demand_id: str, mentor_id: str, score: int, order: str) -> None:
        """A mentor's score of a demand."""
        await self._put(self.demands, demand_id, "mentors", mentor_id, score, order)

    async def _put(
        self, collection: Collection, doc_id: str, field: str, key: str, value: object, order: str
    ) -> None:
        """Set ``field.key`` of one document to ``value`` unless what is there came from a
        later (or the same) fact: ``order`` sorts facts in time, so a redelivered or late
        older event changes nothing (idempotent, race-safe)."""
        entry = {"v": value, "o": order}

        async def attempt() -> Again | None:
            doc = await collection.get(doc_id)
            if doc is None:
                try:
                    await collection.insert({"_id": doc_id, field: {key: entry}})
                    return None
                except AlreadyExists:
                    return AGAIN
            held = (doc.get(field) or {}).get(key)
            if held is not None and held["o"] >= order:
                return None  # a redelivery, or older than what is known
            change = Update(set={f"{field}.{key}": entry})
            return (
                None
                if await collection.update(doc_id, change, where={"_rev": doc["_rev"]})
                else AGAIN
            )

        await optimistic(
            attempt,
            exhausted=lambda: RuntimeError(
                f"could not record feedback on {collection.name}/{doc_id}"
            ),
        )


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
