"""Where disclosure grants and the audit log are kept: every query and write of the
``disclosures`` and ``audit`` collections."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_shared.clock import new_id, utcnow
from boyin_shared.identity import Actor
from boyin_shared.store import AlreadyExists, DocumentStore, Index


@dataclass
class Disclosures:
    """Grants ``viewer party -> subject party``; one document each, keyed by the pair."""

    store: DocumentStore

    def __post_init__(self) -> None:
        self.collection = self.store.collection("disclosures")

    @staticmethod
    def key(viewer: str, subject: str) -> str:
        return f"{viewer}>{subject}"

    async def granted(self, viewer: str | None, subject: str) -> bool:
        if not viewer:
            return False
        return await self.collection.get(self.key(viewer, subject)) is not None

    async def grant(self, viewer: str, subject: str, match_id: str) -> None:
        try:
            await self.collection.insert(
                {
                    "_id": self.key(viewer, subject),
                    "viewer": viewer,
                    "subject": subject,
                    "match_id": match_id,
                    "granted_at": utcnow().isoformat(),
                }
            )
        except AlreadyExists:
            pass  # idempotent: a redelivered event grants nothing new

    async def viewers_of(self, subject: str) -> list[str]:
        return [d["viewer"] for d in await self.collection.find({"subject": subject})]

    async def revoke_party(self, party_id: str) -> None:
        """An erased person's contacts are shown to no one, and they see no one's."""
        for d in await self.collection.find({"$or": [{"subject": party_id}, {"viewer": party_id}]}):
            await self.collection.delete(d["_id"])


@dataclass
class AuditLog:
    """Disclosures of personal data to someone but its owner, one document each."""

    store: DocumentStore

    def __post_init__(self) -> None:
        self.collection = self.store.collection("audit")

    async def prepare(self) -> None:
        await self.collection.ensure_indexes([Index((("subject", 1), ("at", 1)))])

    async def record(self, actor: Actor, action: str, subject: str) -> None:
        await self.collection.insert(
            {
                "_id": new_id("aud_"),
                "account_id": actor.account_id,
                "role": actor.role.value,
                "action": action,
                "subject": subject,
                "at": utcnow().isoformat(),
            }
        )

    async def of_subject(self, subject: str) -> list[dict[str, str]]:
        docs = await self.collection.find({"subject": subject}, sort=[("at", 1)])
        return [{k: v for k, v in d.items() if k not in ("_id", "_rev")} for d in docs]
