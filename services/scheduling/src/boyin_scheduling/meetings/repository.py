"""The ``meetings`` and ``waiting_matches`` collections: every query and write of meeting
requests and of mutual matches waiting for an open edition, and the explicit mapping
between a meeting and its stored document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from boyin_scheduling import stored
from boyin_scheduling.meetings.domain import Meeting, Party, Place
from boyin_shared.api.scheduling import MeetingOutcome, MeetingSource, MeetingStatus, Mode
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import AlreadyExists, Collection, Document, DocumentStore, Index


def _place(p: Place | None) -> stored.Doc | None:
    if p is None:
        return None
    return {
        "slot_id": p.slot_id,
        "start": stored.dt(p.start),
        "end": stored.dt(p.end),
        "table": p.table,
        "schedule_version": p.schedule_version,
    }


def _place_from(d: stored.Doc | None) -> Place | None:
    if d is None:
        return None
    return Place(
        d["slot_id"],
        stored.req_dt(d["start"]),
        stored.req_dt(d["end"]),
        d["table"],
        d["schedule_version"],
    )


def meeting_state(m: Meeting) -> stored.Doc:
    return {
        "edition_id": m.edition_id,
        "requester": {"kind": m.requester.kind, "id": m.requester.id},
        "invitee": {"kind": m.invitee.kind, "id": m.invitee.id},
        "parties": list(m.parties),
        "source": m.source.value,
        "status": m.status.value,
        "weight": m.weight,
        "must_meet": m.must_meet,
        "mode": m.mode.value if m.mode else None,
        "match_id": m.match_id,
        "video_link": m.video_link,
        "note": m.note,
        "place": _place(m.place),
        "outcome": m.outcome.value if m.outcome else None,
        "absent": list(m.absent),
        "synced_version": m.synced_version,
        "revision": m.revision,
    }


def meeting_from(d: Document) -> Meeting:
    return Meeting(
        id=d["_id"],
        edition_id=d["edition_id"],
        requester=Party(d["requester"]["kind"], d["requester"]["id"]),
        invitee=Party(d["invitee"]["kind"], d["invitee"]["id"]),
        source=MeetingSource(d["source"]),
        status=MeetingStatus(d["status"]),
        weight=d["weight"],
        must_meet=d["must_meet"],
        mode=Mode(d["mode"]) if d.get("mode") else None,
        match_id=d.get("match_id"),
        video_link=d.get("video_link"),
        note=d.get("note"),
        place=_place_from(d.get("place")),
        outcome=MeetingOutcome(d["outcome"]) if d.get("outcome") else None,
        absent=tuple(d.get("absent") or ()),
        synced_version=d.get("synced_version", 0),
        revision=d["revision"],
    )


class Meetings(AggregateRepository[Meeting]):
    collection_name = "meetings"
    indexes = (
        Index((("edition_id", 1), ("status", 1))),
        Index((("parties", 1), ("edition_id", 1)), over_list=True),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=meeting_state, from_doc=meeting_from)

    async def of_edition(
        self, edition_id: str, statuses: Sequence[MeetingStatus] | None = None
    ) -> list[Meeting]:
        """Every meeting of the edition (one query: a fair has thousands, not millions)."""
        flt: dict[str, object] = {"edition_id": edition_id}
        if statuses is not None:
            values = [s.value for s in statuses]
            flt["status"] = values[0] if len(values) == 1 else {"$in": values}
        return [self.from_doc(d) for d in await self.collection.find(flt)]

    async def of_party(
        self,
        party_id: str,
        edition_id: str | None = None,
        *,
        after: str | None = None,
        limit: int = 100,
    ) -> list[Meeting]:
        flt: dict[str, object] = {"parties": party_id}
        if edition_id:
            flt["edition_id"] = edition_id
        if after:
            flt["_id"] = {"$gt": after}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]

    async def page(
        self, edition_id: str, *, status: str | None, after: str | None, limit: int
    ) -> list[Meeting]:
        flt: dict[str, object] = {"edition_id": edition_id}
        if status:
            flt["status"] = status
        if after:
            flt["_id"] = {"$gt": after}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]


class WaitingMatches:
    """Mutual matches that arrived while no edition was open, as the event carried them
    (JSON), by match id."""

    collection_name = "waiting_matches"

    def __init__(self, store: DocumentStore) -> None:
        self.collection: Collection = store.collection(self.collection_name)

    async def park(self, match_id: str, match: dict[str, Any]) -> None:
        """Keep ``match`` until an edition opens (a repeat changes nothing)."""
        try:
            await self.collection.insert({"_id": match_id, "match": match})
        except AlreadyExists:
            pass

    async def listed(self, limit: int = 200) -> list[tuple[str, dict[str, Any]]]:
        """Up to ``limit`` waiting matches: (match id, match)."""
        return [(d["_id"], d["match"]) for d in await self.collection.find(limit=limit)]

    async def remove(self, match_id: str) -> None:
        await self.collection.delete(match_id)
