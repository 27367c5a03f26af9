"""Where support policies and evaluations are kept: every version of every policy (one
document each, ``<id>@<version>``: a version is written once and never changed), and the
evaluations as they were answered, with the policy versions they used."""

from __future__ import annotations

from typing import Any

from boyin_agreements.policies.domain import Policy
from boyin_agreements.policies.seed import read_policy
from boyin_shared.store import Document, DocumentStore, Index


def policy_state(p: Policy) -> dict[str, Any]:
    """A policy in the JSON form the seed data has (what :func:`read_policy` reads)."""
    o = p.outcome
    return {
        "id": p.id,
        "version": p.version,
        "title": {"zh": p.title.zh, "en": p.title.en},
        "issuer": {
            "level": p.issuer.level.value,
            "name": {"zh": p.issuer.name.zh, "en": p.issuer.name.en},
        },
        "scope": p.scope.value,
        "effective_from": p.effective_from.isoformat(),
        "effective_until": p.effective_until.isoformat() if p.effective_until else None,
        "condition": p.condition,
        "outcome": {
            "eligibility": {"zh": o.eligibility.zh, "en": o.eligibility.en},
            "amount": o.amount,
            "cap": str(o.cap) if o.cap is not None else None,
            "note": {"zh": o.note.zh, "en": o.note.en},
        },
        "evidence": [
            {
                "key": e.key,
                "title": {"zh": e.title.zh, "en": e.title.en},
                "fact": e.fact,
                "document": e.document,
            }
            for e in p.evidence
        ],
        "exclusive_group": p.exclusive_group,
    }


def policy_from(doc: Document) -> Policy:
    return read_policy(doc["policy"])


def version_key(policy_id: str, version: int) -> str:
    return f"{policy_id}@{version}"


class Policies:
    """Every version of every policy."""

    def __init__(self, store: DocumentStore) -> None:
        self.collection = store.collection("policies")

    async def prepare(self) -> None:
        await self.collection.ensure_indexes([Index((("policy_id", 1), ("version", -1)))])

    async def insert(self, policy: Policy) -> None:
        """Store a new version. Raises ``AlreadyExists`` when that version is stored."""
        await self.collection.insert(
            {
                "_id": version_key(policy.id, policy.version),
                "policy_id": policy.id,
                "version": policy.version,
                "policy": policy_state(policy),
            }
        )

    async def newest(self, policy_id: str) -> Policy | None:
        docs = await self.collection.find({"policy_id": policy_id}, sort=[("version", -1)], limit=1)
        return policy_from(docs[0]) if docs else None

    async def every_version(self) -> list[Policy]:
        docs = await self.collection.find({}, sort=[("_id", 1)], limit=10000)
        return [policy_from(d) for d in docs]


class Evaluations:
    """Evaluations as they were answered (the API's form), by agreement."""

    def __init__(self, store: DocumentStore) -> None:
        self.collection = store.collection("policy_evaluations")

    async def prepare(self) -> None:
        await self.collection.ensure_indexes([Index((("agreement_id", 1), ("_id", 1)))])

    async def add(self, evaluation_id: str, agreement_id: str, answered: dict[str, Any]) -> None:
        await self.collection.insert(
            {"_id": evaluation_id, "agreement_id": agreement_id, "evaluation": answered}
        )

    async def of_agreement(self, agreement_id: str, limit: int = 200) -> list[dict[str, Any]]:
        docs = await self.collection.find(
            {"agreement_id": agreement_id}, sort=[("_id", 1)], limit=limit
        )
        return [dict(d["evaluation"]) for d in docs]
