"""Where mentors are kept: the ``mentors`` collection (one document each, with the
outbox), the explicit mapping between the aggregate and its document, and the taxonomy
as learned from the registry's events (``taxonomy``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from boyin_mentors.mentors.domain import Mentor, Transition, Version
from boyin_mentors.mentors.profile import Conflicts, KnownCodes, Profile, Text, Window
from boyin_shared.api.mentors import MentorStatus
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.retry import AGAIN, Again, optimistic
from boyin_shared.store import AlreadyExists, DocumentStore, Index
from boyin_shared.store import Document as StoredDocument


def profile_state(p: Profile) -> dict[str, Any]:
    return {
        "name": p.name,
        "expertise_codes": list(p.expertise_codes),
        "expertise": {"zh": p.expertise.zh, "en": p.expertise.en},
        "languages": list(p.languages),
        "country": p.country,
        "timezone": p.timezone,
        "organisation_id": p.organisation_id,
        "organisation_name": p.organisation_name,
        "availability": [
            {
                "weekday": w.weekday,
                "start": w.start.isoformat("minutes"),
                "end": w.end.isoformat("minutes"),
            }
            for w in p.availability
        ],
        "max_open_reviews": p.max_open_reviews,
        "conflicts": {
            "organisations": list(p.conflicts.organisations),
            "people": list(p.conflicts.people),
            "interests": list(p.conflicts.interests),
        },
        "max_consultations_per_day": p.max_consultations_per_day,
        "online_link": p.online_link,
    }


def profile_from(doc: dict[str, Any]) -> Profile:
    c = doc["conflicts"]
    return Profile(
        name=doc["name"],
        expertise_codes=tuple(doc["expertise_codes"]),
        expertise=Text(doc["expertise"].get("zh"), doc["expertise"].get("en")),
        languages=tuple(doc["languages"]),
        country=doc["country"],
        timezone=doc["timezone"],
        organisation_id=doc.get("organisation_id"),
        organisation_name=doc.get("organisation_name"),
        availability=tuple(
            Window(w["weekday"], time.fromisoformat(w["start"]), time.fromisoformat(w["end"]))
            for w in doc["availability"]
        ),
        max_open_reviews=doc["max_open_reviews"],
        conflicts=Conflicts(tuple(c["organisations"]), tuple(c["people"]), tuple(c["interests"])),
        max_consultations_per_day=doc.get("max_consultations_per_day", 4),
        online_link=doc.get("online_link"),
    )


def mentor_state(m: Mentor) -> dict[str, Any]:
    return {
        "account_id": m.account_id,
        "status": m.status.value,
        # the current profile's fields the routing looks for, at the top level
        "languages": list(m.profile.languages),
        "versions": [
            {
                "number": v.number,
                "at": v.at.isoformat(),
                "by": v.by,
                "profile": profile_state(v.profile),
            }
            for v in m.versions
        ],
        "history": [
            {
                "from": t.from_status.value if t.from_status else None,
                "to": t.to_status.value,
                "by": t.by,
                "at": t.at.isoformat(),
                "reason": t.reason,
            }
            for t in m.history
        ],
        "revision": m.revision,
    }


def mentor_from(doc: StoredDocument) -> Mentor:
    return Mentor(
        id=doc["_id"],
        account_id=doc["account_id"],
        status=MentorStatus(doc["status"]),
        versions=tuple(
            Version(
                v["number"], datetime.fromisoformat(v["at"]), v["by"], profile_from(v["profile"])
            )
            for v in doc["versions"]
        ),
        history=tuple(
            Transition(
                MentorStatus(t["from"]) if t.get("from") else None,
                MentorStatus(t["to"]),
                t["by"],
                datetime.fromisoformat(t["at"]),
                t.get("reason"),
            )
            for t in doc["history"]
        ),
        revision=doc["revision"],
    )


@dataclass(frozen=True)
class MentorQuery:
    status: MentorStatus | None = None
    after: str | None = None
    limit: int = 50


class Mentors(AggregateRepository[Mentor]):
    collection_name = "mentors"
    indexes = (Index((("status", 1), ("_id", 1))), Index((("account_id", 1),)))

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=mentor_state, from_doc=mentor_from)

    async def page(self, query: MentorQuery) -> list[Mentor]:
        parts: list[dict[str, Any]] = []
        if query.status:
            parts.append({"status": query.status.value})
        if query.after:
            parts.append({"_id": {"$gt": query.after}})
        flt: dict[str, Any] = {"$and": parts} if parts else {}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=query.limit)
        return [self.from_doc(d) for d in docs]

    async def approved(self, limit: int = 5000) -> list[Mentor]:
        """Every approved mentor (the routing's candidates)."""
        docs = await self.collection.find(
            {"status": MentorStatus.APPROVED.value}, sort=[("_id", 1)], limit=limit
        )
        return [self.from_doc(d) for d in docs]


@dataclass
class Taxonomy:
    """The registry's taxonomy as the mentors service learned it (its ``GET
    /reference/taxonomy``, then its ``TaxonomyChanged`` events): each code's parent, and
    whether it was retired. A node is only replaced by one of the same or a later version
    (a late older event changes nothing)."""

    store: DocumentStore

    def __post_init__(self) -> None:
        self.collection = self.store.collection("taxonomy")

    async def put(self, code: str, parent: str | None, retired: bool, version: int) -> None:
        """Store a node unless a later version of it is stored."""
        doc = {"_id": code, "parent": parent, "retired": retired, "version": version}

        async def attempt() -> Again | None:
            current = await self.collection.get(code)
            if current is None:
                try:
                    await self.collection.insert(doc)
                    return None
                except AlreadyExists:
                    return AGAIN
            if current["version"] > version:
                return None
            ok = await self.collection.replace(doc, expected_rev=current["_rev"])
            return None if ok else AGAIN

        await optimistic(attempt)

    async def known(self) -> KnownCodes:
        docs = await self.collection.find({}, limit=10_000)
        return KnownCodes(
            active=frozenset(d["_id"] for d in docs if not d["retired"]),
            retired=frozenset(d["_id"] for d in docs if d["retired"]),
        )

    async def parents(self) -> dict[str, str | None]:
        return {d["_id"]: d["parent"] for d in await self.collection.find({}, limit=10_000)}
