"""Who may see contact details, the grants that mutual matches create, and the audit log.

Contact details are shown to their owner, to operators (every such read is audit-logged),
to the district officer of an organisation's district, and to a counterpart only after both
sides said yes to a match (matching's ``MatchMutuallyAccepted`` event).
"""

from __future__ import annotations

from dataclasses import dataclass

from boyin_shared.bus import Subscription
from boyin_shared.clock import new_id, utcnow
from boyin_shared.contracts.matching import MatchMutuallyAccepted
from boyin_shared.identity import Actor, Role
from boyin_shared.store import AlreadyExists, DocumentStore, Index


def may_see_contacts(
    actor: Actor, *, party_id: str, district_code: str | None, disclosed: bool
) -> bool:
    if actor.is_staff or actor.party_id == party_id:
        return True
    if (
        actor.role is Role.DISTRICT_OFFICER
        and district_code
        and actor.district_code == district_code
    ):
        return True
    return disclosed


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

    async def on_mutual_match(self, event: MatchMutuallyAccepted) -> None:
        first, second = event.data.first.party_id, event.data.second.party_id
        await self.grant(first, second, event.data.match_id)
        await self.grant(second, first, event.data.match_id)

    def subscription(self) -> Subscription:
        return Subscription("registry.disclosures", {MatchMutuallyAccepted: self.on_mutual_match})


@dataclass
class AuditLog:
    """Reads of personal data by staff, one document per read."""

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
