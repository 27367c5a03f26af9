"""Where the taxonomy is kept: every query and write of the ``taxonomy`` collection (one
document per code, with its outbox) and of ``taxonomy_meta`` (the version)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boyin_registry.reference.domain import Named
from boyin_shared.clock import utcnow
from boyin_shared.events import Event
from boyin_shared.outbox import Outbox
from boyin_shared.retry import AGAIN, Again, optimistic
from boyin_shared.store import AlreadyExists, Document, DocumentStore, Update

META = "version"


def _doc(node: Named, *, active: bool) -> dict[str, object]:
    return {
        "_id": node.code,
        "parent": node.parent,
        "name": {"zh": node.zh, "en": node.en},
        "active": active,
    }


def _node_from(doc: Document) -> Named:
    return Named(
        doc["_id"],
        doc["name"]["zh"],
        doc["name"]["en"],
        kind="" if doc["active"] else "retired",
        parent=doc.get("parent"),
    )


@dataclass(frozen=True)
class StoredNode:
    """A code and the document it was read from (for the write that announces a change)."""

    node: Named
    doc: Document

    @property
    def active(self) -> bool:
        return self.node.kind != "retired"


class Taxonomy:
    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        self.outbox = outbox
        self.nodes = store.collection("taxonomy")
        self.meta = store.collection("taxonomy_meta")

    async def track(self) -> None:
        """The codes' documents carry an outbox the relay drains."""
        await self.outbox.track(self.nodes)

    async def version(self) -> int | None:
        """The taxonomy's version; None before it was first seeded."""
        meta = await self.meta.get(META)
        return int(meta["version"]) if meta else None

    async def seed(self, node: Named, events: Sequence[Event]) -> None:
        """Store a shipped code unless a concurrent first start stored it already."""
        state = {k: v for k, v in _doc(node, active=True).items() if k != "_id"}
        try:
            await self.outbox.create(self.nodes, node.code, state, events)
        except AlreadyExists:
            pass  # a concurrent first start seeded it

    async def seeded(self, version: int) -> None:
        """Mark the taxonomy seeded at ``version``."""
        try:
            await self.meta.insert({"_id": META, "version": version})
        except AlreadyExists:
            pass

    async def all(self) -> dict[str, Named]:
        return {d["_id"]: _node_from(d) for d in await self.nodes.find({})}

    async def get(self, code: str) -> StoredNode | None:
        doc = await self.nodes.get(code)
        return None if doc is None else StoredNode(_node_from(doc), doc)

    async def bump(self, attempts: int = 20) -> int:
        """The next version, taken atomically; the concurrent-change error when others
        kept taking it first."""

        async def attempt() -> int | Again:
            meta = await self.meta.get(META)
            assert meta is not None
            version = int(meta["version"]) + 1
            taken = await self.meta.update(
                META, Update(set={"version": version}), where={"version": version - 1}
            )
            return version if taken else AGAIN

        return await optimistic(attempt, attempts=attempts)

    async def add(self, node: Named, version: int) -> bool:
        """Store a new active code; False if the code is taken."""
        try:
            await self.nodes.insert(_doc(node, active=True) | {"version": version})
        except AlreadyExists:
            return False
        return True

    async def rename(self, code: str, zh: str, en: str) -> None:
        await self.nodes.update(code, Update(set={"name": {"zh": zh, "en": en}}))

    async def retire(self, code: str) -> None:
        await self.nodes.update(
            code, Update(set={"active": False, "retired_at": utcnow().isoformat()})
        )

    async def stamp(self, stored: StoredNode, version: int, events: Sequence[Event]) -> None:
        """Record the version of a code's last change, with the events announcing it."""
        await self.outbox.save(self.nodes, stored.doc, {"version": version}, events)
